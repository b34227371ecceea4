import { request, type QueryValue } from '../../api/client';
import type { components } from '../../api/schema';
import type { PagedResult } from '../../api/types';
import { fetchFile } from '../../shared/download';

type Schemas = components['schemas'];

/** One row of the security audit log (decision 044). */
export type AuditEntry = Schemas['AuditEntryDto'];
export type AuditAction = Schemas['AuditActionDto'];
export type AuditVerification = Schemas['AuditVerification'];

export const auditApi = {
  list: (query: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<PagedResult<AuditEntry>>('GET', '/api/audit', { query, signal }),
  actions: (signal?: AbortSignal) => request<AuditAction[]>('GET', '/api/audit/actions', { signal }),
  verify: () => request<AuditVerification>('GET', '/api/audit/verify'),
  export: (query: Record<string, QueryValue>) => fetchFile('/api/audit/export', query, '安全审计日志.xlsx'),
};
