import type { BreakdownProgress, BreakdownTask } from './itemPanelsApi';

/** Pure helpers of the 子事项进展 card. */

export function taskState(task: BreakdownTask): { label: string; color: string } {
  if (task.state === 'done') return { label: task.result ? `已办结：${task.result}` : '已办结', color: 'success' };
  if (task.state === 'cancelled') return { label: '已撤销', color: 'default' };
  return { label: '办理中', color: 'processing' };
}

const TIMELINESS: Record<string, { label: string; color: string }> = {
  onTime: { label: '按期办结', color: 'green' },
  late: { label: '逾期办结', color: 'orange' },
  onSchedule: { label: '未到期', color: 'blue' },
  overdue: { label: '已逾期', color: 'red' },
};

export function timelinessInfo(timeliness: string | null): { label: string; color: string } | null {
  return timeliness ? (TIMELINESS[timeliness] ?? null) : null;
}

/** The headline figures, in the order the card shows them. */
export function summaryFigures(
  p: BreakdownProgress,
): { key: string; label: string; value: number; tone?: 'good' | 'warn' | 'bad' }[] {
  const live = p.total - p.cancelled;
  return [
    { key: 'total', label: '任务总数', value: live },
    { key: 'done', label: '已办结', value: p.done, tone: 'good' },
    { key: 'doneOnTime', label: '按期办结', value: p.doneOnTime, tone: 'good' },
    { key: 'doneLate', label: '逾期办结', value: p.doneLate, tone: p.doneLate > 0 ? 'warn' : undefined },
    { key: 'open', label: '办理中', value: p.open },
    { key: 'dueSoon', label: '即将到期', value: p.dueSoon, tone: p.dueSoon > 0 ? 'warn' : undefined },
    { key: 'overdue', label: '逾期未办结', value: p.overdue, tone: p.overdue > 0 ? 'bad' : undefined },
  ];
}

/** The units line of a task: 牵头 unit, then the 责任 units. */
export function unitsLine(task: BreakdownTask): string {
  const co = task.coUnitNames.filter((n) => n && n !== task.leadUnitName);
  return [task.leadUnitName ?? '', co.length > 0 ? `（协办：${co.join('、')}）` : ''].join('').trim();
}

/** Where a task stands in a few words: open steps, the phase or reported percent, the number of reports. */
export function progressLine(task: BreakdownTask): string {
  const parts: string[] = [];
  if (task.state === 'open' && task.currentSteps.length > 0) parts.push(`当前：${task.currentSteps.join('、')}`);
  if (task.currentPhase) parts.push(task.currentPhase);
  if (task.percent !== null && task.percent !== undefined) parts.push(`完成 ${task.percent}%`);
  if (task.progressReports > 0) parts.push(`进展报告 ${task.progressReports} 次`);
  if (task.chases > 0) parts.push(`催办 ${task.chases} 次`);
  if (task.extensionsApproved > 0) parts.push(`延期 ${task.extensionsApproved} 次`);
  if (task.returns > 0) parts.push(`退回 ${task.returns} 次`);
  return parts.join('；');
}
