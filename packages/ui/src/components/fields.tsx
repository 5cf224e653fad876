import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

// Labelled inputs whose error sits right under them and is announced to screen readers.

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (id: string, described: string | undefined) => ComponentChildren;
}

export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children(id, described)}
      {hint && (
        <small id={hintId} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={errorId} class="error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

interface TextProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  name?: string;
  required?: boolean;
  type?: string;
  placeholder?: string;
  disabled?: boolean;
}

export function TextField(props: TextProps) {
  return (
    <Field label={props.label} error={props.error} {...(props.hint ? { hint: props.hint } : {})}>
      {(id, described) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value}
          required={props.required}
          placeholder={props.placeholder}
          disabled={props.disabled}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={described}
          onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}

export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="form-error" role="alert">
      {message}
    </p>
  );
}

export function Toggle(props: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <label class="toggle">
      <input
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <span>{props.label}</span>
    </label>
  );
}

export function Section(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card" aria-label={props.title}>
      <header class="card-head">
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}
