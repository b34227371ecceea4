import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** GET /api/schedules row: the rule (and in words), the next dates, the last runs. */
export type Schedule = Schemas['ScheduleView'];
export type ScheduleRun = Schemas['ScheduleRunView'];
export type ScheduleRule = Schemas['ScheduleRule'];
export type SaveSchedule = Schemas['SaveScheduleRequest'];

export const schedulesApi = {
  list: (signal?: AbortSignal) => request<Schedule[]>('GET', '/api/schedules', { signal }),
  create: (schedule: SaveSchedule) => request<Schedule>('POST', '/api/schedules', { body: schedule }),
  update: (id: string, schedule: SaveSchedule) =>
    request<Schedule>('PUT', `/api/schedules/${encodeURIComponent(id)}`, { body: schedule }),
  pause: (id: string) => request<Schedule>('POST', `/api/schedules/${encodeURIComponent(id)}/pause`),
  resume: (id: string) => request<Schedule>('POST', `/api/schedules/${encodeURIComponent(id)}/resume`),
  remove: (id: string) => request<void>('DELETE', `/api/schedules/${encodeURIComponent(id)}`),
};
