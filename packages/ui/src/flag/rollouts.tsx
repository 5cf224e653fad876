import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api/client.ts';
import type { Flag, Rollout, Segment } from '../api/types.ts';
import { segmentKeysOf } from '../api/types.ts';
import { Field, FormError, Section, TextField } from '../components/fields.tsx';
import { ReorderList } from '../components/reorder-list.tsx';
import { useAction } from '../components/use-action.ts';
import { useSession } from '../state/session.ts';
import { flagPath } from './flag-api.ts';
import { SegmentPicker, segmentFields, useSegmentChoice } from './segment-picker.tsx';

function ValueSelect(props: {
  value: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
  label?: string;
}) {
  return (
    <Field label={props.label ?? 'Value'}>
      {(id) => (
        <select
          id={id}
          disabled={props.disabled}
          value={String(props.value)}
          onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value === 'true')}
        >
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      )}
    </Field>
  );
}

function NewRollout(props: { flag: Flag; segments: Segment[]; nextRank: number; onDone: () => void }) {
  const { namespace } = useSession();
  const [type, setType] = useState<'THRESHOLD_ROLLOUT_TYPE' | 'SEGMENT_ROLLOUT_TYPE'>(
    'THRESHOLD_ROLLOUT_TYPE',
  );
  const [percentage, setPercentage] = useState('50');
  const [value, setValue] = useState(true);
  const choice = useSegmentChoice();
  const [description, setDescription] = useState('');
  const action = useAction(['percentage', 'segmentKey', 'segmentKeys', 'description']);

  return (
    <form
      class="subform"
      aria-label="New rollout"
      onSubmit={async (e) => {
        e.preventDefault();
        const pct = Number(percentage);
        if (type === 'THRESHOLD_ROLLOUT_TYPE' && !(pct >= 0 && pct <= 100))
          return action.fail('must be between 0 and 100', 'percentage');
        if (type === 'SEGMENT_ROLLOUT_TYPE' && choice.selected.length === 0)
          return action.fail('Pick at least one segment', 'segmentKey');
        const rule =
          type === 'THRESHOLD_ROLLOUT_TYPE'
            ? { threshold: { percentage: pct, value } }
            : { segment: { ...segmentFields(choice.selected, choice.operator), value } };
        const ok = await action.run(() =>
          api('POST', `${flagPath(namespace, props.flag.key)}/rollouts`, {
            flagKey: props.flag.key,
            rank: props.nextRank,
            description,
            ...rule,
          }),
        );
        if (ok) {
          choice.set([], choice.operator);
          setDescription('');
          props.onDone();
        }
      }}
    >
      <h3>New rollout</h3>
      <div class="radios" role="radiogroup" aria-label="Rollout type">
        <label>
          <input
            type="radio"
            name="rolloutType"
            checked={type === 'THRESHOLD_ROLLOUT_TYPE'}
            onChange={() => setType('THRESHOLD_ROLLOUT_TYPE')}
          />
          Threshold (a percentage of entities)
        </label>
        <label>
          <input
            type="radio"
            name="rolloutType"
            checked={type === 'SEGMENT_ROLLOUT_TYPE'}
            onChange={() => setType('SEGMENT_ROLLOUT_TYPE')}
          />
          Segment
        </label>
      </div>
      {type === 'THRESHOLD_ROLLOUT_TYPE' ? (
        <TextField
          label="Percentage"
          type="number"
          value={percentage}
          onInput={setPercentage}
          error={action.errorFor('percentage')}
        />
      ) : (
        <SegmentPicker segments={props.segments} choice={choice} action={action} />
      )}
      <ValueSelect value={value} onChange={setValue} />
      <TextField
        label="Description"
        value={description}
        onInput={setDescription}
        error={action.errorFor('description')}
      />
      <FormError message={action.general} />
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          Add rollout
        </button>
      </div>
    </form>
  );
}

function RolloutCard({ flag, rollout, onChanged }: { flag: Flag; rollout: Rollout; onChanged: () => void }) {
  const { namespace, readOnly } = useSession();
  const action = useAction(['percentage']);
  const path = `${flagPath(namespace, flag.key)}/rollouts/${enc(rollout.id)}`;
  const update = (change: { value?: boolean; percentage?: number }) =>
    action.run(async () => {
      const body: Record<string, unknown> = {
        flagKey: flag.key,
        id: rollout.id,
        description: rollout.description,
      };
      if (rollout.threshold) body['threshold'] = { ...rollout.threshold, ...change };
      else if (rollout.segment) {
        const { value } = rollout.segment;
        body['segment'] = {
          ...segmentFields(segmentKeysOf(rollout.segment), rollout.segment.segmentOperator),
          value: change.value ?? value,
        };
      }
      await api('PUT', path, body);
      onChanged();
    });
  const value = rollout.threshold?.value ?? rollout.segment?.value ?? false;
  const [percentage, setPercentage] = useState(String(rollout.threshold?.percentage ?? ''));
  const keys = rollout.segment ? segmentKeysOf(rollout.segment) : [];
  return (
    <div class="rollout">
      <p>
        <span class="muted">Rank {rollout.rank}</span> ·{' '}
        {rollout.threshold ? (
          <>
            <strong>{rollout.threshold.percentage}%</strong> of entities
          </>
        ) : (
          <>
            Entities in{' '}
            <strong>
              {keys.join(rollout.segment?.segmentOperator === 'AND_SEGMENT_OPERATOR' ? ' AND ' : ' OR ')}
            </strong>
          </>
        )}{' '}
        get <strong>{String(value)}</strong>
        {rollout.description && <span class="muted"> — {rollout.description}</span>}
      </p>
      {!readOnly && (
        <div class="actions">
          {rollout.threshold && (
            <form
              class="inline-form"
              aria-label={`Percentage of rollout ${rollout.rank}`}
              onSubmit={(e) => {
                e.preventDefault();
                const pct = Number(percentage);
                if (percentage.trim() === '' || !(pct >= 0 && pct <= 100))
                  return action.fail('must be between 0 and 100', 'percentage');
                void update({ percentage: pct });
              }}
            >
              <TextField
                label={`Percentage of rollout ${rollout.rank}`}
                type="number"
                value={percentage}
                onInput={setPercentage}
                error={action.errorFor('percentage')}
              />
              {String(rollout.threshold.percentage) !== percentage && (
                <button type="submit" disabled={action.busy}>
                  Save
                </button>
              )}
            </form>
          )}
          <ValueSelect
            label={`Value of rollout ${rollout.rank}`}
            value={value}
            onChange={(v) => update({ value: v })}
            disabled={action.busy}
          />
          <button
            type="button"
            class="ghost danger-text"
            aria-label={`Delete rollout ${rollout.rank}`}
            onClick={() => action.run(() => api('DELETE', path).then(onChanged))}
          >
            Delete
          </button>
        </div>
      )}
      <FormError message={action.general} />
    </div>
  );
}

export function Rollouts(props: {
  flag: Flag;
  rollouts: Rollout[];
  segments: Segment[];
  onChanged: () => void;
}) {
  const { namespace, readOnly } = useSession();
  const action = useAction();
  const [order, setOrder] = useState<string[] | null>(null);
  useEffect(() => setOrder(null), [props.rollouts]);
  const rollouts = order
    ? order.map((id) => props.rollouts.find((r) => r.id === id)).filter((r): r is Rollout => r !== undefined)
    : props.rollouts;
  return (
    <Section title="Rollouts">
      <p class="hint">
        Evaluated top to bottom; when none applies, the flag returns its Enabled value (
        {String(props.flag.enabled)}).
      </p>
      {rollouts.length === 0 && <p class="empty">No rollouts.</p>}
      <ReorderList
        items={rollouts}
        idOf={(r) => r.id}
        labelOf={(r) => `rollout ${r.rank}`}
        disabled={readOnly}
        render={(r) => (
          <RolloutCard
            key={`${r.id}:${r.rank}:${r.threshold?.percentage ?? ''}`}
            flag={props.flag}
            rollout={r}
            onChanged={props.onChanged}
          />
        )}
        onOrder={(rolloutIds) => {
          setOrder(rolloutIds);
          action
            .run(() => api('PUT', `${flagPath(namespace, props.flag.key)}/rollouts/order`, { rolloutIds }))
            .then((ok) => (ok ? props.onChanged() : setOrder(null)));
        }}
      />
      <FormError message={action.general} />
      {!readOnly && (
        <NewRollout
          flag={props.flag}
          segments={props.segments}
          nextRank={Math.max(0, ...props.rollouts.map((r) => r.rank)) + 1}
          onDone={props.onChanged}
        />
      )}
    </Section>
  );
}
