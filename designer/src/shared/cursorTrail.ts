/**
 * Keyset paging on the client (docs/decisions/042, addendum): a long list (台账, 已办) answers each page with the cursor of
 * the next one (`nextCursor`), which the next request sends as `after` — a page a million rows deep is then as fast as
 * the first. The trail remembers, for one list (its filters and page size), which cursor reads which page, so that
 * 下一页 and 上一页 go by cursor; a page reached otherwise (a jump to page 7, a reload) is asked for by number.
 */
export interface CursorTrail {
  /** The list the cursors belong to: its query without page and cursor. */
  list: string;
  /** Page number → the `after` that reads it. */
  cursors: Map<number, string>;
}

export function newCursorTrail(): CursorTrail {
  return { list: '', cursors: new Map() };
}

type Query = object & { page?: unknown; after?: unknown };

function pageOf(query: Query): number {
  return typeof query.page === 'number' ? query.page : 1;
}

function listOf(query: Query): string {
  const rest: Record<string, unknown> = { ...query };
  delete rest.page;
  delete rest.after;
  return JSON.stringify(
    Object.keys(rest)
      .sort()
      .map((k) => [k, rest[k]]),
  );
}

/** The request for `query`'s page: with its cursor when the trail knows one (another list clears the trail). */
export function withCursor<T extends Query>(trail: CursorTrail, query: T): T & { after?: string } {
  const list = listOf(query);
  if (trail.list !== list) {
    trail.list = list;
    trail.cursors = new Map();
  }
  const after = trail.cursors.get(pageOf(query));
  return after ? { ...query, after } : (query as T & { after?: string });
}

/** Remembers the cursor of the page after the one `query` read (`nextCursor` of its answer). */
export function rememberCursor<T extends Query>(
  trail: CursorTrail,
  query: T,
  nextCursor: string | null | undefined,
): void {
  if (!nextCursor || listOf(query) !== trail.list) return;
  trail.cursors.set(pageOf(query) + 1, nextCursor);
}
