/**
 * The `deadline` input of a human step (DeadlineSpec in src/Duban.Engine/Deadlines/DeadlineSpec.cs):
 * `{ kind: workingDays|calendarDays|months, amount }`, `{ kind: fixedDates, dates: ["07-15"] }`,
 * `{ kind: date, date: "2026-12-31" }`, `{ kind: field, field }`, `{ kind: itemDue }` (the item's own deadline), or
 * `{ preset: "feedback" }` (a default from
 * `options.deadlines`); counted `from` step | assign | item | field:<key>; `nextWorkingDay` moves it off a day off.
 * The engine also accepts a bare number (working days) or text (a preset name or a date).
 */
export interface DeadlineSpec {
  kind?: string | null;
  amount?: number | null;
  dates?: string[] | null;
  date?: string | null;
  field?: string | null;
  from?: string | null;
  nextWorkingDay?: boolean | null;
  preset?: string | null;
  fallback?: DeadlineSpec | null;
  [extra: string]: unknown;
}

export type DeadlineMode =
  'workingDays' | 'calendarDays' | 'months' | 'fixedDates' | 'date' | 'field' | 'itemDue' | 'preset';

export const DEADLINE_MODES: { value: DeadlineMode; label: string }[] = [
  { value: 'workingDays', label: '工作日' },
  { value: 'calendarDays', label: '自然日' },
  { value: 'months', label: '月' },
  { value: 'fixedDates', label: '每年固定日期' },
  { value: 'date', label: '指定日期' },
  { value: 'field', label: '取表单日期字段' },
  { value: 'itemDue', label: '事项完成时限' },
  { value: 'preset', label: '流程默认时限' },
];

/** The bare shorthand forms as an object, so the editor has one shape to work with. */
export function normalizeDeadline(value: unknown): DeadlineSpec | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return { kind: 'workingDays', amount: value };
  if (typeof value === 'string') {
    if (value === 'itemDue') return { kind: 'itemDue' };
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? { kind: 'date', date: value } : { preset: value };
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as DeadlineSpec;
  return undefined;
}

export function modeOf(spec: DeadlineSpec | undefined): DeadlineMode | undefined {
  if (!spec) return undefined;
  if (spec.preset) return 'preset';
  return (DEADLINE_MODES.find((m) => m.value === spec.kind)?.value as DeadlineMode | undefined) ?? undefined;
}

/** A spec of another mode, keeping what still applies (from, nextWorkingDay). */
export function changeMode(spec: DeadlineSpec | undefined, mode: DeadlineMode): DeadlineSpec {
  const keep: DeadlineSpec = {};
  if (spec?.from) keep.from = spec.from;
  if (spec?.nextWorkingDay !== undefined && spec?.nextWorkingDay !== null) keep.nextWorkingDay = spec.nextWorkingDay;
  switch (mode) {
    case 'workingDays':
    case 'calendarDays':
    case 'months':
      return { kind: mode, amount: spec?.amount ?? 5, ...keep };
    case 'fixedDates':
      return { kind: mode, dates: spec?.dates ?? [], ...keep };
    case 'date':
      return { kind: mode, date: spec?.date ?? null, ...keep };
    case 'field':
      return { kind: mode, field: spec?.field ?? null, ...keep };
    case 'itemDue':
      return { kind: mode };
    case 'preset':
      return { preset: spec?.preset ?? 'feedback' };
  }
}

/** A month-day as the engine reads it (MM-dd), from what someone typed (7-15, 7月15日, 07-15); null when it is no date. */
export function normalizeMonthDay(text: string): string | null {
  const match = /^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$/.exec(text);
  if (!match) return null;
  const month = Number(match[1]);
  const day = Number(match[2]);
  const daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > daysIn[month - 1]!) return null;
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The month-days of a fixed-date series in the order they come in a year, each once. */
export function sortMonthDays(dates: readonly string[]): string[] {
  return [...new Set(dates)].sort();
}

/** A form field's label by its key (the key itself only when no form has it). */
export type LabelOf = (key: string) => string | undefined;

/** Where a deadline counts from, in words; a date field by its label. */
export function describeFrom(from: string | null | undefined, labelOf?: LabelOf): string {
  if (from === 'item') return '自立项起';
  if (from === 'assign') return '自交办起';
  if (from?.startsWith('field:')) return `自「${labelOf?.(from.slice(6)) ?? from.slice(6)}」起`;
  return '';
}

export function describeDeadline(spec: DeadlineSpec | undefined, labelOf?: LabelOf): string {
  if (!spec) return '不限';
  const from = describeFrom(spec.from, labelOf);
  switch (modeOf(spec)) {
    case 'workingDays':
      return `${from}${spec.amount ?? '?'} 个工作日`;
    case 'calendarDays':
      return `${from}${spec.amount ?? '?'} 天`;
    case 'months':
      return `${from}${spec.amount ?? '?'} 个月`;
    case 'fixedDates':
      return `每年 ${(spec.dates ?? []).join('、')} 前（依次取下一个）`;
    case 'date':
      return spec.date ?? '未填日期';
    case 'field':
      return `表单字段「${(spec.field && labelOf?.(spec.field)) ?? spec.field ?? '?'}」`;
    case 'itemDue':
      return '与事项完成时限相同（含延期）';
    case 'preset':
      return `流程默认时限「${spec.preset}」`;
    default:
      return JSON.stringify(spec);
  }
}
