import { vi } from 'vitest';

export interface MockResponseInit {
  status?: number;
  body?: unknown;
  contentType?: string;
}

export type RouteHandler = (url: URL, init: RequestInit | undefined) => MockResponseInit | Promise<MockResponseInit>;

export function jsonResponse({ status = 200, body, contentType }: MockResponseInit): Response {
  if (status === 204 || body === undefined) return new Response(null, { status });
  const type = contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

/**
 * Replaces global fetch with a router keyed by "METHOD /path" (query ignored).
 * Unknown routes answer 404 so a forgotten mock shows up as a failing test.
 */
export function mockFetch(routes: Record<string, RouteHandler | MockResponseInit>) {
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      'http://localhost',
    );
    const method = (init?.method ?? 'GET').toUpperCase();
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return jsonResponse({ status: 404, body: { title: 'Not Found', status: 404 } });
    const result = typeof route === 'function' ? await route(url, init) : route;
    return jsonResponse(result);
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

/** URLs fetched so far for `path` (e.g. "/api/tasks"). */
export function calledUrls(fn: ReturnType<typeof mockFetch>, path: string): URL[] {
  return fn.mock.calls
    .map(
      ([input]) =>
        new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost'),
    )
    .filter((url) => url.pathname === path);
}
