import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** A 督查专报 generated from the ledger for a period (docs/decisions/048). */
export type Report = Schemas['ReportView'];
/** A weekly or monthly report an administrator set. */
export type ReportSchedule = Schemas['ReportScheduleView'];

/** What period a report counts: a preset (本周, 本月, 本季度) or two dates. */
export type ReportPeriod = { preset: 'week' | 'month' | 'quarter' } | { from: string; to: string };

export const WEEKDAYS = ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];

/** 「每周一」「每月 5 日」. */
export function describeSchedule(s: Pick<ReportSchedule, 'frequency' | 'day'>): string {
  if (s.frequency === 'weekly') return `每${WEEKDAYS[s.day - 1] ?? s.day}`;
  if (s.frequency === 'quarterly') return `每季度首月 ${s.day} 日`;
  return `每月 ${s.day} 日`;
}

export const reportLinks = {
  file: (id: string, pdf = false) => `/api/reports/${encodeURIComponent(id)}${pdf ? '?format=pdf' : ''}`,
};

export const reportsApi = {
  list: (signal?: AbortSignal) => request<Report[]>('GET', '/api/reports', { signal }),
  generate: (templateKey: string, period: ReportPeriod) =>
    request<Report>('POST', '/api/reports', { body: { templateKey, ...period } }),
  schedules: (signal?: AbortSignal) => request<ReportSchedule[]>('GET', '/api/report-schedules', { signal }),
  addSchedule: (templateKey: string, frequency: string, day: number) =>
    request<ReportSchedule>('POST', '/api/report-schedules', { body: { templateKey, frequency, day } }),
  deleteSchedule: (id: string) => request<void>('DELETE', `/api/report-schedules/${encodeURIComponent(id)}`),
};
