/** Month grids for the 工作日历 page (pure, no React; dates as yyyy-MM-dd in local calendar terms). */
import type { CalendarDay, CalendarYearFile, DayKind } from './calendarApi';

export type CellKind = 'holiday' | 'workday' | 'weekend' | 'normal';

export interface DayCell {
  date: string;
  day: number;
  kind: CellKind;
  /** Whether people work that day under this calendar. */
  working: boolean;
  name: string | null;
}

export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'] as const;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Monday = 0 … Sunday = 6, computed in UTC so no time zone can move the day. */
export function weekdayIndex(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** What a day is under the calendar: a listed holiday or make-up day, else by its weekday. */
export function classify(year: number, month: number, day: number, special: ReadonlyMap<string, CalendarDay>): DayCell {
  const date = isoDate(year, month, day);
  const listed = special.get(date);
  // The server declares the kind as a plain string (CalendarDayView.Kind); it sends holiday or workday.
  if (listed) {
    const kind = listed.kind === 'workday' ? 'workday' : 'holiday';
    return { date, day, kind, working: kind === 'workday', name: listed.name };
  }
  const weekend = weekdayIndex(year, month, day) >= 5;
  return { date, day, kind: weekend ? 'weekend' : 'normal', working: !weekend, name: null };
}

/** The weeks of a month, Monday first; days of other months are null. */
export function monthGrid(year: number, month: number, days: readonly CalendarDay[]): (DayCell | null)[][] {
  const special = new Map(days.map((d) => [d.date, d]));
  const weeks: (DayCell | null)[][] = [];
  let week: (DayCell | null)[] = Array.from({ length: weekdayIndex(year, month, 1) }, () => null);
  for (let d = 1; d <= daysInMonth(year, month); d++) {
    week.push(classify(year, month, d, special));
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length > 0) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
  return weeks;
}

/** Working days of a month under the calendar. */
export function workingDaysInMonth(year: number, month: number, days: readonly CalendarDay[]): number {
  const special = new Map(days.map((d) => [d.date, d]));
  let n = 0;
  for (let d = 1; d <= daysInMonth(year, month); d++) if (classify(year, month, d, special).working) n++;
  return n;
}

/** The change a click on a day proposes: a weekday becomes a holiday; a weekend day a make-up working day; a listed day normal. */
export function defaultChange(cell: DayCell): DayKind | 'normal' {
  if (cell.kind === 'holiday' || cell.kind === 'workday') return 'normal';
  return cell.kind === 'weekend' ? 'workday' : 'holiday';
}

/** Holidays grouped into runs by name (元旦 1-1 至 1-3), in date order, for the list beside the grid. */
export function holidayRuns(days: readonly CalendarDay[]): { name: string; from: string; to: string; count: number }[] {
  const runs: { name: string; from: string; to: string; count: number }[] = [];
  const sorted = days.filter((d) => d.kind === 'holiday').sort((a, b) => a.date.localeCompare(b.date));
  for (const day of sorted) {
    const last = runs[runs.length - 1];
    const name = day.name ?? '假日';
    if (last && last.name === name && nextDate(last.to) === day.date) {
      last.to = day.date;
      last.count++;
    } else runs.push({ name, from: day.date, to: day.date, count: 1 });
  }
  return runs;
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return isoDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

/**
 * Reads an uploaded year file: the shipped format (holidays as ranges, workdays), checked just enough to give a
 * Chinese message before the server checks it fully. Throws Error with the message.
 */
export function parseYearFile(text: string, year: number): CalendarYearFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('文件不是有效的 JSON');
  }
  if (!data || typeof data !== 'object') throw new Error('文件内容应为一个对象');
  const file = data as Partial<CalendarYearFile>;
  if (file.year !== undefined && file.year !== year)
    throw new Error(`文件中的年份（${String(file.year)}）与所选年份（${year}）不一致`);
  if (!Array.isArray(file.holidays)) throw new Error('文件缺少 holidays（节假日）列表');
  if (file.workdays !== undefined && !Array.isArray(file.workdays)) throw new Error('workdays（调休上班日）应为列表');
  return { year, source: file.source ?? null, holidays: file.holidays, workdays: file.workdays ?? [] };
}
