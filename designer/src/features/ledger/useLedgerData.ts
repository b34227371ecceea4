import { definitionsApi, type QueryValue } from '../../api/client';
import type { DefinitionSummary, PagedResult } from '../../api/types';
import { useQuery } from '../../shared/useQuery';
import { orgApi, type Unit } from '../org/orgApi';
import { ledgerApi, type LedgerMeta, type LedgerRow } from './ledgerApi';

export interface Loaded<T> {
  data: T | null;
  loading: boolean;
  error: unknown;
}

/** One page of GET /api/ledger; the previous page stays visible while the next loads. */
export function useLedgerRows(
  query: Record<string, QueryValue> | null,
  reloadToken: number,
): Loaded<PagedResult<LedgerRow>> {
  const rows = useQuery(query ? ['ledger', query, reloadToken] : null, (signal) => ledgerApi.list(query!, signal));
  return { data: rows.data ?? null, loading: query === null || rows.loading, error: rows.error };
}

/** Columns, form fields and the export cap (GET /api/ledger/meta). */
export function useLedgerMeta(): Loaded<LedgerMeta> {
  const meta = useQuery(['ledger-meta'], (signal) => ledgerApi.meta(signal));
  return { data: meta.data ?? null, loading: meta.loading, error: meta.error };
}

/** Procedure types and units for the filters; a failure leaves a filter empty (the table reports errors). */
export function useLedgerOptions(): { definitions: DefinitionSummary[]; units: Unit[]; loading: boolean } {
  const { data, loading } = useQuery(['ledger-options'], (signal) =>
    Promise.allSettled([definitionsApi.list(signal), orgApi.units(signal)]),
  );
  const [definitions, units] = data ?? [];
  return {
    definitions: definitions?.status === 'fulfilled' && Array.isArray(definitions.value) ? definitions.value : [],
    units: units?.status === 'fulfilled' && Array.isArray(units.value) ? units.value : [],
    loading,
  };
}
