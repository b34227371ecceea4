import { can } from '../../app/navigation';
import dayjs, { type Dayjs } from 'dayjs';
import { matchServerErrors } from '../../shared/formErrors';
import { isApiError } from '../../api/client';
import { ROLES, type CurrentUser, type InstanceDetail } from '../../api/types';
import type { FormDefinition } from '../../shared/forms/types';
import type { ChaseView, ExtensionStatus, ItemExtensions, LadderRung, ReadsView } from './supervisionApi';

/** Pure helpers of the 延期申请 / 催办 / 阅知情况 panels (tested in supervision.test.ts). */

// ---------------------------------------------------------------------------
// Dates. Deadlines are instants; the date a person picks is a China date (the server ends it at 23:59:59 +08:00).

const CHINA_OFFSET_MINUTES = 8 * 60;

/** The China calendar date (yyyy-MM-dd) of an instant, whatever the browser's time zone. */
export function chinaDate(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return '';
  const shifted = new Date(instant.getTime() + CHINA_OFFSET_MINUTES * 60_000);
  return shifted.toISOString().slice(0, 10);
}

/** 2026年3月15日 for an instant (its China date); "—" when missing. */
export function formatChinaDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = chinaDate(iso);
  if (!date) return '—';
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The picker's value as the API wants it. */
export function toApiDate(value: Dayjs | null | undefined): string | null {
  return value && value.isValid() ? value.format('YYYY-MM-DD') : null;
}

/** Days the picker greys out: the current deadline's date and everything before it. */
export function isBeforeNewDate(day: Dayjs, currentDeadline: string | null | undefined): boolean {
  if (!currentDeadline) return false;
  return day.format('YYYY-MM-DD') <= chinaDate(currentDeadline);
}

/** The picker's starting month: the day after the current deadline. */
export function suggestedPickerDate(currentDeadline: string | null | undefined): Dayjs | undefined {
  if (!currentDeadline) return undefined;
  return dayjs(chinaDate(currentDeadline)).add(1, 'day');
}

// ---------------------------------------------------------------------------
// Errors from problem details, split by the fields a dialog shows.

export interface SplitProblem {
  /** Messages per shown field (lower-case match, "record.calledAt" → "calledAt" when `prefix` is "record."). */
  fields: Record<string, string[]>;
  /** Everything else: a refusal, a 409, a field this dialog does not show. */
  general: string[];
}

export function splitProblem(error: unknown, shownFields: readonly string[], prefix = ''): SplitProblem {
  const general: string[] = [];
  const fields: Record<string, string[]> = {};
  if (!isApiError(error))
    return { fields, general: [error instanceof Error && error.message ? error.message : '发生未知错误'] };
  const matched = matchServerErrors(error.fieldErrors, shownFields, prefix || undefined);
  Object.assign(fields, matched.fields);
  general.push(...matched.rest);
  if (!error.hasFieldErrors || general.length > 0 || Object.keys(fields).length === 0) {
    // The problem's own text ("延期申请填写有误", or the refusal itself) unless it only repeats a field message.
    const all = Object.values(error.fieldErrors).flat();
    if (!all.includes(error.message)) general.unshift(error.message);
  }
  return { fields, general: [...new Set(general)] };
}

// ---------------------------------------------------------------------------
// Roles and permissions

/** 督查督办 (decision 049): the office's acts on items — by default 督查员, or a role the organization gave it. */
export const isSupervisor = (user: CurrentUser | null | undefined) => can(user, 'supervise');
/** Whoever reads every item (by default the office and leaders) oversees every unit; a unit's liaison sees its own unit's matters. */
export const overseesAllUnits = (user: CurrentUser | null | undefined) => can(user, 'seeAllItems');

// ---------------------------------------------------------------------------
// 延期申请

export const EXTENSION_STATUS: Readonly<Record<ExtensionStatus, { label: string; color: string }>> = {
  pending: { label: '待审批', color: 'gold' },
  approved: { label: '已同意', color: 'green' },
  rejected: { label: '不同意', color: 'red' },
  closed: { label: '事项已结束', color: 'default' },
};

export function extensionStatus(status: string): { label: string; color: string } {
  return EXTENSION_STATUS[status as ExtensionStatus] ?? { label: status, color: 'default' };
}

/**
 * Whether the item page shows the 延期申请 panel: when there is a request, when this user may ask, or when the user's
 * unit holds a step with a deadline but may not ask (after the deadline): then the refusal has to be read.
 */
export function showExtensionPanel(data: ItemExtensions | null | undefined): boolean {
  if (!data) return false;
  return data.requests.length > 0 || data.eligibility.canRequest || data.eligibility.deadline !== null;
}

/** The requests the user may decide now (the office's, or a leader's stage). */
export function decidable(data: ItemExtensions | null | undefined) {
  return data?.requests.filter((r) => r.status === 'pending' && r.canDecide) ?? [];
}

// ---------------------------------------------------------------------------
// 催办

export function triggerLabel(trigger: string): string {
  return trigger === 'auto' ? '自动' : trigger === 'manual' ? '手动' : trigger;
}

/** When a rung of the ladder is raised, in words. */
export function rungTriggerText(rung: LadderRung): string {
  const unit = rung.trigger.calendarDays ? '天' : '个工作日';
  switch (rung.trigger.kind) {
    case 'overdue':
      return rung.trigger.days === 0 ? '逾期即触发' : `逾期 ${rung.trigger.days} ${unit}`;
    case 'beforeDue':
      return `到期前 ${rung.trigger.days} ${unit}`;
    case 'manual':
      return '手动发起';
    default:
      return rung.trigger.kind;
  }
}

/** What raising the rung does, for the 催办 dialog. */
export function rungEffects(rung: LadderRung, recordFormName?: string): string[] {
  const out: string[] = [];
  if (rung.record) out.push(`登记${recordFormName ?? '催办记录'}`);
  if (rung.notice)
    out.push(`向被催办单位发送《${rung.notice.title}》${rung.notice.replyRequired ? '，须书面回复' : ''}`);
  return out;
}

export interface ChaseState {
  label: string;
  color: string;
}

/** 待登记 / 待回复 / 已完成 / 已撤销. */
export function chaseState(chase: ChaseView): ChaseState {
  if (chase.status === 'cancelled') return { label: '已撤销', color: 'default' };
  if (chase.recordKind && !chase.recordedAt) return { label: '待登记', color: 'gold' };
  if (chase.replyRequired && !chase.repliedAt) return { label: '待回复', color: 'orange' };
  return { label: '已完成', color: 'green' };
}

/** The unit's reply status to a written notice; null when the rung sent none needing a reply. */
export function replyStatus(chase: ChaseView): string | null {
  if (!chase.noticeTitle || !chase.replyRequired) return null;
  if (chase.repliedAt) return '已书面回复';
  if (chase.status === 'cancelled') return '已撤销，无需回复';
  return '未回复';
}

export interface LabelledValue {
  key: string;
  label: string;
  value: string;
}

function display(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A record (phone log, on-site visit …) or a reply as labelled lines in its form's field order. */
export function labelledValues(
  form: FormDefinition | null | undefined,
  values: Record<string, unknown> | null | undefined,
): LabelledValue[] {
  if (!values) return [];
  const fields = form?.fields ?? [];
  const known = new Set(fields.map((f) => f.key));
  const lines = fields
    .filter((f) => values[f.key] !== undefined && values[f.key] !== null && values[f.key] !== '')
    .map((f) => ({ key: f.key, label: f.label, value: display(values[f.key]) }));
  for (const [key, value] of Object.entries(values)) {
    if (!known.has(key) && value !== null && value !== '') lines.push({ key, label: key, value: display(value) });
  }
  return lines;
}

/** A unit's liaison sees its own unit's chases; the office, leaders and administrators see all. */
export function visibleChases(chases: readonly ChaseView[], user: CurrentUser | null | undefined): ChaseView[] {
  if (overseesAllUnits(user)) return [...chases];
  return chases.filter((c) => c.unitId === user?.unitId);
}

/** Whether the user may record the outcome of an open chase (the office, or the rung's own role). */
export function mayRecord(chase: ChaseView, user: CurrentUser | null | undefined): boolean {
  if (chase.status === 'cancelled' || !chase.recordKind || chase.recordedAt || !chase.actionTaskId) return false;
  return isSupervisor(user) || (!!chase.actor && !!user?.roles.includes(chase.actor));
}

/** The rungs this user may raise by hand (督查员 all of them; otherwise those of the user's role). */
export function raisableRungs(ladder: readonly LadderRung[], user: CurrentUser | null | undefined): LadderRung[] {
  if (isSupervisor(user)) return [...ladder];
  return ladder.filter((r) => r.actor !== ROLES.liaison && !!user?.roles.includes(r.actor));
}

export interface UnitChoice {
  id: string;
  name: string;
}

interface AssignmentLike {
  units?: { unitId?: string; unitName?: string; status?: string }[];
}

/**
 * The units a chase may be raised against: those taking part in the item as far as the page knows (the 交办 units,
 * units holding open steps, units chased or asking before), by id through the directory. Empty: the page cannot tell.
 */
export function chaseUnitChoices(
  item: Pick<InstanceDetail, 'openTasks'> & { assignments?: unknown },
  units: readonly UnitChoice[],
  chases: readonly ChaseView[],
  extra: readonly UnitChoice[] = [],
): UnitChoice[] {
  const out = new Map<string, string>();
  const byName = new Map(units.map((u) => [u.name, u.id]));
  const assignments = Array.isArray(item.assignments) ? (item.assignments as AssignmentLike[]) : [];
  for (const step of assignments)
    for (const u of step.units ?? [])
      if (u.unitId && u.status !== 'removed' && u.status !== 'replaced') out.set(u.unitId, u.unitName ?? u.unitId);
  for (const t of item.openTasks) {
    const id = t.unitName ? byName.get(t.unitName) : undefined;
    if (id && t.unitName) out.set(id, t.unitName);
  }
  for (const c of chases) out.set(c.unitId, c.unitName);
  for (const u of extra) out.set(u.id, u.name);
  return [...out].map(([id, name]) => ({ id, name }));
}

// ---------------------------------------------------------------------------
// 阅知情况

/** The `reads` the item detail carries (null when the server sent none). */
export function readsOf(item: unknown): ReadsView | null {
  const reads = (item as { reads?: ReadsView | null } | null)?.reads;
  return reads && Array.isArray(reads.circulations) ? reads : null;
}

export function showReads(reads: ReadsView | null | undefined): boolean {
  return !!reads && reads.circulations.length > 0;
}

export function readStatusLabel(status: string): { label: string; color: string } {
  if (status === 'read') return { label: '已阅', color: 'green' };
  if (status === 'cancelled') return { label: '已取消', color: 'default' };
  return { label: '未阅', color: 'orange' };
}
