import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** One unit's part in a 交办 step (GET /api/instances/{id}/assignments → units). */
export type AssignmentUnit = Schemas['AssignmentUnitView'];

/** One 交办 step (one round of it). `active`: the step waits now, so the office may change its units. */
export type AssignmentStep = Schemas['AssignmentStepView'];

/** One task (child item) of a breakdown. */
export type BreakdownTask = Schemas['BreakdownTaskView'];

/** GET /api/instances/{id}/breakdown */
export type BreakdownProgress = Schemas['BreakdownProgressView'];

const base = (id: string) => `/api/instances/${encodeURIComponent(id)}`;
const unitPath = (id: string, activityId: string) => `${base(id)}/assignments/${encodeURIComponent(activityId)}/units`;

export const assignmentsApi = {
  list: (instanceId: string, signal?: AbortSignal) =>
    request<AssignmentStep[]>('GET', `${base(instanceId)}/assignments`, { signal }),
  add: (instanceId: string, activityId: string, unitId: string, reason: string) =>
    request<AssignmentStep>('POST', unitPath(instanceId, activityId), { body: { unitId, reason } }),
  replace: (instanceId: string, activityId: string, unitId: string, newUnitId: string, reason: string) =>
    request<AssignmentStep>('POST', `${unitPath(instanceId, activityId)}/${encodeURIComponent(unitId)}/replace`, {
      body: { newUnitId, reason },
    }),
  remove: (instanceId: string, activityId: string, unitId: string, reason: string) =>
    request<AssignmentStep>('POST', `${unitPath(instanceId, activityId)}/${encodeURIComponent(unitId)}/remove`, {
      body: { reason },
    }),
};

export const breakdownApi = {
  get: (instanceId: string, signal?: AbortSignal) =>
    request<BreakdownProgress>('GET', `${base(instanceId)}/breakdown`, { signal }),
};
