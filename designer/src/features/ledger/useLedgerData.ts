import { useEffect, useState } from 'react';
import { definitionsApi, isAbortError, type QueryValue } from '../../api/client';
import type { DefinitionSummary, PagedResult } from '../../api/types';
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
  const [state, setState] = useState<Loaded<PagedResult<LedgerRow>>>({ data: null, loading: true, error: null });
  const key = query ? JSON.stringify(query) : null;

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    ledgerApi
      .list(JSON.parse(key) as Record<string, QueryValue>, controller.signal)
      .then((data) => setState({ data, loading: false, error: null }))
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setState((s) => ({ data: s.data, loading: false, error }));
      });
    return () => controller.abort();
  }, [key, reloadToken]);

  return state;
}

/** Columns, form fields and the export cap (GET /api/ledger/meta). */
export function useLedgerMeta(): Loaded<LedgerMeta> {
  const [state, setState] = useState<Loaded<LedgerMeta>>({ data: null, loading: true, error: null });
  useEffect(() => {
    const controller = new AbortController();
    ledgerApi
      .meta(controller.signal)
      .then((data) => setState({ data, loading: false, error: null }))
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setState({ data: null, loading: false, error });
      });
    return () => controller.abort();
  }, []);
  return state;
}

/** Procedure types and units for the filters; a failure leaves a filter empty (the table reports errors). */
export function useLedgerOptions(): { definitions: DefinitionSummary[]; units: Unit[]; loading: boolean } {
  const [state, setState] = useState<{ definitions: DefinitionSummary[]; units: Unit[]; loading: boolean }>({
    definitions: [],
    units: [],
    loading: true,
  });
  useEffect(() => {
    const controller = new AbortController();
    Promise.allSettled([definitionsApi.list(controller.signal), orgApi.units(controller.signal)]).then(
      ([definitions, units]) => {
        if (controller.signal.aborted) return;
        setState({
          definitions: definitions.status === 'fulfilled' && Array.isArray(definitions.value) ? definitions.value : [],
          units: units.status === 'fulfilled' && Array.isArray(units.value) ? units.value : [],
          loading: false,
        });
      },
    );
    return () => controller.abort();
  }, []);
  return state;
}
