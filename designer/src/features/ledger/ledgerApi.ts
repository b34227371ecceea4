import { request, type QueryValue } from '../../api/client';
import { fetchFile, fileNameOf, saveBlob } from '../../shared/download';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
import type { PagedResult } from '../../api/types';

/** Server enum LedgerStatus: 办理中 / 已办结 / 已取消 / 异常. */
export type LedgerStatus = 'open' | 'completed' | 'cancelled' | 'faulted';

export type LedgerStep = Schemas['LedgerStep'];

/** One row of GET /api/ledger. */
export type LedgerRow = Schemas['LedgerRow'];

export type LedgerColumnInfo = Schemas['LedgerColumn'];

export type LedgerFieldOption = Schemas['LedgerFieldOption'];

/** A form field usable as a column (`f.{key}`) and, when it has options, as a filter. */
export type LedgerField = Schemas['LedgerField'];

export type LedgerMeta = Schemas['LedgerMeta'];

export const ledgerApi = {
  meta: (signal?: AbortSignal) => request<LedgerMeta>('GET', '/api/ledger/meta', { signal }),
  list: (query: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<PagedResult<LedgerRow>>('GET', '/api/ledger', { query, signal }),
  /** Downloads the .xlsx for `query` (+ columns); resolves with the file and its name. */
  export: (query: Record<string, QueryValue>, signal?: AbortSignal) =>
    fetchFile('/api/ledger/export', query, '督查台账.xlsx', signal),
};

export { fileNameOf, saveBlob };
