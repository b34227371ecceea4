/**
 * Undo / redo over snapshots of the document. `present` may change without a history entry (a node being
 * dragged, a selection); `commit` records the last committed snapshot so Ctrl+Z goes back to it. Commits with
 * the same `mergeKey` in quick succession (typing a name) become one entry.
 */
export interface History<T> {
  past: T[];
  /** The snapshot the last commit saw; undo returns here first. */
  committed: T;
  present: T;
  future: T[];
  lastKey?: string;
  lastAt?: number;
}

export const HISTORY_LIMIT = 100;
export const MERGE_WINDOW_MS = 1000;

export function createHistory<T>(initial: T): History<T> {
  return { past: [], committed: initial, present: initial, future: [] };
}

/** Replaces the present without a history entry. */
export function setPresent<T>(history: History<T>, present: T): History<T> {
  return { ...history, present };
}

/**
 * Replaces the present with a change that is not worth undoing (selection, measured sizes): when nothing was
 * pending, the committed snapshot follows, so the next undo does not stop at it.
 */
export function setSilently<T>(history: History<T>, present: T): History<T> {
  return { ...history, present, committed: history.present === history.committed ? present : history.committed };
}

/**
 * Records `next` (default: the present) as a new undoable state. `mergeKey`: commits with the same key within
 * MERGE_WINDOW_MS of each other are merged into one undo step.
 */
export function commit<T>(
  history: History<T>,
  next: T = history.present,
  mergeKey?: string,
  now = Date.now(),
): History<T> {
  if (next === history.committed) return { ...history, present: next };
  const merge =
    mergeKey !== undefined &&
    mergeKey === history.lastKey &&
    history.lastAt !== undefined &&
    now - history.lastAt < MERGE_WINDOW_MS;
  const past = merge ? history.past : [...history.past, history.committed].slice(-HISTORY_LIMIT);
  return { past, committed: next, present: next, future: [], lastKey: mergeKey, lastAt: now };
}

export function canUndo<T>(history: History<T>): boolean {
  return history.past.length > 0 || history.present !== history.committed;
}

export function canRedo<T>(history: History<T>): boolean {
  return history.future.length > 0;
}

export function undo<T>(history: History<T>): History<T> {
  // Uncommitted changes (a drag not yet recorded) are undone first.
  if (history.present !== history.committed) {
    return { ...history, present: history.committed, future: [history.present, ...history.future], lastKey: undefined };
  }
  if (history.past.length === 0) return history;
  const previous = history.past[history.past.length - 1];
  return {
    past: history.past.slice(0, -1),
    committed: previous,
    present: previous,
    future: [history.present, ...history.future],
  };
}

export function redo<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  const [next, ...rest] = history.future;
  return {
    past: [...history.past, history.committed].slice(-HISTORY_LIMIT),
    committed: next,
    present: next,
    future: rest,
  };
}
