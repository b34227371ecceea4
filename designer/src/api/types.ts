import type { components } from './schema';

/**
 * Types of the Duban HTTP API (JSON, camelCase), named for the web app. The shapes are the server's: each is an alias
 * of the type generated from its OpenAPI document (schema.d.ts, `npm run api:generate`), so a change on the server
 * shows up here as a type error, not as a surprise at run time.
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
  /** Creates organizations; belongs to none and sees none of their business (decision 035). */
  platform: '平台管理员',
  /** Reads the organization's security audit log (三员分立, decision 044); takes no part in the business. */
  auditor: '审计员',
  /** Defines roles and permissions, grants roles, sets the security policy (三员分立, decision 049). */
  securityAdmin: '安全管理员',
} as const;

/** What a role lets its holders do (decision 049); `me.permissions` lists the signed-in person's. */
export type PermissionKey =
  | 'seeAllItems'
  | 'supervise'
  | 'score'
  | 'handleUnitTasks'
  | 'designProcedures'
  | 'configureSupervision'
  | 'manageUnitsAndPeople'
  | 'manageRolesAndSecurity'
  | 'readAuditLog';

/** 角色与权限 (decision 049). */
export type RoleDefinition = Schemas['RoleDefinitionDto'];
export type RoleDefinitions = Schemas['RoleDefinitionsDto'];

type Schemas = components['schemas'];

export type RoleName = (typeof ROLES)[keyof typeof ROLES];

export type CurrentUser = Schemas['CurrentUserDto'];

export type LoginRequest = Schemas['LoginRequest'];

export type ChangePasswordRequest = Schemas['ChangePasswordRequest'];

export type PasswordPolicy = Schemas['PasswordPolicyDto'];

/** The password was right; the account signs in with a second factor, and the code step follows (decision 046). */
export type SecondFactorChallenge = Schemas['SecondFactorChallengeDto'];

export type SecondFactorStatus = Schemas['SecondFactorStatusDto'];

export type SecondFactorSetup = Schemas['SecondFactorSetupDto'];

export type SecondFactorEnrolled = Schemas['SecondFactorEnrolledDto'];

export type DisableSecondFactorRequest = Schemas['DisableSecondFactorRequest'];

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
export type TaskKind = Schemas['TaskKind'];
export type TaskStatus = Schemas['HumanTaskStatus'];
/** Traffic light of a deadline: 正常 / 临期 / 超期. */
export type Light = NonNullable<Schemas['TaskSummary']['light']>;

export type TaskSummary = Schemas['TaskSummary'];

export interface TaskQuery {
  box: TaskBox;
  page?: number;
  pageSize?: number;
  q?: string;
  definitionId?: string;
  light?: Light;
  /** 已办: the `nextCursor` of the page before (keyset paging, docs/decisions/042 addendum). */
  after?: string;
}

export interface PagedResult<T> {
  items: T[];
  total: number;
  /** The total is a lower bound: counted only 1000 rows past the page's start (台账, 已办; docs/decisions/042). */
  totalCapped?: boolean | null;
  /** The next page's cursor, sent back as `after` (台账, 已办); null on the last page. */
  nextCursor?: string | null;
  page: number;
  pageSize: number;
}

export type DefinitionSummary = Schemas['DefinitionSummary'];

// ---------------------------------------------------------------------------
// Task page, start page and item page (web-task)

export type WorkflowStatus = Schemas['WorkflowStatus'];

export type JournalKind = Schemas['JournalKind'];

export type ReturnTarget = Schemas['ReturnTarget'];

/** GET /api/tasks/{id}. `form` and `permissions` are this step's; `data` leaves out fields hidden from it. */
export type TaskDetail = Schemas['TaskDetail'];

/** Completing with `outcome` needs `nextAssignees[activityId]` (ids `user:…` / `unit:…`) when `required`. */
export type NextStepChoice = Schemas['NextStepChoice'];

export type CompleteTaskRequest = Schemas['CompleteTaskRequest'];

export type ReturnTaskRequest = Schemas['ReturnTaskRequest'];

export type InstanceSummary = Schemas['InstanceSummary'];

export type TimelineEntry = Schemas['TimelineEntry'];

/**
 * GET /api/instances/{id}. `data` holds only the fields this user may see; `form` and `permissions` say how to
 * show them (a field absent from `permissions` is shown read-only).
 */
export type InstanceDetail = Schemas['InstanceDetail'];

export type StartInstanceRequest = Schemas['StartInstanceRequest'];

/** 模拟运行 (decision 045): what the units do, and the time line the simulation answers. */
export type SimulationScenario = Schemas['SimulationScenario'];
export type UnitBehaviour = Schemas['UnitBehaviour'];
export type SimulationResult = Schemas['SimulationResult'];
export type SimulationEvent = Schemas['SimulationEvent'];
export type SimulationUnitScore = Schemas['SimulationUnitScore'];
/** A scenario kept with a procedure, and a saved scenario run again on the latest version. */
export type SavedScenarioView = Schemas['SavedScenarioView'];
export type ScenarioCheck = Schemas['ScenarioCheck'];
