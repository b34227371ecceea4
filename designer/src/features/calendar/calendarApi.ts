import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type CalendarSource = Schemas['CalendarSource'];

export type CalendarYearInfo = Schemas['CalendarYearInfo'];

/** GET /api/calendar */
export type CalendarStatus = Schemas['CalendarStatus'];

export type DayKind = 'holiday' | 'workday';

export type CalendarDay = Schemas['CalendarDayView'];

/** GET /api/calendar/{year} */
export type CalendarYearView = Schemas['CalendarYearView'];

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
