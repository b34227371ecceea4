import { request } from '../../api/client';
import type {
  SavedScenarioView,
  ScenarioCheck,
  SimulationResult,
  SimulationScenario,
  UnitBehaviour,
} from '../../api/types';

const scenariosOf = (definitionId: string) => `/api/definitions/${encodeURIComponent(definitionId)}/scenarios`;

/** 模拟运行 (src/Duban.Server/Simulation, decision 045). 管理员 only; nothing is written to the real data. */
export const simulationApi = {
  run: (definitionId: string, scenario: SimulationScenario, signal?: AbortSignal) =>
    request<SimulationResult>('POST', `/api/definitions/${encodeURIComponent(definitionId)}/simulations`, {
      body: scenario,
      signal,
    }),
  /** The scenarios kept with the procedure. */
  saved: (definitionId: string, signal?: AbortSignal) =>
    request<SavedScenarioView[]>('GET', scenariosOf(definitionId), { signal }),
  /** Keeps a scenario with the figures the latest version gives on it (the server runs it once). */
  save: (definitionId: string, name: string, scenario: SimulationScenario) =>
    request<SavedScenarioView>('POST', scenariosOf(definitionId), { body: { name, scenario } }),
  /** Runs a saved scenario again and keeps its new figures (接受新结果). */
  accept: (definitionId: string, saved: SavedScenarioView) =>
    request<SavedScenarioView>('PUT', `${scenariosOf(definitionId)}/${saved.id}`, {
      body: { name: saved.name, scenario: saved.scenario, version: saved.version },
    }),
  remove: (definitionId: string, id: string) => request<void>('DELETE', `${scenariosOf(definitionId)}/${id}`),
  /** Every saved scenario run again on the latest version, with what changed (before publishing). */
  check: (definitionId: string) => request<ScenarioCheck[]>('POST', `${scenariosOf(definitionId)}/check`),
};

export type BehaviourKind = 'onTime' | 'late' | 'extension' | 'returned' | 'never';

export const BEHAVIOURS: { value: BehaviourKind; label: string }[] = [
  { value: 'onTime', label: '按时办结' },
  { value: 'late', label: '逾期办结' },
  { value: 'extension', label: '申请延期' },
  { value: 'returned', label: '被退回' },
  { value: 'never', label: '不予答复' },
];

/** One row of the scenario table: what a unit does at a step (all steps when `stepId` is empty). */
export interface BehaviourRow {
  key: string;
  unitId: string;
  stepId: string | null;
  kind: BehaviourKind;
  days: number;
  approved: boolean;
  times: number;
}

export function newRow(unitId: string, key: string): BehaviourRow {
  return { key, unitId, stepId: null, kind: 'onTime', days: 3, approved: true, times: 1 };
}

/** The rows as the server reads them: only what the chosen behaviour uses. */
export function toBehaviours(rows: BehaviourRow[]): UnitBehaviour[] {
  return rows.map((r) => ({
    unitId: r.unitId,
    stepId: r.stepId,
    kind: r.kind,
    days: r.kind === 'late' || r.kind === 'extension' ? r.days : null,
    approved: r.kind === 'extension' ? r.approved : null,
    times: r.kind === 'returned' ? r.times : null,
  }));
}

/** Why a walk stopped, in words. */
export function stopText(stop: string): string {
  switch (stop) {
    case 'finished':
      return '事项已办结';
    case 'max-days':
      return '已到模拟天数上限，事项仍未办结';
    case 'max-events':
      return '操作次数达到上限，模拟停止';
    case 'max-time':
      return '模拟用时达到上限，已停止';
    default:
      return stop;
  }
}

export const LIGHT_TEXT: Record<string, { color: string; text: string }> = {
  green: { color: 'green', text: '绿灯' },
  yellow: { color: 'gold', text: '黄灯' },
  red: { color: 'red', text: '红灯' },
};

/** The colour of an event's dot on the time line. */
export function eventColor(kind: string, light: string | null): string {
  if (kind === 'deduction') return 'red';
  if (kind === 'chased') return 'orange';
  if (kind === 'note') return 'gray';
  if (kind === 'finished') return 'green';
  if (kind === 'extensionRejected') return 'red';
  if (kind.startsWith('extension') || kind === 'deadlineMoved') return 'purple';
  if (light) return LIGHT_TEXT[light]?.color ?? 'blue';
  return 'blue';
}

/** A saved scenario back as the drawer's rows: one per behaviour given, and an 按时办结 row for a unit given none. */
export function toRows(scenario: SimulationScenario, key: (i: number) => string): BehaviourRow[] {
  const rows: BehaviourRow[] = (scenario.behaviours ?? [])
    .filter((b) => b.unitId)
    .map((b, i) => ({
      ...newRow(b.unitId!, key(i)),
      stepId: b.stepId ?? null,
      kind: (BEHAVIOURS.some((k) => k.value === b.kind) ? b.kind : 'onTime') as BehaviourKind,
      days: b.days ?? 3,
      approved: b.approved ?? true,
      times: b.times ?? 1,
    }));
  const given = rows.length;
  (scenario.units ?? [])
    .filter((u) => !rows.some((r) => r.unitId === u))
    .forEach((u, i) => rows.push(newRow(u, key(given + i))));
  return rows;
}
