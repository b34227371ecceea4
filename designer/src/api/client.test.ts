import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { ApiError, authApi, buildUrl, errorMessage, request, setUnauthorizedHandler, tasksApi } from './client';

describe('buildUrl', () => {
  it('leaves out empty, null and undefined query values', () => {
    expect(buildUrl('/api/tasks', { box: 'todo', page: 2, q: '', light: undefined, definitionId: null })).toBe(
      '/api/tasks?box=todo&page=2',
    );
  });

  it('encodes Chinese search text', () => {
    expect(buildUrl('/api/tasks', { q: '营商 环境' })).toBe('/api/tasks?q=%E8%90%A5%E5%95%86+%E7%8E%AF%E5%A2%83');
  });
});

describe('request', () => {
  let removeHandler: (() => void) | undefined;
  afterEach(() => removeHandler?.());

  it('sends JSON with same-origin credentials and parses the body', async () => {
    const fetchFn = mockFetch({ 'POST /api/echo': (_url, init) => ({ body: JSON.parse(String(init?.body)) }) });
    const result = await request<{ a: number }>('POST', '/api/echo', { body: { a: 1 } });
    expect(result).toEqual({ a: 1 });
    const init = fetchFn.mock.calls[0][1];
    expect(init?.credentials).toBe('same-origin');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    // The server refuses state-changing calls without it (CSRF, decision 036).
    expect((init?.headers as Record<string, string>)['X-Requested-With']).toBe('XMLHttpRequest');
  });

  it('returns undefined for 204 No Content', async () => {
    mockFetch({ 'POST /api/auth/logout': { status: 204 } });
    await expect(authApi.logout()).resolves.toBeUndefined();
  });

  it('turns problem details into an ApiError with detail as message', async () => {
    mockFetch({
      'POST /api/auth/login': {
        status: 401,
        body: { title: 'Unauthorized', status: 401, detail: '用户名或密码错误' },
      },
    });
    const error = await authApi.login({ userName: 'fazhi', password: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(401);
    expect(apiError.message).toBe('用户名或密码错误');
    expect(apiError.detail).toBe('用户名或密码错误');
    expect(apiError.title).toBe('Unauthorized');
    expect(apiError.hasFieldErrors).toBe(false);
  });

  it('exposes validation errors per field, matching names case-insensitively', async () => {
    mockFetch({
      'POST /api/auth/login': {
        status: 400,
        body: {
          title: 'One or more validation errors occurred.',
          status: 400,
          errors: { UserName: ['请输入用户名'], password: ['请输入密码', '密码过短'] },
        },
      },
    });
    const error = (await authApi.login({ userName: '', password: '' }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(400);
    expect(error.hasFieldErrors).toBe(true);
    expect(error.errorsFor('userName')).toEqual(['请输入用户名']);
    expect(error.errorsFor('Password')).toEqual(['请输入密码', '密码过短']);
    expect(error.errorsFor('other')).toEqual([]);
    // No detail: the title is the message.
    expect(error.message).toBe('One or more validation errors occurred.');
  });

  it('falls back to a Chinese message when the body is not problem details', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>oops</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })),
    );
    const error = (await request('GET', '/api/anything').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.problem).toBeUndefined();
    expect(error.message).toBe('服务器错误（502），请稍后重试');
  });

  it('reports network failures as status 0', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    const error = (await request('GET', '/api/anything').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(errorMessage(error)).toBe('无法连接服务器，请检查网络后重试');
  });

  it('calls the unauthorized handler on 401, but not for the login request', async () => {
    const onUnauthorized = vi.fn();
    removeHandler = setUnauthorizedHandler(onUnauthorized);
    mockFetch({
      'GET /api/tasks': { status: 401, body: { title: 'Unauthorized', status: 401 } },
      'POST /api/auth/login': { status: 401, body: { title: 'Unauthorized', status: 401, detail: '用户名或密码错误' } },
    });

    await expect(authApi.login({ userName: 'a', password: 'b' })).rejects.toThrow('用户名或密码错误');
    expect(onUnauthorized).not.toHaveBeenCalled();

    await expect(tasksApi.list({ box: 'todo' })).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('passes the task query to GET /api/tasks', async () => {
    const fetchFn = mockFetch({ 'GET /api/tasks': { body: { items: [], total: 0, page: 3, pageSize: 50 } } });
    await tasksApi.list({ box: 'done', page: 3, pageSize: 50, q: '批示', definitionId: 'd1', light: 'red' });
    const url = new URL(String(fetchFn.mock.calls[0][0]), 'http://localhost');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      box: 'done',
      page: '3',
      pageSize: '50',
      q: '批示',
      definitionId: 'd1',
      light: 'red',
    });
  });
});
