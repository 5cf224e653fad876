import type { Variant } from '../api/types.ts';
import { maxFor, setShare, total } from './distribution-math.ts';

/** One percentage input per variant; each input's maximum keeps the total at or below 100. */
export function DistributionEditor(props: {
  variants: readonly Variant[];
  values: readonly number[];
  onChange: (values: number[]) => void;
  disabled?: boolean;
}) {
  const sum = total(props.values);
  return (
    <fieldset class="distributions">
      <legend>Distribution (percent of matching entities)</legend>
      {props.variants.map((variant, i) => (
        <label key={variant.id} class="share">
          <span>{variant.key}</span>
          <input
            type="number"
            min={0}
            max={maxFor(props.values, i)}
            step={0.01}
            inputMode="decimal"
            disabled={props.disabled}
            value={props.values[i] ?? 0}
            aria-label={`Percentage for ${variant.key}`}
            onInput={(e) => {
              const next = setShare(props.values, i, Number((e.currentTarget as HTMLInputElement).value));
              props.onChange(next);
              // Show the clamped value at once, even when it equals the previous state.
              (e.currentTarget as HTMLInputElement).value = String(next[i]);
            }}
          />
          <span aria-hidden="true">%</span>
          <span class="bar" aria-hidden="true">
            <span style={{ width: `${props.values[i] ?? 0}%` }} />
          </span>
        </label>
      ))}
      <p class="hint" aria-live="polite">
        Total {sum}%{sum < 100 ? `; ${Math.round((100 - sum) * 100) / 100}% get no variant` : ''}
      </p>
    </fieldset>
  );
}
