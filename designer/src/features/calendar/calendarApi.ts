import { request } from '../../api/client';

export interface CalendarSource {
  title: string | null;
  number: string | null;
  date: string | null;
  note: string | null;
}

export interface CalendarYearInfo {
  year: number;
  /** shipped (随系统提供) / imported (导入) / manual (逐日维护). */
  origin: string;
  source: CalendarSource;
  loadedAt: string;
  loadedByName: string | null;
  editedAt: string | null;
  editedByName: string | null;
  holidays: number;
  workdays: number;
}

/** GET /api/calendar */
export interface CalendarStatus {
  organizationId: string;
  years: CalendarYearInfo[];
  shippedYears: number[];
  warnings: string[];
}

export type DayKind = 'holiday' | 'workday';

export interface CalendarDay {
  /** yyyy-MM-dd */
  date: string;
  kind: DayKind;
  name: string | null;
  weekday: string;
}

/** GET /api/calendar/{year} */
export interface CalendarYearView {
  organizationId: string;
  year: number;
  loaded: boolean;
  origin: string | null;
  source: CalendarSource | null;
  days: CalendarDay[];
  workingDays: number;
  warnings: string[];
}

/** The file format of a year (as shipped): holidays as ranges, make-up working days. */
export interface CalendarYearFile {
  year: number;
  source?: Partial<CalendarSource> | null;
  holidays: { name: string; from: string; to: string }[];
  workdays: { date: string; name?: string | null }[];
}

export const calendarApi = {
  status: (signal?: AbortSignal) => request<CalendarStatus>('GET', '/api/calendar', { signal }),
  year: (year: number, signal?: AbortSignal) => request<CalendarYearView>('GET', `/api/calendar/${year}`, { signal }),
  loadShipped: (year: number) => request<CalendarYearView>('POST', `/api/calendar/${year}/load-shipped`),
  importYear: (year: number, file: CalendarYearFile) =>
    request<CalendarYearView>('PUT', `/api/calendar/${year}`, { body: file }),
  setDay: (date: string, kind: DayKind | 'normal', name: string | null) =>
    request<CalendarDay>('PUT', `/api/calendar/days/${date}`, { body: { kind, name } }),
};

export const ORIGIN_LABELS: Record<string, string> = {
  shipped: '随系统提供',
  imported: '管理员导入',
  manual: '管理员逐日维护',
};
