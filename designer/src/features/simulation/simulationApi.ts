import { request } from '../../api/client';
import type { SimulationResult, SimulationScenario, UnitBehaviour } from '../../api/types';

/** 模拟运行 (src/Duban.Server/Simulation, decision 045). 管理员 only; nothing is written to the real data. */
export const simulationApi = {
  run: (definitionId: string, scenario: SimulationScenario, signal?: AbortSignal) =>
    request<SimulationResult>('POST', `/api/definitions/${encodeURIComponent(definitionId)}/simulations`, {
      body: scenario,
      signal,
    }),
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
