import { useState } from 'preact/hooks';
import type { Segment, SegmentOperator } from '../api/types.ts';
import type { Action } from '../components/use-action.ts';

/** The segments a rule or rollout form has picked, and how they combine. */
export interface SegmentChoice {
  selected: string[];
  operator: SegmentOperator;
  set(selected: string[], operator: SegmentOperator): void;
}

export function useSegmentChoice(
  keys: string[] = [],
  initialOperator: SegmentOperator = 'OR_SEGMENT_OPERATOR',
): SegmentChoice {
  const [selected, setSelected] = useState<string[]>(keys);
  const [operator, setOperator] = useState<SegmentOperator>(initialOperator);
  return {
    selected,
    operator,
    set(nextSelected, nextOperator) {
      setSelected(nextSelected);
      setOperator(nextOperator);
    },
  };
}

/** Pick one or more segments; with two or more, whether an entity must match all or any. */
export function SegmentPicker({
  segments,
  choice,
  action,
}: {
  segments: readonly Segment[];
  choice: SegmentChoice;
  /** The form's action: the API names either field when the selection is refused. */
  action: Action;
}) {
  const props = {
    segments,
    selected: choice.selected,
    operator: choice.operator,
    onChange: choice.set,
    error: action.errorFor('segmentKey') ?? action.errorFor('segmentKeys'),
  };
  const toggle = (key: string, on: boolean) => {
    const next = on ? [...props.selected, key] : props.selected.filter((k) => k !== key);
    props.onChange(next, props.operator);
  };
  return (
    <fieldset class={props.error ? 'segments invalid' : 'segments'}>
      <legend>Segments</legend>
      {props.segments.length === 0 && (
        <p class="hint">No segments in this namespace yet: create one first.</p>
      )}
      <div class="checks">
        {props.segments.map((s) => (
          <label key={s.key}>
            <input
              type="checkbox"
              name="segment"
              value={s.key}
              checked={props.selected.includes(s.key)}
              onChange={(e) => toggle(s.key, (e.currentTarget as HTMLInputElement).checked)}
            />
            {s.name || s.key}
          </label>
        ))}
      </div>
      {props.selected.length > 1 && (
        <div class="radios" role="radiogroup" aria-label="Segments must match">
          {(
            [
              ['OR_SEGMENT_OPERATOR', 'Any (OR)'],
              ['AND_SEGMENT_OPERATOR', 'All (AND)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="segmentOperator"
                value={value}
                checked={props.operator === value}
                onChange={() => props.onChange([...props.selected], value)}
              />
              {label}
            </label>
          ))}
        </div>
      )}
      {props.error && (
        <small class="error" role="alert">
          {props.error}
        </small>
      )}
    </fieldset>
  );
}

/** The request fields for a segment selection, as Flipt wants them (one key, or several). */
export function segmentFields(selected: readonly string[], operator: SegmentOperator) {
  return selected.length === 1
    ? { segmentKey: selected[0], segmentOperator: 'OR_SEGMENT_OPERATOR' }
    : { segmentKeys: [...selected], segmentOperator: operator };
}
