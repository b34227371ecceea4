import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError } from '../../api/client';
import { conveniencesApi } from './conveniencesApi';

/** Milliseconds of quiet after the last keystroke before the draft is saved by itself. */
export const AUTOSAVE_DELAY = 1500;

export interface DraftState {
  /** When the draft was last saved on the server (ISO), null when none is kept. */
  savedAt: string | null;
  saving: boolean;
  /** The last save failed: its message (the draft on the server is older than what is on screen). */
  error: string | null;
}

interface Options {
  taskId: string;
  /** Only the person holding the open task keeps a draft. */
  enabled: boolean;
  /** Called once, with the draft found on the server, so the page can put it back into the form. */
  onRestore: (data: Record<string, unknown>, comment: string | null) => void;
}

/**
 * 暂存: reads the task's server-side draft once and hands it to the page; `schedule` saves what is on screen after
 * {@link AUTOSAVE_DELAY} ms of quiet (each change restarts the wait); `saveNow` saves at once (the 暂存 button).
 */
export function useTaskDraft({ taskId, enabled, onRestore }: Options) {
  const [state, setState] = useState<DraftState>({ savedAt: null, saving: false, error: null });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const restore = useRef(onRestore);
  useEffect(() => {
    restore.current = onRestore;
  });

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    conveniencesApi
      .draft(taskId, controller.signal)
      .then((draft) => {
        if (!draft.exists) return;
        restore.current((draft.data ?? {}) as Record<string, unknown>, draft.comment ?? null);
        setState({ savedAt: draft.savedAt ?? null, saving: false, error: null });
      })
      .catch((error: unknown) => {
        if (!isAbortError(error)) setState((s) => ({ ...s, error: '暂存内容读取失败' }));
      });
    return () => controller.abort();
  }, [taskId, enabled]);

  const cancelScheduled = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const saveNow = useCallback(
    async (data: Record<string, unknown>, comment: string) => {
      cancelScheduled();
      setState((s) => ({ ...s, saving: true }));
      try {
        const saved = await conveniencesApi.saveDraft(taskId, { data, comment: comment.trim() || null });
        setState({ savedAt: saved.savedAt, saving: false, error: null });
        return true;
      } catch (error) {
        setState((s) => ({ ...s, saving: false, error: error instanceof Error ? error.message : '暂存失败' }));
        return false;
      }
    },
    [taskId, cancelScheduled],
  );

  const schedule = useCallback(
    (data: Record<string, unknown>, comment: string) => {
      if (!enabled) return;
      cancelScheduled();
      timer.current = setTimeout(() => void saveNow(data, comment), AUTOSAVE_DELAY);
    },
    [enabled, saveNow, cancelScheduled],
  );

  useEffect(() => cancelScheduled, [cancelScheduled]);

  return { state, schedule, saveNow, cancelScheduled };
}
