import type { Light, TaskBox, TaskQuery } from '../../api/types';
import { isLight } from '../../shared/deadline/light';

export const BOXES: readonly { box: TaskBox; label: string; empty: string }[] = [
  { box: 'todo', label: '待办', empty: '暂无待办' },
  { box: 'done', label: '已办', empty: '暂无已办' },
  { box: 'notice', label: '阅知', empty: '暂无阅知' },
];

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

export interface InboxQuery {
  box: TaskBox;
  page: number;
  pageSize: number;
  q: string;
  definitionId: string | undefined;
  light: Light | undefined;
}

function isBox(value: string | null): value is TaskBox {
  return value === 'todo' || value === 'done' || value === 'notice';
}

function positiveInt(value: string | null, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/** Reads the inbox state from the URL (?box=&page=&pageSize=&q=&definitionId=&light=). */
export function parseInboxQuery(params: URLSearchParams): InboxQuery {
  const box = params.get('box');
  const light = params.get('light');
  return {
    box: isBox(box) ? box : 'todo',
    page: positiveInt(params.get('page'), 1),
    pageSize: positiveInt(params.get('pageSize'), DEFAULT_PAGE_SIZE, 100),
    q: params.get('q')?.trim() ?? '',
    definitionId: params.get('definitionId') || undefined,
    light: isLight(light) ? light : undefined,
  };
}

/** Writes the inbox state to URL params, leaving defaults out to keep URLs short. */
export function toSearchParams(query: InboxQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.box !== 'todo') params.set('box', query.box);
  if (query.page !== 1) params.set('page', String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(query.pageSize));
  if (query.q) params.set('q', query.q);
  if (query.definitionId) params.set('definitionId', query.definitionId);
  if (query.light) params.set('light', query.light);
  return params;
}

/** The request sent to GET /api/tasks. */
export function toTaskQuery(query: InboxQuery): TaskQuery {
  return {
    box: query.box,
    page: query.page,
    pageSize: query.pageSize,
    q: query.q || undefined,
    definitionId: query.definitionId,
    // The server refuses a light filter on 已办 (done tasks have no light).
    light: query.box === 'done' ? undefined : query.light,
  };
}
