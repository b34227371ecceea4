import { request } from '../../api/client';

export interface UnitScoreRow {
  unitId: string;
  unitName: string;
  score: number;
  deducted: number;
  events: number;
  rank: number;
}

/** GET /api/scoring/{year} (督查员, 领导, 管理员). */
export interface ScoreRanking {
  organizationId: string;
  year: number;
  rulesAreDefault: boolean;
  startScore: number;
  units: UnitScoreRow[];
}

export interface DeductionLine {
  type: string;
  label: string;
  count: number;
  perEvent: number;
  total: number;
}

export interface ScoreEvent {
  type: string;
  label: string;
  at: string;
  deduction: number;
  /** What was actually taken (the floor may cut it short). */
  applied: number;
  scoreAfter: number;
  instanceId: string | null;
  itemTitle: string | null;
  itemNumber: string | null;
  note: string | null;
  /** chase, redo, bulletin */
  source: string;
  sourceId: string | null;
}

/** GET /api/scoring/{year}/units/{unitId} */
export interface UnitScore {
  organizationId: string;
  year: number;
  unitId: string;
  unitName: string;
  rulesAreDefault: boolean;
  startScore: number;
  score: number;
  deducted: number;
  deductions: DeductionLine[];
  events: ScoreEvent[];
}

export interface NamedValue {
  value: string;
  label: string;
}

/** GET /api/scoring/{year}/rules */
export interface ScoringRules {
  organizationId: string;
  year: number;
  isDefault: boolean;
  startScore: number;
  floor: number;
  redoThreshold: number;
  deductions: Record<string, number>;
  eventTypes: NamedValue[];
  updatedAt: string | null;
  updatedByName: string | null;
}

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
