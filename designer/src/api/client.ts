import type {
  ChangePasswordRequest,
  CurrentUser,
  DefinitionSummary,
  DisableSecondFactorRequest,
  LoginRequest,
  PagedResult,
  PasswordPolicy,
  ProblemDetails,
  SecondFactorChallenge,
  SecondFactorEnrolled,
  SecondFactorSetup,
  SecondFactorStatus,
  TaskQuery,
  TaskSummary,
} from './types';

/** Fallback messages when the server sends no problem details. */
function defaultMessage(status: number): string {
  if (status === 0) return '无法连接服务器，请检查网络后重试';
  if (status === 400) return '请求参数有误';
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '请求的资源不存在';
  if (status === 409) return '数据已被他人修改，请刷新后重试';
  if (status === 429) return '请求过于频繁，请稍后再试';
  if (status >= 500) return `服务器错误（${status}），请稍后重试`;
  return `请求失败（${status}）`;
}

/**
 * Error thrown for every non-2xx response (and for network failures, status 0).
 * `message` is the text to show to the user: the problem's `detail`, else its
 * `title`, else a generic Chinese message for the status.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  /** Validation errors keyed by field name as sent by the server. */
  readonly fieldErrors: Readonly<Record<string, string[]>>;
  readonly problem: ProblemDetails | undefined;

  constructor(status: number, problem?: ProblemDetails) {
    const detail = nonEmpty(problem?.detail);
    const title = nonEmpty(problem?.title);
    super(detail ?? title ?? defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.problem = problem;
    this.fieldErrors = normaliseErrors(problem?.errors);
  }

  /** Messages for one field; the name is matched case-insensitively ("UserName" = "userName"). */
  errorsFor(field: string): string[] {
    const wanted = field.toLowerCase();
    const out: string[] = [];
    for (const [key, messages] of Object.entries(this.fieldErrors)) {
      if (key.toLowerCase() === wanted || key.toLowerCase() === `$.${wanted}`) out.push(...messages);
    }
    return out;
  }

  get hasFieldErrors(): boolean {
    return Object.keys(this.fieldErrors).length > 0;
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function normaliseErrors(errors: unknown): Record<string, string[]> {
  if (!errors || typeof errors !== 'object') return {};
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(errors as Record<string, unknown>)) {
    const messages = (Array.isArray(value) ? value : [value]).filter((m): m is string => typeof m === 'string');
    if (messages.length > 0) out[key] = messages;
  }
  return out;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Text to show for any error caught from the API client. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return '发生未知错误';
}

// ---------------------------------------------------------------------------

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | undefined;

/**
 * Called whenever the server answers 401 (session missing or expired),
 * except for the login request itself. The auth provider uses it to send the
 * user to /login. Returns a function that removes the handler.
 */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | undefined): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = undefined;
  };
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Don't treat 401 as "session expired" (login answers 401 for bad credentials). */
  ignoreUnauthorized?: boolean;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readProblem(response: Response): Promise<ProblemDetails | undefined> {
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('json')) return undefined;
  try {
    const body: unknown = await response.json();
    return body && typeof body === 'object' ? (body as ProblemDetails) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sent on every call: the server refuses a state-changing call without it (a page of another site can make the browser
 * send the cookie, but not this header — docs/decisions/036).
 */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_VALUE = 'XMLHttpRequest';

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', [CSRF_HEADER]: CSRF_VALUE };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError(0);
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    const error = new ApiError(response.status, problem);
    if (response.status === 401 && !options.ignoreUnauthorized) unauthorizedHandler?.();
    throw error;
  }

  if (response.status === 204 || response.status === 205) return undefined as T;
  const text = await response.text();
  if (text === '') return undefined as T;
  return JSON.parse(text) as T;
}

// ---------------------------------------------------------------------------
// Endpoints

export const authApi = {
  /** The user, or — for an account with a second factor — the challenge of the code step (202). */
  login: (credentials: LoginRequest) =>
    request<CurrentUser | SecondFactorChallenge>('POST', '/api/auth/login', {
      body: credentials,
      ignoreUnauthorized: true,
    }),
  loginCode: (code: string) =>
    request<CurrentUser>('POST', '/api/auth/login/second-factor', { body: { code }, ignoreUnauthorized: true }),
  secondFactor: (signal?: AbortSignal) => request<SecondFactorStatus>('GET', '/api/auth/second-factor', { signal }),
  secondFactorSetup: () => request<SecondFactorSetup>('POST', '/api/auth/second-factor/setup'),
  secondFactorConfirm: (code: string) =>
    request<SecondFactorEnrolled>('POST', '/api/auth/second-factor/confirm', { body: { code } }),
  secondFactorDisable: (body: DisableSecondFactorRequest) =>
    request<void>('POST', '/api/auth/second-factor/disable', { body }),
  logout: () => request<void>('POST', '/api/auth/logout', { ignoreUnauthorized: true }),
  me: (signal?: AbortSignal) => request<CurrentUser>('GET', '/api/auth/me', { signal }),
  changePassword: (body: ChangePasswordRequest) => request<void>('POST', '/api/auth/password', { body }),
  passwordPolicy: (signal?: AbortSignal) => request<PasswordPolicy>('GET', '/api/auth/password-policy', { signal }),
};

export const tasksApi = {
  list: (query: TaskQuery, signal?: AbortSignal) =>
    request<PagedResult<TaskSummary>>('GET', '/api/tasks', {
      query: { ...query },
      signal,
    }),
};

export const definitionsApi = {
  list: (signal?: AbortSignal) => request<DefinitionSummary[]>('GET', '/api/definitions', { signal }),
};

export const api = {
  auth: authApi,
  tasks: tasksApi,
  definitions: definitionsApi,
};

// ---------------------------------------------------------------------------
// Task page, start page and item page (web-task)

export const taskApi = {
  get: (id: string, signal?: AbortSignal) =>
    request<import('./types').TaskDetail>('GET', `/api/tasks/${encodeURIComponent(id)}`, { signal }),
  claim: (id: string) => request<void>('POST', `/api/tasks/${encodeURIComponent(id)}/claim`),
  complete: (id: string, body: import('./types').CompleteTaskRequest) =>
    request<void>('POST', `/api/tasks/${encodeURIComponent(id)}/complete`, { body }),
  return: (id: string, body: import('./types').ReturnTaskRequest) =>
    request<void>('POST', `/api/tasks/${encodeURIComponent(id)}/return`, { body }),
  read: (id: string, comment?: string) =>
    request<void>('POST', `/api/tasks/${encodeURIComponent(id)}/read`, { body: { comment: comment ?? null } }),
};

export const instancesApi = {
  get: (id: string, signal?: AbortSignal) =>
    request<import('./types').InstanceDetail>('GET', `/api/instances/${encodeURIComponent(id)}`, { signal }),
  start: (body: import('./types').StartInstanceRequest) =>
    request<import('./types').InstanceSummary>('POST', '/api/instances', { body }),
};

/** One version of a procedure (GET /api/definitions/{id}?version=); the definition as the designer saves it. */
export interface DefinitionDocument<TDefinition = unknown> {
  meta: { id: string; definitionId: string; version: number; name: string; isPublished: boolean };
  definition: TDefinition;
}

export const definitionVersionApi = {
  get: <TDefinition = unknown>(definitionId: string, version?: number, signal?: AbortSignal) =>
    request<DefinitionDocument<TDefinition>>('GET', `/api/definitions/${encodeURIComponent(definitionId)}`, {
      query: { version },
      signal,
    }),
};
