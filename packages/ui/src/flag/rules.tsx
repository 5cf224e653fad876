import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api/client.ts';
import type { Distribution, Flag, Rule, Segment } from '../api/types.ts';
import { segmentKeysOf } from '../api/types.ts';
import { FormError, Section } from '../components/fields.tsx';
import { ReorderList } from '../components/reorder-list.tsx';
import { useAction } from '../components/use-action.ts';
import { useSession } from '../state/session.ts';
import { DistributionEditor } from './distribution-editor.tsx';
import { evenSplit } from './distribution-math.ts';
import { flagPath } from './flag-api.ts';
import { SegmentPicker, segmentFields, useSegmentChoice } from './segment-picker.tsx';

/** Each variant's share in a rule (0 where it has no distribution). */
const sharesOf = (flag: Flag, rule: Rule): number[] =>
  flag.variants.map((v) => rule.distributions.find((d) => d.variantId === v.id)?.rollout ?? 0);

/** Creates or updates one distribution per variant so the rule matches `shares`. */
async function saveDistributions(base: string, flag: Flag, rule: Rule, shares: number[]): Promise<void> {
  for (const [i, variant] of flag.variants.entries()) {
    const rollout = shares[i] ?? 0;
    const existing: Distribution | undefined = rule.distributions.find((d) => d.variantId === variant.id);
    const path = `${base}/${enc(rule.id)}/distributions`;
    const body = { flagKey: flag.key, ruleId: rule.id, variantId: variant.id, rollout };
    if (existing) {
      if (existing.rollout !== rollout)
        await api('PUT', `${path}/${enc(existing.id)}`, { ...body, id: existing.id });
    } else if (rollout > 0) {
      await api('POST', path, body);
    }
  }
}

function NewRule(props: { flag: Flag; segments: Segment[]; nextRank: number; onDone: () => void }) {
  const { namespace } = useSession();
  const { flag } = props;
  const choice = useSegmentChoice();
  const [shares, setShares] = useState<number[]>(() => evenSplit(flag.variants.length));
  const action = useAction(['segmentKey', 'segmentKeys']);
  const base = `${flagPath(namespace, flag.key)}/rules`;

  return (
    <form
      class="subform"
      aria-label="New rule"
      onSubmit={async (e) => {
        e.preventDefault();
        if (choice.selected.length === 0) return action.fail('Pick at least one segment', 'segmentKey');
        const ok = await action.run(async () => {
          const rule = await api<Rule>('POST', base, {
            flagKey: flag.key,
            rank: props.nextRank,
            ...segmentFields(choice.selected, choice.operator),
          });
          await saveDistributions(base, flag, { ...rule, distributions: [] }, shares);
        });
        if (ok) {
          choice.set([], choice.operator);
          setShares(evenSplit(flag.variants.length));
          props.onDone();
        }
      }}
    >
      <h3>New rule</h3>
      <SegmentPicker segments={props.segments} choice={choice} action={action} />
      {flag.variants.length > 0 ? (
        <DistributionEditor variants={flag.variants} values={shares} onChange={setShares} />
      ) : (
        <p class="hint">Add variants to distribute them; a rule without a distribution only matches.</p>
      )}
      <FormError message={action.general} />
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          Add rule
        </button>
      </div>
    </form>
  );
}

function RuleSegments(props: {
  flag: Flag;
  rule: Rule;
  segments: Segment[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const { namespace } = useSession();
  const choice = useSegmentChoice(segmentKeysOf(props.rule), props.rule.segmentOperator);
  const action = useAction(['segmentKey', 'segmentKeys']);
  const path = `${flagPath(namespace, props.flag.key)}/rules/${enc(props.rule.id)}`;
  return (
    <form
      class="subform"
      aria-label={`Segments of rule ${props.rule.rank}`}
      onSubmit={async (e) => {
        e.preventDefault();
        if (choice.selected.length === 0) return action.fail('Pick at least one segment', 'segmentKey');
        const body = {
          flagKey: props.flag.key,
          id: props.rule.id,
          ...segmentFields(choice.selected, choice.operator),
        };
        if (await action.run(() => api('PUT', path, body))) props.onDone();
      }}
    >
      <SegmentPicker segments={props.segments} choice={choice} action={action} />
      <FormError message={action.general} />
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          Save segments
        </button>
        <button type="button" class="ghost" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RuleCard(props: { flag: Flag; rule: Rule; segments: Segment[]; onChanged: () => void }) {
  const { flag, rule, onChanged } = props;
  const { namespace, readOnly } = useSession();
  const [shares, setShares] = useState<number[]>(() => sharesOf(flag, rule));
  const [editingSegments, setEditingSegments] = useState(false);
  const action = useAction();
  const base = `${flagPath(namespace, flag.key)}/rules`;
  const keys = segmentKeysOf(rule);
  const joiner = rule.segmentOperator === 'AND_SEGMENT_OPERATOR' ? ' AND ' : ' OR ';
  const dirty = shares.some((s, i) => s !== sharesOf(flag, rule)[i]);

  return (
    <div class="rule" data-rule-segments={keys.join(',')}>
      <p>
        <span class="muted">Rank {rule.rank}</span> · If entity is in <strong>{keys.join(joiner)}</strong>
      </p>
      {editingSegments && (
        <RuleSegments
          flag={flag}
          rule={rule}
          segments={props.segments}
          onCancel={() => setEditingSegments(false)}
          onDone={() => {
            setEditingSegments(false);
            onChanged();
          }}
        />
      )}
      {flag.variants.length > 0 && (
        <DistributionEditor
          variants={flag.variants}
          values={shares}
          onChange={setShares}
          disabled={readOnly}
        />
      )}
      <FormError message={action.general} />
      {!readOnly && (
        <div class="actions">
          {!editingSegments && (
            <button type="button" class="ghost" onClick={() => setEditingSegments(true)}>
              Edit segments
            </button>
          )}
          {dirty && (
            <button
              type="button"
              disabled={action.busy}
              onClick={() => action.run(() => saveDistributions(base, flag, rule, shares).then(onChanged))}
            >
              Save distribution
            </button>
          )}
          <button
            type="button"
            class="ghost danger-text"
            aria-label={`Delete rule ${rule.rank}`}
            onClick={() => action.run(() => api('DELETE', `${base}/${enc(rule.id)}`).then(onChanged))}
          >
            Delete rule
          </button>
        </div>
      )}
    </div>
  );
}

export function Rules(props: { flag: Flag; rules: Rule[]; segments: Segment[]; onChanged: () => void }) {
  const { namespace, readOnly } = useSession();
  const action = useAction();
  const [order, setOrder] = useState<string[] | null>(null);
  const base = `${flagPath(namespace, props.flag.key)}/rules`;
  useEffect(() => setOrder(null), [props.rules]);
  // Shown in the new order at once; the server's answer then replaces it.
  const rules = order
    ? order.map((id) => props.rules.find((r) => r.id === id)).filter((r): r is Rule => r !== undefined)
    : props.rules;

  return (
    <Section title="Rules">
      <p class="hint">Evaluated top to bottom; the first rule whose segments match decides.</p>
      {rules.length === 0 && <p class="empty">No rules: every entity gets the default variant.</p>}
      <ReorderList
        items={rules}
        idOf={(r) => r.id}
        labelOf={(r) => `rule for ${segmentKeysOf(r).join(', ')}`}
        disabled={readOnly}
        render={(rule) => (
          <RuleCard
            key={`${rule.id}:${rule.distributions.map((d) => d.rollout).join(',')}`}
            flag={props.flag}
            rule={rule}
            segments={props.segments}
            onChanged={props.onChanged}
          />
        )}
        onOrder={(ruleIds) => {
          setOrder(ruleIds);
          action
            .run(() => api('PUT', `${base}/order`, { ruleIds }))
            .then((ok) => (ok ? props.onChanged() : setOrder(null)));
        }}
      />
      <FormError message={action.general} />
      {!readOnly && (
        <NewRule
          key={props.flag.variants.map((v) => v.id).join()}
          flag={props.flag}
          segments={props.segments}
          nextRank={Math.max(0, ...props.rules.map((r) => r.rank)) + 1}
          onDone={props.onChanged}
        />
      )}
    </Section>
  );
}
