import type { CurrentUser } from '../../api/types';
import { can } from '../../app/navigation';
import { formatDateTime } from '../../shared/format';
import type { AssignmentStep, AssignmentUnit } from './itemPanelsApi';

/** Pure helpers of the 承办单位 panel. */

export interface StatusInfo {
  label: string;
  /** antd Tag colour */
  color: string;
}

const STATUS: Record<string, StatusInfo> = {
  open: { label: '办理中', color: 'processing' },
  submitted: { label: '已提交', color: 'success' },
  returned: { label: '已退回', color: 'warning' },
  cancelled: { label: '已取消', color: 'default' },
  replaced: { label: '已替换', color: 'default' },
  removed: { label: '已移除', color: 'default' },
};

export function unitStatus(status: string): StatusInfo {
  return STATUS[status] ?? { label: status, color: 'default' };
}

/** 督查督办 (the office by default) may change a waiting 交办 step's units. */
export function canManageAssignments(user: CurrentUser | null | undefined): boolean {
  return can(user, 'supervise');
}

/** Still part of the step: not replaced or removed by the office. */
export function isCurrent(unit: AssignmentUnit): boolean {
  return unit.status !== 'replaced' && unit.status !== 'removed';
}

/**
 * What the office may do to a unit now: replace a unit that has not submitted yet (主办 or 协办), remove a 协办 that
 * has not submitted yet. Nothing once the step no longer waits.
 */
export function unitActions(
  step: AssignmentStep,
  unit: AssignmentUnit,
  canManage: boolean,
): { replace: boolean; remove: boolean } {
  const open = canManage && step.active && unit.status === 'open';
  return { replace: open, remove: open && unit.role === 'co' };
}

/** Lead first, then 协办 in the order they were assigned; units taken off the step last. */
export function orderedUnits(step: AssignmentStep): AssignmentUnit[] {
  const rank = (u: AssignmentUnit) => (isCurrent(u) ? 0 : 2) + (u.role === 'lead' ? 0 : 1);
  return step.units
    .map((unit, index) => ({ unit, index }))
    .sort((a, b) => rank(a.unit) - rank(b.unit) || a.index - b.index)
    .map((x) => x.unit);
}

/** Lines saying what happened to a unit: submitted by whom and when; replaced / removed by whom, when and why. */
export function unitHistory(step: AssignmentStep, unit: AssignmentUnit): string[] {
  const lines: string[] = [];
  const byTask = new Map(step.units.map((u) => [u.taskId, u]));
  if (unit.replacesTaskId) {
    const old = byTask.get(unit.replacesTaskId);
    if (old) lines.push(`接替「${old.unitName}」`);
  }
  if (unit.submittedAt)
    lines.push(
      `${formatDateTime(unit.submittedAt)} ${unit.submittedByName ?? ''} ${unit.status === 'returned' ? '退回' : '提交'}`
        .replace(/\s+/g, ' ')
        .trim(),
    );
  if (unit.status === 'replaced' || unit.status === 'removed') {
    const successor = unit.replacedByTaskId ? byTask.get(unit.replacedByTaskId) : undefined;
    const what = unit.status === 'replaced' ? `替换为「${successor?.unitName ?? '其他单位'}」` : '移除';
    const who = [unit.endedAt ? formatDateTime(unit.endedAt) : null, unit.endedByName].filter(Boolean).join(' ');
    lines.push(`${who ? `${who} ` : ''}${what}${unit.endComment ? `，理由：${unit.endComment}` : ''}`);
  }
  return lines;
}

/** Units a step may take for an add or a replacement: any unit not already on it now. */
export function availableUnits<T extends { id: string }>(units: readonly T[], step: AssignmentStep): T[] {
  const taken = new Set(step.units.filter(isCurrent).map((u) => u.unitId));
  return units.filter((u) => !taken.has(u.id));
}

/** The step's heading: its name, and the round when it ran more than once. */
export function stepTitle(step: AssignmentStep): string {
  return step.round > 1 ? `${step.activityName}（第 ${step.round} 轮）` : step.activityName;
}
