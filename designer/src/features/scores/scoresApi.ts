import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type UnitScoreRow = Schemas['UnitScoreRow'];

/** GET /api/scoring/{year} (督查员, 领导, 管理员). */
export type ScoreRanking = Schemas['ScoreRanking'];

export type DeductionLine = Schemas['DeductionLine'];

export type ScoreEvent = Schemas['ScoreEventView'];

/** GET /api/scoring/{year}/units/{unitId} */
export type UnitScore = Schemas['UnitScoreView'];

export type NamedValue = Schemas['NamedValue'];

/** GET /api/scoring/{year}/rules */
export type ScoringRules = Schemas['ScoringRulesView'];

export const scoresApi = {
  ranking: (year: number, signal?: AbortSignal) => request<ScoreRanking>('GET', `/api/scoring/${year}`, { signal }),
  unit: (year: number, unitId: string, signal?: AbortSignal) =>
    request<UnitScore>('GET', `/api/scoring/${year}/units/${encodeURIComponent(unitId)}`, { signal }),
  rules: (year: number, signal?: AbortSignal) => request<ScoringRules>('GET', `/api/scoring/${year}/rules`, { signal }),
};

export const SOURCE_LABELS: Record<string, string> = { chase: '催办记录', redo: '退回重办', bulletin: '通报' };

/** Scores carry up to two decimals (0.1-point deductions); shown as 2.70, never 2.7000000001. */
export function formatScore(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}

/** Share of the starting score kept, 0–100, for the bar in the ranking. */
export function keptPercent(score: number, start: number): number {
  if (start <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((score / start) * 1000) / 10));
}
