import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isAbortError } from '../api/client';

export interface Query<T> {
  /** The last data loaded, kept while a newer request (another key, a reload) is on its way. */
  data: T | undefined;
  /** The failure of the request for the current key (cleared when the next request starts). */
  error: unknown;
  /** A request for the current key (or reload) has not answered yet. */
  loading: boolean;
  /** Loads again with the same key. */
  reload: () => void;
  /** Replaces the data held (after a mutation returned the new state), without a request. */
  setData: (update: T | ((current: T | undefined) => T)) => void;
}

interface Settled<T> {
  /** Which request settled: the key and reload count it was made for. */
  id: string | null;
  data: T | undefined;
  error: unknown;
}

/**
 * Loads `load(signal)` whenever `key` changes (compared by value), or when `reload` is called, and aborts the request
 * it replaces and the one in flight on unmount. A `null` key loads nothing (e.g. until an id is known). An aborted
 * request leaves no error and does not end `loading`: the request that replaced it does.
 */
export function useQuery<T>(key: readonly unknown[] | null, load: (signal: AbortSignal) => Promise<T>): Query<T> {
  const keyText = key === null ? null : JSON.stringify(key);
  const [reloads, setReloads] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>({ id: null, data: undefined, error: null });
  // `load` is a new function on every render; what it loads is named by `key`.
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  const id = keyText === null ? null : `${reloads}:${keyText}`;
  useEffect(() => {
    if (id === null) return;
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setSettled({ id, data, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbortError(error)) setSettled((s) => ({ id, data: s.data, error }));
      },
    );
    return () => controller.abort();
  }, [id]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const setData = useCallback(
    (update: T | ((current: T | undefined) => T)) =>
      setSettled((s) => ({
        ...s,
        data: typeof update === 'function' ? (update as (current: T | undefined) => T)(s.data) : update,
      })),
    [],
  );
  const current = id !== null && settled.id === id;
  return {
    data: settled.data,
    error: current ? settled.error : null,
    loading: id !== null && !current,
    reload,
    setData,
  };
}
