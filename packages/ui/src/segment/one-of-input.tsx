import { useState } from 'preact/hooks';

/** A list of values: type one, Enter or "Add" appends it; each item has its own remove button. */
export function OneOfInput(props: {
  items: string[];
  onChange: (items: string[]) => void;
  numeric: boolean;
  error?: string | undefined;
}) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const value = draft.trim();
    if (!value) return;
    // Pasted comma-separated lists become several items.
    props.onChange([
      ...props.items,
      ...value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ]);
    setDraft('');
  };
  return (
    <fieldset class={props.error ? 'one-of invalid' : 'one-of'}>
      <legend>Values</legend>
      <ul class="chips">
        {props.items.map((item, i) => (
          <li key={`${i}:${item}`}>
            {item}
            <button
              type="button"
              class="icon"
              aria-label={`Remove ${item}`}
              onClick={() => props.onChange(props.items.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div class="inline-form">
        <input
          aria-label="New value"
          name="oneOfItem"
          type={props.numeric ? 'number' : 'text'}
          value={draft}
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add}>
          Add
        </button>
      </div>
      {props.error && (
        <small class="error" role="alert">
          {props.error}
        </small>
      )}
    </fieldset>
  );
}
