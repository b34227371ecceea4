/**
 * Types of the Duban HTTP API (JSON, camelCase).
 * Keep in sync with the server's OpenAPI document (/api/openapi/v1.json).
 *
 * Wire conventions: the server writes every property, absent values as `null`
 * (never omitted), so optional data is typed `T | null`; enums travel as
 * camelCase strings (`open`, `taskCompleted`, `readOnly` …).
 */

/** Role names as the server sends them (Chinese). */
export const ROLES = {
  admin: '管理员',
  supervisor: '督查员',
  leader: '领导',
  liaison: '承办单位联络员',
} as const;

export type RoleName = (typeof ROLES)[keyof typeof ROLES];

export interface CurrentUser {
  id: string;
  userName: string;
  displayName: string;
  unitId: string | null;
  unitName: string | null;
  /** Chinese role names, e.g. "管理员", "督查员", "领导", "承办单位联络员". */
  roles: string[];
}

export interface LoginRequest {
  userName: string;
  password: string;
}

/** RFC 7807 problem details (plus ASP.NET Core validation `errors`). */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: Record<string, string[]>;
  [extension: string]: unknown;
}

export type TaskBox = 'todo' | 'done' | 'notice';
/** Server enum TaskKind, camelCase. */
export type TaskKind = 'task' | 'notice';
/** Server enum HumanTaskStatus, camelCase. */
export type TaskStatus = 'open' | 'completed' | 'cancelled';
/** Traffic light of a deadline: 正常 / 临期 / 超期. */
export type Light = 'green' | 'yellow' | 'red';

export interface TaskSummary {
  id: string;
  instanceId: string;
  itemTitle: string;
  itemNumber: string | null;
  definitionId: string;
  definitionName: string;
  activityId: string;
  activityName: string;
  kind: TaskKind;
  status: TaskStatus;
  assigneeName: string | null;
  unitName: string | null;
  /** ISO 8601 date-time. */
  createdAt: string;
  dueAt: string | null;
  light: Light | null;
  completedAt: string | null;
  outcome: string | null;
}

export interface TaskQuery {
  box: TaskBox;
  page?: number;
  pageSize?: number;
  q?: string;
  definitionId?: string;
  light?: Light;
}

export interface PagedResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface DefinitionSummary {
  definitionId: string;
  name: string;
  publishedVersion: number | null;
  latestVersion: number;
  /**
   * Always sent by the server (`description` as `null` when there is none);
   * optional here only because the inbox does not use them.
   */
  description?: string | null;
  hasDraft?: boolean;
  /** ISO 8601 date-time. */
  updatedAt?: string;
}

// ---------------------------------------------------------------------------
// Task page, start page and item page (web-task)

/** Server enum WorkflowStatus, camelCase. */
export type WorkflowStatus = 'running' | 'suspended' | 'completed' | 'cancelled' | 'faulted';

/** Server enum JournalKind, camelCase. */
export type JournalKind =
  | 'instanceStarted'
  | 'activityStarted'
  | 'activityCompleted'
  | 'activityFaulted'
  | 'taskCreated'
  | 'taskClaimed'
  | 'taskCompleted'
  | 'taskReturned'
  | 'taskTransferred'
  | 'taskCancelled'
  | 'noticeRead'
  | 'timerScheduled'
  | 'timerFired'
  | 'childStarted'
  | 'childCompleted'
  | 'instanceCompleted'
  | 'instanceCancelled'
  | 'incidentRetried'
  | (string & {});

export interface ReturnTarget {
  activityId: string;
  name: string;
}

/** GET /api/tasks/{id}. `form` and `permissions` are this step's; `data` leaves out fields hidden from it. */
export interface TaskDetail {
  task: TaskSummary;
  form: import('../shared/forms/types').FormDefinition | null;
  permissions: Record<string, import('../shared/forms/types').FieldPermission>;
  outcomes: string[];
  data: Record<string, unknown>;
  message: string | null;
  canAct: boolean;
  needsClaim: boolean;
  returnTargets: ReturnTarget[];
  instanceStatus: WorkflowStatus;
  /** Next steps whose handler this task's handler picks (rule `previous`), per outcome. */
  nextSteps?: NextStepChoice[] | null;
}

/** Completing with `outcome` needs `nextAssignees[activityId]` (ids `user:…` / `unit:…`) when `required`. */
export interface NextStepChoice {
  outcome: string;
  activityId: string;
  name: string;
  required: boolean;
  /** Only units may be picked (a 交办 step's 主办 / 协办). */
  unitsOnly?: boolean;
  /** Several may be picked (default true). */
  multiple?: boolean;
}

export interface CompleteTaskRequest {
  outcome?: string | null;
  data?: Record<string, unknown> | null;
  comment?: string | null;
  nextAssignees?: Record<string, string[]> | null;
}

export interface ReturnTaskRequest {
  targetActivityId?: string | null;
  comment?: string | null;
}

export interface InstanceSummary {
  id: string;
  title: string;
  number: string | null;
  definitionId: string;
  definitionName: string;
  definitionVersion: number;
  status: WorkflowStatus;
  result: string | null;
  initiatorName: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface TimelineEntry {
  id: number;
  kind: JournalKind;
  at: string;
  activityId: string | null;
  activityName: string | null;
  round: number;
  actorId: string | null;
  actorName: string | null;
  taskId: string | null;
  outcome: string | null;
  comment: string | null;
  data: unknown;
}

/**
 * GET /api/instances/{id}. `data` holds only the fields this user may see; `form` and `permissions` say how to
 * show them (a field absent from `permissions` is shown read-only).
 */
export interface InstanceDetail {
  instance: InstanceSummary;
  data: Record<string, unknown>;
  incident: string | null;
  openTasks: TaskSummary[];
  timeline: TimelineEntry[];
  parentInstanceId: string | null;
  children: InstanceSummary[];
  form: import('../shared/forms/types').FormDefinition | null;
  /** Per field of `form`: `readOnly`, or `hidden` from this user. */
  permissions: Record<string, import('../shared/forms/types').FieldPermission>;
  /** Where the item waits now (tasks, timers, children): highlighted on the flowchart. */
  activeActivityIds: string[];
  /** Activities the item has passed through (for the flowchart). */
  doneActivityIds: string[];
}

export interface StartInstanceRequest {
  definitionId: string;
  data: Record<string, unknown>;
}
