import type { ScheduleRule } from './schedulesApi';

/** The kinds of rule, as the server names them (src/Duban.Data/Schedules/ScheduleRule.cs). */
export const RULE_KINDS = [
  { value: 'weekly', label: '每周' },
  { value: 'nthWorkingDay', label: '每月第 N 个工作日' },
  { value: 'quarterLastTwoWeeks', label: '每季度最后两周' },
  { value: 'monthDays', label: '每年固定日期' },
] as const;

export type RuleKind = (typeof RULE_KINDS)[number]['value'];

export const WEEKDAYS = [
  { value: 1, label: '周一' },
  { value: 2, label: '周二' },
  { value: 3, label: '周三' },
  { value: 4, label: '周四' },
  { value: 5, label: '周五' },
  { value: 6, label: '周六' },
  { value: 7, label: '周日' },
] as const;

/** Every month has at least this many working days (the server's ScheduleRule.MaxN). */
export const MAX_N = 15;

/** Kinds whose dates may fall on a rest day and move to the next working day. */
export const shifts = (kind: string | null | undefined) => kind === 'weekly' || kind === 'monthDays';

/** A rule of a newly chosen kind, with what that kind needs filled in sensibly. */
export function ruleOfKind(kind: RuleKind): ScheduleRule {
  switch (kind) {
    case 'weekly':
      return { kind, weekdays: [1], shiftToWorkingDay: true };
    case 'nthWorkingDay':
      return { kind, n: 1 };
    case 'monthDays':
      return { kind, monthDays: [], shiftToWorkingDay: true };
    default:
      return { kind };
  }
}

/** "07-15" from month and day. */
export const monthDay = (month: number, day: number) =>
  `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** "7月15日" from "07-15". */
export function monthDayLabel(value: string): string {
  const [m, d] = value.split('-').map(Number);
  return Number.isFinite(m) && Number.isFinite(d) ? `${m}月${d}日` : value;
}

/** Days in a month of a common year (02-29 is refused: a yearly date that exists one year in four is a trap). */
export const daysInMonth = (month: number) => [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;

/** Adds a month-day once, keeping the list in the order entered (7-15, 10-15, 1-15 reads as a series). */
export function addMonthDay(list: readonly string[], value: string): string[] {
  return list.includes(value) ? [...list] : [...list, value];
}

/** The rule in Chinese words, as the server says it (ScheduleRule.Describe). */
export function describeRule(rule: ScheduleRule | null | undefined): string {
  if (!rule?.kind) return '（未设置）';
  const shift = (rule.shiftToWorkingDay ?? true) ? '，遇节假日顺延至下一个工作日' : '';
  switch (rule.kind) {
    case 'weekly': {
      const days = [...new Set(rule.weekdays ?? [])].sort((a, b) => a - b);
      return `每周${days.map((d) => WEEKDAYS.find((w) => w.value === d)?.label ?? String(d)).join('、')}${shift}`;
    }
    case 'nthWorkingDay':
      return `每月第 ${rule.n ?? '?'} 个工作日`;
    case 'quarterLastTwoWeeks':
      return '每季度最后两周（在其第一个工作日发起）';
    case 'monthDays':
      return `每年 ${(rule.monthDays ?? []).map(monthDayLabel).join('、')}${shift}`;
    default:
      return '（未设置）';
  }
}
