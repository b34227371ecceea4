import { ApiError, buildUrl, request, type QueryValue } from '../../api/client';
import type { Light, PagedResult, ProblemDetails } from '../../api/types';

/** Server enum LedgerStatus: 办理中 / 已办结 / 已取消 / 异常. */
export type LedgerStatus = 'open' | 'completed' | 'cancelled' | 'faulted';

export interface LedgerStep {
  name: string;
  /** A person, or the unit / role that still has to claim the step. */
  holder: string | null;
}

/** One row of GET /api/ledger. */
export interface LedgerRow {
  id: string;
  number: string | null;
  title: string;
  definitionId: string;
  definitionName: string;
  status: LedgerStatus;
  result: string | null;
  incident: string | null;
  initiatorName: string | null;
  initiatorUnitName: string | null;
  /** Handling units by name, 交办's 主办 first. */
  units: string[];
  /** For 交办 units: unit name → lead (主办) / co (协办). */
  unitRoles: Record<string, 'lead' | 'co'>;
  currentSteps: LedgerStep[];
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  dueAt: string | null;
  light: Light | null;
  /** Display text of the requested form fields, by key. */
  fields: Record<string, string | null>;
}

export interface LedgerColumnInfo {
  key: string;
  title: string;
  sortable: boolean;
}

export interface LedgerFieldOption {
  value: string;
  label: string;
}

/** A form field usable as a column (`f.{key}`) and, when it has options, as a filter. */
export interface LedgerField {
  key: string;
  label: string;
  type: string;
  options: LedgerFieldOption[];
  filterable: boolean;
  definitionIds: string[];
}

export interface LedgerMeta {
  columns: LedgerColumnInfo[];
  defaultColumns: string[];
  fields: LedgerField[];
  maxExportRows: number;
}

export const ledgerApi = {
  meta: (signal?: AbortSignal) => request<LedgerMeta>('GET', '/api/ledger/meta', { signal }),
  list: (query: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<PagedResult<LedgerRow>>('GET', '/api/ledger', { query, signal }),
  /** Downloads the .xlsx for `query` (+ columns); resolves with the file and its name. */
  async export(query: Record<string, QueryValue>, signal?: AbortSignal): Promise<{ blob: Blob; fileName: string }> {
    let response: Response;
    try {
      response = await fetch(buildUrl('/api/ledger/export', query), {
        credentials: 'same-origin',
        headers: {
          Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/problem+json',
        },
        signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0);
    }
    if (!response.ok) {
      let problem: ProblemDetails | undefined;
      if ((response.headers.get('content-type') ?? '').includes('json')) {
        try {
          problem = (await response.json()) as ProblemDetails;
        } catch {
          problem = undefined;
        }
      }
      throw new ApiError(response.status, problem);
    }
    return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition')) };
  },
};

/** The file name from a Content-Disposition header (RFC 5987 `filename*` first). */
export function fileNameOf(header: string | null, fallback = '督查台账.xlsx'): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1].trim() : fallback;
}

/** Lets the browser save `blob` as `fileName`. */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the download a moment to start before the URL is released.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
