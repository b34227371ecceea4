import type { LadderRung } from './settingsApi';

/** The chasing ladder as the settings tab edits it: flat fields per rung, a local id for React keys. Pure. */
export interface RungDraft {
  uid: string;
  key: string;
  name: string;
  triggerKind: string;
  days: number | null;
  calendarDays: boolean;
  actor: string;
  /** Who acts instead of the role: '' the role; 'owner' the item's 专人 (else the role); 'person:<id>' a named person. */
  who: string;
  /** '' = records nothing */
  record: string;
  hasNotice: boolean;
  noticeTitle: string;
  noticeText: string;
  replyRequired: boolean;
  replyDays: number | null;
  /** '' = not scored */
  scoreEvent: string;
  /** The document template generated and sent to the chased unit when the rung is raised; '' = none (decision 047). */
  document: string;
}

export type RungField = 'name' | 'days' | 'actor' | 'noticeTitle' | 'replyDays' | 'effect';

export const TRIGGER_KINDS = [
  { value: 'overdue', label: '逾期后自动' },
  { value: 'beforeDue', label: '到期前自动' },
  { value: 'manual', label: '手动发起' },
] as const;

export const MAX_RUNGS = 20;

let counter = 0;
function uid(): string {
  counter += 1;
  return `r${counter}`;
}

export function toDrafts(rungs: readonly LadderRung[]): RungDraft[] {
  return rungs.map((r) => ({
    uid: uid(),
    key: r.key,
    name: r.name,
    triggerKind: r.trigger?.kind ?? 'manual',
    days: r.trigger?.days ?? 0,
    calendarDays: r.trigger?.calendarDays ?? false,
    actor: r.actor,
    who: r.itemOwner ? 'owner' : r.person ? `person:${r.person}` : '',
    record: r.record ?? '',
    hasNotice: !!r.notice,
    noticeTitle: r.notice?.title ?? '',
    noticeText: r.notice?.text ?? '',
    replyRequired: r.notice?.replyRequired ?? false,
    replyDays: r.notice?.replyDays ?? null,
    scoreEvent: r.scoreEvent ?? '',
    document: r.document ?? '',
  }));
}

export function toRungs(drafts: readonly RungDraft[]): LadderRung[] {
  return drafts.map((d) => ({
    key: d.key,
    name: d.name.trim(),
    trigger: {
      kind: d.triggerKind,
      days: d.triggerKind === 'manual' ? 0 : (d.days ?? 0),
      calendarDays: d.calendarDays,
    },
    actor: d.actor,
    ...(d.who.startsWith('person:') ? { person: d.who.slice('person:'.length) } : {}),
    ...(d.who === 'owner' ? { itemOwner: true } : {}),
    record: d.record || null,
    notice: d.hasNotice
      ? {
          title: d.noticeTitle.trim(),
          text: d.noticeText.trim() || null,
          replyRequired: d.replyRequired,
          replyDays: d.replyRequired ? d.replyDays : null,
        }
      : null,
    scoreEvent: d.scoreEvent || null,
    ...(d.document ? { document: d.document } : {}),
  }));
}

/** A new rung at the end: raised by hand by a 督查员; its key is unique and never reused from an existing rung. */
export function newRung(drafts: readonly RungDraft[], actor = '督查员'): RungDraft {
  const keys = new Set(drafts.map((d) => d.key));
  let n = drafts.length + 1;
  while (keys.has(`rung${n}`)) n += 1;
  return {
    uid: uid(),
    key: `rung${n}`,
    name: '',
    triggerKind: 'manual',
    days: 0,
    calendarDays: false,
    actor,
    who: '',
    record: '',
    hasNotice: false,
    noticeTitle: '',
    noticeText: '',
    replyRequired: false,
    replyDays: null,
    scoreEvent: '',
    document: '',
  };
}

/** Moves the rung at `index` up (-1) or down (+1); unchanged at the ends. */
export function moveRung<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const next = [...list];
  [next[index], next[target]] = [next[target], next[index]];
  return next;
}

export interface LadderErrors {
  /** Per rung uid, per field. */
  rungs: Record<string, Partial<Record<RungField, string>>>;
  general: string[];
}

export function hasErrors(errors: LadderErrors): boolean {
  return errors.general.length > 0 || Object.values(errors.rungs).some((e) => Object.keys(e).length > 0);
}

/** The server's checks (Ladder.Problems), field by field, so each message stands beside its field. */
export function validateLadder(drafts: readonly RungDraft[], actors: readonly string[]): LadderErrors {
  const errors: LadderErrors = { rungs: {}, general: [] };
  if (drafts.length === 0) errors.general.push('催办阶梯至少需要一级');
  if (drafts.length > MAX_RUNGS) errors.general.push(`催办阶梯最多 ${MAX_RUNGS} 级`);
  const names = new Map<string, number>();
  for (const d of drafts) if (d.name.trim()) names.set(d.name.trim(), (names.get(d.name.trim()) ?? 0) + 1);
  drafts.forEach((d) => {
    const e: Partial<Record<RungField, string>> = {};
    if (!d.name.trim()) e.name = '请填写名称';
    else if (d.name.trim().length > 50) e.name = '名称不能超过 50 字';
    else if ((names.get(d.name.trim()) ?? 0) > 1) e.name = '名称与其他级重复';
    if (d.triggerKind !== 'manual' && (d.days === null || !Number.isInteger(d.days) || d.days < 0 || d.days > 365))
      e.days = '天数应为 0 到 365 之间的整数';
    if (!actors.includes(d.actor)) e.actor = '请选择办理角色';
    if (d.hasNotice) {
      if (!d.noticeTitle.trim()) e.noticeTitle = '请填写通知标题';
      if (
        d.replyRequired &&
        (d.replyDays === null || !Number.isInteger(d.replyDays) || d.replyDays < 1 || d.replyDays > 60)
      )
        e.replyDays = '回复期限应为 1 到 60 个工作日';
    }
    if (!d.record && !d.hasNotice && !d.scoreEvent && !d.document)
      e.effect = '请至少选择一项：登记内容、通知承办单位、生成文书或计入考核';
    if (Object.keys(e).length > 0) errors.rungs[d.uid] = e;
  });
  return errors;
}

/**
 * Places the server's ladder problems (all sent under `rungs`, each naming its rung as 「名称」 or 第 N 级) beside
 * the rung they name; the rest stay general.
 */
export function placeServerProblems(drafts: readonly RungDraft[], messages: readonly string[]): LadderErrors {
  const errors: LadderErrors = { rungs: {}, general: [] };
  for (const message of messages) {
    const byName = drafts.find((d) => d.name.trim() && message.includes(`「${d.name.trim()}」`));
    const ordinal = /^第 (\d+) 级/.exec(message);
    const rung = byName ?? (ordinal ? drafts[Number(ordinal[1]) - 1] : undefined);
    if (rung) {
      const e = (errors.rungs[rung.uid] ??= {});
      e.effect = e.effect ? `${e.effect}；${message}` : message;
    } else errors.general.push(message);
  }
  return errors;
}

/** "逾期 1 个工作日后" / "到期前 2 个自然日" / "手动发起". */
export function triggerText(d: Pick<RungDraft, 'triggerKind' | 'days' | 'calendarDays'>): string {
  const unit = d.calendarDays ? '自然日' : '工作日';
  if (d.triggerKind === 'overdue') return d.days ? `逾期 ${d.days} 个${unit}后` : '一旦逾期';
  if (d.triggerKind === 'beforeDue') return d.days ? `到期前 ${d.days} 个${unit}` : '到期当日';
  return '手动发起';
}

export function sameLadder(a: readonly RungDraft[], b: readonly RungDraft[]): boolean {
  const strip = (list: readonly RungDraft[]) => JSON.stringify(toRungs(list));
  return strip(a) === strip(b);
}
