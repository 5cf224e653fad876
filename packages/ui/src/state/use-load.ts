import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  reload: () => void;
}

/**
 * Loads `fn()` whenever a dependency changes, keeping the previous data on screen while the next
 * load runs (so a pushed change does not flash the page), and dropping answers that arrive late.
 */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    fn().then(
      (value) => {
        if (call !== latest.current) return;
        setData(value);
        setError(undefined);
      },
      (e: Error) => {
        if (call === latest.current) setError(e);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}
