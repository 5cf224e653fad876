import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';

export interface Action {
  busy: boolean;
  /** The API's message for `field` when it is about that field. */
  errorFor(field: string): string | undefined;
  /** The error when no field on this form claims it. */
  general: string | undefined;
  run(fn: () => Promise<unknown>): Promise<boolean>;
  fail(message: string, field?: string): void;
}

/** Runs a form's API calls and files their errors next to the field they concern. */
export function useAction(fields: readonly string[] = []): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string | undefined } | undefined>();
  const claimed = error?.field !== undefined && fields.includes(error.field);
  return {
    busy,
    errorFor: (field) => (error && error.field === field ? error.message : undefined),
    general: error && !claimed ? error.message : undefined,
    fail: (message, field) => setError({ message, field }),
    async run(fn) {
      setBusy(true);
      setError(undefined);
      try {
        await fn();
        return true;
      } catch (e) {
        setError({ message: (e as Error).message, field: e instanceof ApiError ? e.field : undefined });
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}
