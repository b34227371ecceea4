import { request, type QueryValue } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** One number with the ledger filter (query string) that lists exactly the items it counts (decision 041). */
export type DashboardFigure = Schemas['DashboardFigure'];
export type DashboardUnit = Schemas['DashboardUnit'];
export type DashboardMonth = Schemas['DashboardMonth'];
/** GET /api/dashboard */
export type DashboardView = Schemas['DashboardView'];
export type EarlyWarningView = Schemas['EarlyWarningView'];
export type EarlyWarningUnit = Schemas['EarlyWarningUnit'];
export type EarlyWarningItem = Schemas['EarlyWarningItem'];

/** The dashboard's own filter: the ledger parameters it accepts. */
export interface DashboardFilter {
  definitionId?: string | undefined;
  unitId?: string | undefined;
  source?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const dashboardApi = {
  get: (filter: DashboardFilter, signal?: AbortSignal) =>
    request<DashboardView>('GET', '/api/dashboard', { query: filter as Record<string, QueryValue>, signal }),
  warnings: (period: { from?: string | undefined; to?: string | undefined }, signal?: AbortSignal) =>
    request<EarlyWarningView>('GET', '/api/dashboard/warnings', { query: period, signal }),
};

/** Where a figure drills down to: the ledger, filtered as the figure was counted. */
export function ledgerLink(figure: Pick<DashboardFigure, 'query'>): string {
  return figure.query ? `/ledger?${figure.query}` : '/ledger';
}
