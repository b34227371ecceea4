import { useEffect, useState } from 'react';
import { definitionsApi, isAbortError, tasksApi } from '../../api/client';
import type { DefinitionSummary, PagedResult, TaskQuery, TaskSummary } from '../../api/types';

export interface TasksState {
  data: PagedResult<TaskSummary> | null;
  loading: boolean;
  error: unknown;
}

/** Loads one page of GET /api/tasks; keeps the previous page visible while loading. */
export function useTasks(query: TaskQuery, reloadToken = 0): TasksState {
  const [state, setState] = useState<TasksState>({ data: null, loading: true, error: null });
  const key = JSON.stringify(query);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    tasksApi
      .list(JSON.parse(key) as TaskQuery, controller.signal)
      .then((data) => setState({ data, loading: false, error: null }))
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setState((s) => ({ data: s.data, loading: false, error }));
      });
    return () => controller.abort();
  }, [key, reloadToken]);

  return state;
}

/** Workflow definitions for the 流程类型 filter; failures just leave the list empty. */
export function useDefinitions(): { definitions: DefinitionSummary[]; loading: boolean } {
  const [definitions, setDefinitions] = useState<DefinitionSummary[]>([]);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    definitionsApi
      .list(controller.signal)
      .then((list) => setDefinitions(Array.isArray(list) ? list : []))
      .catch(() => {
        /* filter stays empty; the table itself reports errors */
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, []);

  return { definitions, loading };
}
