import { definitionsApi, tasksApi } from '../../api/client';
import type { DefinitionSummary, PagedResult, TaskQuery, TaskSummary } from '../../api/types';
import { useQuery } from '../../shared/useQuery';

export interface TasksState {
  data: PagedResult<TaskSummary> | null;
  loading: boolean;
  error: unknown;
}

/** Loads one page of GET /api/tasks; keeps the previous page visible while loading. */
export function useTasks(query: TaskQuery, reloadToken = 0): TasksState {
  const { data, loading, error } = useQuery(['tasks', query, reloadToken], (signal) => tasksApi.list(query, signal));
  return { data: data ?? null, loading, error };
}

/** Workflow definitions for the 流程类型 filter; failures just leave the list empty. */
export function useDefinitions(): { definitions: DefinitionSummary[]; loading: boolean } {
  const { data, loading } = useQuery(['definitions'], (signal) => definitionsApi.list(signal));
  return { definitions: Array.isArray(data) ? data : [], loading };
}
