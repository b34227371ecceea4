import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import {
  canRedo,
  canUndo,
  commit,
  createHistory,
  redo,
  setPresent,
  setSilently,
  undo,
  type History,
} from './model/history';
import type { DesignDoc } from './model/document';

/** The designer's document with undo / redo. `latest()` reads the current state from event handlers. */
export function useDesignerDoc(initial: DesignDoc) {
  const [history, setHistory] = useState<History<DesignDoc>>(() => createHistory(initial));
  const ref = useRef(history);
  // Event handlers read the rendered state through `latest()`; `update` also sets it at once for handlers that change
  // and read in one go.
  useLayoutEffect(() => {
    ref.current = history;
  }, [history]);

  const update = useCallback((fn: (h: History<DesignDoc>) => History<DesignDoc>) => {
    setHistory((h) => {
      const next = fn(h);
      ref.current = next;
      return next;
    });
  }, []);

  return {
    doc: history.present,
    latest: () => ref.current.present,
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    /** An undoable change. */
    change: useCallback(
      (fn: (doc: DesignDoc) => DesignDoc, mergeKey?: string) => update((h) => commit(h, fn(h.present), mergeKey)),
      [update],
    ),
    /** A change to finish later with `commitPending` (a drag). */
    changePending: useCallback(
      (fn: (doc: DesignDoc) => DesignDoc) => update((h) => setPresent(h, fn(h.present))),
      [update],
    ),
    commitPending: useCallback(() => update((h) => commit(h)), [update]),
    /** A change that is not an undo step (selection, measured sizes, validation marks). */
    changeSilently: useCallback(
      (fn: (doc: DesignDoc) => DesignDoc) => update((h) => setSilently(h, fn(h.present))),
      [update],
    ),
    undo: useCallback(() => update(undo), [update]),
    redo: useCallback(() => update(redo), [update]),
    reset: useCallback((doc: DesignDoc) => update(() => createHistory(doc)), [update]),
  };
}
