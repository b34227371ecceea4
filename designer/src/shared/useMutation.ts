import { useCallback, useEffect, useRef, useState } from 'react';

export interface Mutation<A extends unknown[], R> {
  /** Runs the mutation; resolves to its result, or to `undefined` when it failed (the failure is in `error`). */
  run: (...args: A) => Promise<R | undefined>;
  /** A run has not answered yet. */
  pending: boolean;
  /** The last run's failure; cleared when a run starts. */
  error: unknown;
  /** Forgets the last failure (e.g. when the dialog closes). */
  reset: () => void;
}

export interface MutationOptions<R> {
  onSuccess?: (result: R) => void;
  /** Called with the failure (after `error` is set): map it onto a form, say it in a message. */
  onError?: (error: unknown) => void;
}

/**
 * One write to the server with its pending flag and its failure. A second `run` while one is pending is ignored, so a
 * double click sends one request. Nothing is set after the component unmounts.
 */
export function useMutation<A extends unknown[], R>(
  mutate: (...args: A) => Promise<R>,
  options: MutationOptions<R> = {},
): Mutation<A, R> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef({ mutate, options });
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    latest.current = { mutate, options };
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setPending(true);
    setError(null);
    try {
      const result = await latest.current.mutate(...args);
      if (mounted.current) latest.current.options.onSuccess?.(result);
      return result;
    } catch (e: unknown) {
      if (mounted.current) {
        setError(e);
        latest.current.options.onError?.(e);
      }
      return undefined;
    } finally {
      running.current = false;
      if (mounted.current) setPending(false);
    }
  }, []);
  const reset = useCallback(() => setError(null), []);
  return { run, pending, error, reset };
}
