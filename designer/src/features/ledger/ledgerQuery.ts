import type { QueryValue } from '../../api/client';
import type { Light } from '../../api/types';
import type { LedgerField, LedgerMeta, LedgerStatus } from './ledgerApi';

export type DateField = 'createdAt' | 'finishedAt' | 'dueAt';
export type SortOrder = 'asc' | 'desc';

/** The ledger screen's state; it lives in the URL so a filtered ledger can be bookmarked and shared. */
export interface LedgerFilters {
  q: string;
  definitionId: string | undefined;
  unitId: string | undefined;
  status: LedgerStatus | undefined;
  light: Light | undefined;
  dateField: DateField;
  /** yyyy-MM-dd, both included. */
  from: string | undefined;
  to: string | undefined;
  /** 来源: the value of each procedure's source field (sent as source; decision 033). */
  source: string | undefined;
  /** 按期 / 逾期办结 (a dashboard's 按期办结率 opens the ledger with it; decision 041). */
  timeliness?: 'onTime' | 'late' | undefined;
  /** Form field filters: field key → option value (sent as f.{key}). */
  fieldFilters: Record<string, string>;
  sort: string;
  /** Undefined: the server's default for the sort (dates newest first, text A→Z). */
  order: SortOrder | undefined;
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;
export const DEFAULT_SORT = 'createdAt';

export const STATUSES: readonly { value: LedgerStatus; label: string; color: string }[] = [
  { value: 'open', label: '办理中', color: 'processing' },
  { value: 'completed', label: '已办结', color: 'success' },
  { value: 'cancelled', label: '已取消', color: 'default' },
  { value: 'faulted', label: '异常', color: 'error' },
];

export const DATE_FIELDS: readonly { value: DateField; label: string }[] = [
  { value: 'createdAt', label: '登记时间' },
  { value: 'dueAt', label: '办理期限' },
  { value: 'finishedAt', label: '办结时间' },
];

export function statusInfo(status: LedgerStatus) {
  return STATUSES.find((s) => s.value === status) ?? STATUSES[0];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

function positiveInt(value: string | null, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

/** Reads the ledger state from the URL; anything malformed is dropped rather than sent to the server. */
export function parseLedgerQuery(params: URLSearchParams): LedgerFilters {
  const fieldFilters: Record<string, string> = {};
  for (const [name, value] of params) {
    if (!name.startsWith('f.')) continue;
    const key = name.slice(2);
    if (FIELD_KEY.test(key) && value.trim() !== '') fieldFilters[key] = value.trim();
  }
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    q: params.get('q')?.trim() ?? '',
    definitionId: params.get('definitionId') || undefined,
    unitId: params.get('unitId') || undefined,
    status: oneOf(params.get('status'), ['open', 'completed', 'cancelled', 'faulted'] as const),
    light: oneOf(params.get('light'), ['green', 'yellow', 'red'] as const),
    dateField: oneOf(params.get('dateField'), ['createdAt', 'finishedAt', 'dueAt'] as const) ?? 'createdAt',
    from: DATE.test(from) ? from : undefined,
    to: DATE.test(to) ? to : undefined,
    source: params.get('source')?.trim() || undefined,
    timeliness: oneOf(params.get('timeliness'), ['onTime', 'late'] as const),
    fieldFilters,
    sort: params.get('sort') || DEFAULT_SORT,
    order: oneOf(params.get('order'), ['asc', 'desc'] as const),
    page: positiveInt(params.get('page'), 1),
    pageSize: positiveInt(params.get('pageSize'), DEFAULT_PAGE_SIZE, 100),
  };
}

/** Writes the state back to the URL, leaving defaults out. */
export function toSearchParams(filters: LedgerFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.definitionId) params.set('definitionId', filters.definitionId);
  if (filters.unitId) params.set('unitId', filters.unitId);
  if (filters.status) params.set('status', filters.status);
  if (filters.light) params.set('light', filters.light);
  if (filters.dateField !== 'createdAt' && (filters.from || filters.to)) params.set('dateField', filters.dateField);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.source) params.set('source', filters.source);
  if (filters.timeliness) params.set('timeliness', filters.timeliness);
  for (const [key, value] of Object.entries(filters.fieldFilters)) if (value) params.set(`f.${key}`, value);
  if (filters.sort !== DEFAULT_SORT) params.set('sort', filters.sort);
  if (filters.order) params.set('order', filters.order);
  if (filters.page !== 1) params.set('page', String(filters.page));
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(filters.pageSize));
  return params;
}

/** How many filters narrow the ledger (for a badge on the phone's filter button). */
export function activeFilterCount(filters: LedgerFilters): number {
  return (
    [
      filters.q,
      filters.definitionId,
      filters.unitId,
      filters.source,
      filters.status,
      filters.light,
      filters.from || filters.to,
      filters.timeliness,
    ].filter(Boolean).length + Object.values(filters.fieldFilters).filter(Boolean).length
  );
}

/** The filter part of a request: the same for the page and the export. */
function filterQuery(filters: LedgerFilters): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {
    q: filters.q || undefined,
    definitionId: filters.definitionId,
    unitId: filters.unitId,
    status: filters.status,
    light: filters.light,
    source: filters.source,
    timeliness: filters.timeliness,
    dateField: filters.from || filters.to ? filters.dateField : undefined,
    from: filters.from,
    to: filters.to,
    sort: filters.sort,
    order: filters.order,
  };
  for (const [key, value] of Object.entries(filters.fieldFilters)) if (value) query[`f.${key}`] = value;
  return query;
}

/** GET /api/ledger: filters, one page, and the form fields the shown columns need. */
export function toApiQuery(filters: LedgerFilters, columns: readonly string[]): Record<string, QueryValue> {
  const fields = fieldKeysOf(columns);
  return {
    ...filterQuery(filters),
    page: filters.page,
    pageSize: filters.pageSize,
    fields: fields.length > 0 ? fields.join(',') : undefined,
  };
}

/** GET /api/ledger/export: exactly the filtered selection (all pages), with the shown columns in order. */
export function toExportQuery(filters: LedgerFilters, columns: readonly string[]): Record<string, QueryValue> {
  return { ...filterQuery(filters), columns: columns.join(',') };
}

// ---------------------------------------------------------------------------
// Columns

export interface ColumnDef {
  /** Fixed column key, or f.{fieldKey} for a form field. */
  key: string;
  title: string;
  sortable: boolean;
  /** The form field key, for form field columns. */
  field?: string;
}

export const FIELD_PREFIX = 'f.';

/**
 * Every column the user may choose: the fixed ones, then one per form field. Two different fields with the same
 * label (立项依据 in two procedure types) are told apart by the procedure type's name; a field labelled like a
 * fixed column (承办单位) by 表单.
 */
export function allColumns(
  meta: LedgerMeta,
  definitionName?: (definitionId: string) => string | undefined,
): ColumnDef[] {
  const fixed = meta.columns.map((c) => ({ key: c.key, title: c.title, sortable: c.sortable }));
  const fixedTitles = new Set(fixed.map((c) => c.title));
  const taken = new Set(fixedTitles);
  const fields: ColumnDef[] = [];
  for (const f of meta.fields) {
    let title = fixedTitles.has(f.label) ? `${f.label}（表单）` : f.label;
    if (taken.has(title)) {
      const where = f.definitionIds.map((id) => definitionName?.(id) ?? id)[0] ?? f.key;
      title = `${f.label}（${where}）`;
    }
    if (taken.has(title)) title = `${f.label}（${f.key}）`;
    taken.add(title);
    fields.push({ key: `${FIELD_PREFIX}${f.key}`, title, sortable: false, field: f.key });
  }
  return [...fixed, ...fields];
}

export function fieldKeysOf(columns: readonly string[]): string[] {
  return columns.filter((c) => c.startsWith(FIELD_PREFIX)).map((c) => c.slice(FIELD_PREFIX.length));
}

export const COLUMNS_STORAGE_KEY = 'duban.ledger.columns';

export function storageKey(userId: string | undefined): string {
  return userId ? `${COLUMNS_STORAGE_KEY}:${userId}` : COLUMNS_STORAGE_KEY;
}

/**
 * The remembered column choice, kept only where it still makes sense: unknown keys (a field whose form changed)
 * are dropped, duplicates removed; nothing usable left → the server's default columns. 事项名称 is always shown.
 */
export function loadColumnChoice(
  storage: Pick<Storage, 'getItem'> | undefined,
  key: string,
  meta: LedgerMeta,
): string[] {
  const known = new Set(allColumns(meta).map((c) => c.key));
  let saved: unknown;
  try {
    saved = JSON.parse(storage?.getItem(key) ?? 'null');
  } catch {
    saved = null;
  }
  const chosen = Array.isArray(saved)
    ? [...new Set(saved.filter((k): k is string => typeof k === 'string' && known.has(k)))]
    : [];
  const columns = chosen.length > 0 ? chosen : meta.defaultColumns.filter((k) => known.has(k));
  return columns.includes('title') ? columns : ['title', ...columns];
}

export function saveColumnChoice(
  storage: Pick<Storage, 'setItem'> | undefined,
  key: string,
  columns: readonly string[],
) {
  try {
    storage?.setItem(key, JSON.stringify(columns));
  } catch {
    // Private mode or a full storage: the choice just isn't remembered.
  }
}

/** Shows or hides one column, keeping the order of `all` for a newly shown one. */
export function toggleColumn(current: readonly string[], key: string, all: readonly ColumnDef[]): string[] {
  if (key === 'title') return [...current];
  if (current.includes(key)) return current.filter((k) => k !== key);
  const order = all.map((c) => c.key);
  const index = order.indexOf(key);
  const next = [...current];
  // Insert before the first chosen column that comes after it in the catalogue.
  const before = next.findIndex((k) => order.indexOf(k) > index);
  if (before === -1) next.push(key);
  else next.splice(before, 0, key);
  return next;
}

/** Moves a chosen column one place left (-1) or right (+1). */
export function moveColumn(current: readonly string[], key: string, delta: -1 | 1): string[] {
  const index = current.indexOf(key);
  const target = index + delta;
  if (index === -1 || target < 0 || target >= current.length) return [...current];
  const next = [...current];
  [next[index], next[target]] = [next[target], next[index]];
  return next;
}

/** Form fields offered as filters: with options (来源 has its own control, from the ledger meta's sourceOptions). */
export function filterableFields(fields: readonly LedgerField[], definitionId: string | undefined): LedgerField[] {
  return fields.filter((f) => f.filterable && (!definitionId || f.definitionIds.includes(definitionId)));
}

/** antd Table sorter → the server's sort and order; a cleared sort goes back to the default. */
export function sortFromTable(
  columnKey: string | undefined,
  order: 'ascend' | 'descend' | null | undefined,
): { sort: string; order: SortOrder | undefined } {
  if (!columnKey || !order) return { sort: DEFAULT_SORT, order: undefined };
  return { sort: columnKey, order: order === 'ascend' ? 'asc' : 'desc' };
}

/** The server's default direction when `order` is not given (kept in step with LedgerFilter.Parse). */
export function effectiveOrder(filters: Pick<LedgerFilters, 'sort' | 'order'>): SortOrder {
  if (filters.order) return filters.order;
  return ['createdAt', 'updatedAt', 'finishedAt'].includes(filters.sort) ? 'desc' : 'asc';
}

/** 承办单位 as read in the ledger: 法制处（主办）、济南市司法局（协办）; "" when none. */
export function unitsText(row: {
  units: readonly string[];
  unitRoles?: Readonly<Record<string, string>> | null;
}): string {
  return row.units
    .map((u) => {
      const role = row.unitRoles?.[u];
      return role === 'lead' ? `${u}（主办）` : role === 'co' ? `${u}（协办）` : u;
    })
    .join('、');
}
