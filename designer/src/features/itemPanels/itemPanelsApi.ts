import { request } from '../../api/client';
import type { FormDefinition } from '../../shared/forms/types';

/** One unit's part in a 交办 step (GET /api/instances/{id}/assignments → units). */
export interface AssignmentUnit {
  taskId: string;
  unitId: string;
  unitName: string;
  /** `lead` (主办) or `co` (协办). */
  role: string;
  roleName: string;
  /** open, submitted, returned, cancelled, replaced, removed */
  status: string;
  assignedAt: string;
  dueAt: string | null;
  submittedAt: string | null;
  submittedByName: string | null;
  outcome: string | null;
  comment: string | null;
  input: Record<string, unknown> | null;
  inputHidden: boolean;
  replacesTaskId: string | null;
  replacedByTaskId: string | null;
  endedAt: string | null;
  endedByName: string | null;
  endComment: string | null;
}

/** One 交办 step (one round of it). `active`: the step waits now, so the office may change its units. */
export interface AssignmentStep {
  activityId: string;
  activityName: string;
  executionId: string;
  round: number;
  active: boolean;
  /** `lead` or `all` */
  completion: string;
  myRole: string | null;
  coForm: FormDefinition | null;
  units: AssignmentUnit[];
}

/** One task (child item) of a breakdown. */
export interface BreakdownTask {
  instanceId: string;
  index: number;
  number: string | null;
  title: string;
  /** open, done, cancelled */
  state: string;
  result: string | null;
  /** onTime, late, onSchedule, overdue; null without a deadline */
  timeliness: string | null;
  light: string | null;
  createdAt: string;
  dueAt: string | null;
  finishedAt: string | null;
  leadUnitId: string | null;
  leadUnitName: string | null;
  coUnitNames: string[];
  currentSteps: string[];
  percent: number | null;
  currentPhase: string | null;
  progressReports: number;
  lastReportAt: string | null;
  lastReport: string | null;
  returns: number;
  extensionsApproved: number;
  chases: number;
}

/** GET /api/instances/{id}/breakdown */
export interface BreakdownProgress {
  instanceId: string;
  total: number;
  done: number;
  doneOnTime: number;
  doneLate: number;
  open: number;
  overdue: number;
  dueSoon: number;
  cancelled: number;
  percentDone: number;
  tasks: BreakdownTask[];
}

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
