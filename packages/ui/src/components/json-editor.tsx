import { Field } from './fields.tsx';

/** Why `text` is not acceptable JSON (Flipt: any JSON value, at most 1000 KB), or undefined. */
export function jsonProblem(text: string, { objectOnly = false } = {}): string | undefined {
  if (text.trim() === '') return undefined;
  if (new TextEncoder().encode(text).byteLength > 1000 * 1024) return 'must be at most 1000 KB';
  try {
    const value: unknown = JSON.parse(text);
    if (objectOnly && (value === null || typeof value !== 'object' || Array.isArray(value)))
      return 'must be a JSON object';
    return undefined;
  } catch (e) {
    return `invalid JSON: ${(e as Error).message}`;
  }
}

/** Pretty-prints stored (compacted) JSON for editing. */
export function prettyJson(text: string): string {
  try {
    return text.trim() ? JSON.stringify(JSON.parse(text), null, 2) : '';
  } catch {
    return text;
  }
}

interface Props {
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** An error from the server about this field; local syntax errors show first. */
  error?: string | undefined;
  objectOnly?: boolean;
  rows?: number;
}

export function JsonEditor({ label, value, onInput, error, objectOnly, rows = 5 }: Props) {
  const problem = jsonProblem(value, { objectOnly: objectOnly ?? false }) ?? error;
  return (
    <Field label={label} error={problem}>
      {(id, described) => (
        <textarea
          id={id}
          class="code"
          rows={rows}
          spellcheck={false}
          value={value}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={described}
          onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are never trapped).
            if (
              e.key === 'Tab' &&
              !e.shiftKey &&
              !(e.currentTarget as HTMLTextAreaElement).dataset['escaped']
            ) {
              const area = e.currentTarget as HTMLTextAreaElement;
              e.preventDefault();
              const { selectionStart: s, selectionEnd: end } = area;
              onInput(`${area.value.slice(0, s)}  ${area.value.slice(end)}`);
              requestAnimationFrame(() => area.setSelectionRange(s + 2, s + 2));
            } else if (e.key === 'Escape') {
              (e.currentTarget as HTMLTextAreaElement).dataset['escaped'] = '1';
            } else {
              delete (e.currentTarget as HTMLTextAreaElement).dataset['escaped'];
            }
          }}
        />
      )}
    </Field>
  );
}
