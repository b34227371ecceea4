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
