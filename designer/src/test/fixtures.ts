import type { CurrentUser, DefinitionSummary, PagedResult, TaskSummary } from '../api/types';

export const liaisonUser: CurrentUser = {
  id: 'u-fazhi',
  userName: 'fazhi',
  displayName: '法制处联络员',
  unitId: 'unit-fazhi',
  unitName: '法制处',
  roles: ['承办单位联络员'],
  permissions: ['handleUnitTasks'],
  outsideBusiness: false,
};

export const definitions: DefinitionSummary[] = [
  {
    definitionId: 'leader-instruction',
    name: '领导批示件',
    description: null,
    publishedVersion: 2,
    latestVersion: 3,
    hasDraft: true,
    updatedAt: '2026-03-01T08:00:00+08:00',
    canStart: true,
  },
  {
    definitionId: 'key-task',
    name: '重点工作',
    description: null,
    publishedVersion: 1,
    latestVersion: 1,
    hasDraft: false,
    updatedAt: '2026-03-01T08:00:00+08:00',
    canStart: true,
  },
];

export function task(overrides: Partial<TaskSummary> = {}): TaskSummary {
  return {
    id: 't1',
    instanceId: 'i1',
    itemTitle: '关于加快推进营商环境优化的批示',
    itemNumber: '督〔2026〕1号',
    definitionId: 'leader-instruction',
    definitionName: '领导批示件',
    activityId: 'handle',
    activityName: '承办单位办理',
    kind: 'task',
    status: 'open',
    assigneeName: null,
    unitName: '法制处',
    createdAt: '2026-03-01T09:30:00+08:00',
    dueAt: '2026-03-15T18:00:00+08:00',
    light: 'green',
    completedAt: null,
    outcome: null,
    ...overrides,
  };
}

export function page(items: TaskSummary[], total = items.length): PagedResult<TaskSummary> {
  return { items, total, page: 1, pageSize: 20 };
}
