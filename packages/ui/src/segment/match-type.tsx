import type { MatchType } from '../api/types.ts';

export function MatchTypeChoice(props: {
  value: MatchType;
  onChange: (v: MatchType) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset class="radios">
      <legend>Match</legend>
      {(
        [
          ['ALL_MATCH_TYPE', 'All constraints'],
          ['ANY_MATCH_TYPE', 'Any constraint'],
        ] as const
      ).map(([value, label]) => (
        <label key={value}>
          <input
            type="radio"
            name="matchType"
            value={value}
            disabled={props.disabled}
            checked={props.value === value}
            onChange={() => props.onChange(value)}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
