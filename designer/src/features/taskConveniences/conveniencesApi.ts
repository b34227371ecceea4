import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type TaskDraftView = Schemas['TaskDraftView'];
export type TaskDraftSaved = Schemas['TaskDraftSaved'];
export type BatchReadResponse = Schemas['BatchReadResponse'];
export type BatchReadResult = Schemas['BatchReadResult'];
export type UrgeResult = Schemas['UrgeResult'];
export type SentBackNote = Schemas['SentBackNote'];
export type IncidentView = Schemas['IncidentView'];

const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

/** Issue 16's conveniences (docs/decisions/032): 暂存, 批量已阅, 一键催办, the send-back a redo answers, 运行异常. */
export const conveniencesApi = {
  draft: (id: string, signal?: AbortSignal) => request<TaskDraftView>('GET', `${task(id)}/draft`, { signal }),
  saveDraft: (id: string, body: { data: Record<string, unknown>; comment: string | null }) =>
    request<TaskDraftSaved>('PUT', `${task(id)}/draft`, { body }),
  readBatch: (taskIds: string[]) =>
    request<BatchReadResponse>('POST', '/api/tasks/read-batch', { body: { taskIds, comment: null } }),
  urge: (id: string) => request<UrgeResult>('POST', `${task(id)}/urge`),
  sentBack: (id: string, signal?: AbortSignal) =>
    request<Schemas['SentBackView']>('GET', `${task(id)}/sent-back`, { signal }),
  incidents: (signal?: AbortSignal) => request<IncidentView[]>('GET', '/api/incidents', { signal }),
  retry: (instanceId: string) => request<void>('POST', `/api/instances/${encodeURIComponent(instanceId)}/retry`),
  cancel: (instanceId: string, reason: string) =>
    request<void>('POST', `/api/instances/${encodeURIComponent(instanceId)}/cancel`, { body: { reason } }),
  migrate: (instanceId: string) =>
    request<Schemas['MigrateResult']>('POST', `/api/incidents/${encodeURIComponent(instanceId)}/migrate`),
  assign: (instanceId: string, toUserId: string) =>
    request<void>('POST', `/api/incidents/${encodeURIComponent(instanceId)}/assign`, { body: { toUserId } }),
  transfer: (taskId: string, toUserId: string) =>
    request<void>('POST', `${task(taskId)}/transfer`, { body: { toUserId, comment: '运行异常处理：转办' } }),
};

/** How a 批量已阅 went, in one sentence: how many were read, and each one that was not, with the server's reason. */
export function describeBatch(
  result: BatchReadResponse,
  titles: Record<string, string>,
): { text: string; failed: string[] } {
  const failed = result.results
    .filter((r) => r.status !== 'read')
    .map((r) => `「${titles[r.taskId] ?? '阅知事项'}」：${r.message ?? '未能确认'}`);
  const text =
    failed.length === 0 ? `已确认 ${result.read} 条已阅` : `已确认 ${result.read} 条已阅，${failed.length} 条未能确认`;
  return { text, failed };
}
