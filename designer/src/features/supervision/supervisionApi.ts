import { request } from '../../api/client';
import type { FormDefinition } from '../../shared/forms/types';

// ---------------------------------------------------------------------------
// 延期申请 (src/Duban.Server/Supervision/ExtensionEndpoints.cs)

export type ExtensionStatus = 'pending' | 'approved' | 'rejected' | 'closed';

export interface ExtensionStage {
  index: number;
  /** `office` or `leader`. */
  stage: string;
  /** 督查部门审核 / 领导审批 */
  name: string;
}

export interface ExtensionDecision {
  stage: number;
  stageName: string;
  approved: boolean;
  byId: string;
  byName: string | null;
  at: string;
  opinion: string | null;
}

/** One extension request with its whole history. */
export interface ExtensionView {
  id: string;
  instanceId: string;
  itemTitle: string | null;
  itemNumber: string | null;
  unitId: string;
  unitName: string;
  requestedById: string;
  requestedByName: string | null;
  requestedAt: string;
  reason: string;
  currentDueAt: string;
  requestedDueAt: string;
  status: ExtensionStatus;
  stages: ExtensionStage[];
  /** Index into `stages` of the stage waiting for a decision (pending only). */
  stage: number;
  stageName: string | null;
  decisions: ExtensionDecision[];
  decidedAt: string | null;
  late: boolean;
  approvalTaskId: string | null;
  /** The signed-in user may decide the waiting stage. */
  canDecide: boolean;
  /** Set when the new date falls on a rest day in the organization's calendar (shown to the approver). */
  warning?: string | null;
}

/** May this user ask now (and why not): for the 申请延期 button. */
export interface ExtensionEligibility {
  unitId: string | null;
  unitName: string | null;
  /** The deadline an extension would move. */
  deadline: string | null;
  canRequest: boolean;
  reason: string | null;
  late: boolean;
  pending: boolean;
}

export interface ItemExtensions {
  eligibility: ExtensionEligibility;
  requests: ExtensionView[];
}

export interface RequestExtension {
  reason: string;
  /** yyyy-MM-dd */
  newDueDate: string;
}

export interface DecideExtension {
  approve: boolean;
  opinion?: string | null;
}

// ---------------------------------------------------------------------------
// 催办 (src/Duban.Server/Supervision/ChaseEndpoints.cs, src/Duban.Engine/Chasing/Ladder.cs)

/** A rung's trigger: `overdue` N days after the deadline, `beforeDue` N days before it, or `manual` (by hand). */
export interface RungTrigger {
  kind: string;
  days: number;
  /** Count calendar days instead of working days. */
  calendarDays: boolean;
}

/** What a rung sends to the chased unit's inbox. */
export interface RungNotice {
  title: string;
  text: string | null;
  replyRequired: boolean;
  replyDays: number | null;
}

/** One rung of the chasing ladder (催办阶梯) as the server keeps it. */
export interface LadderRung {
  key: string;
  name: string;
  trigger: RungTrigger;
  /** The role that acts. */
  actor: string;
  /** What the actor records: phoneLog, onSiteLog, meetingLog, accountabilityLog; null when nothing. */
  record: string | null;
  notice: RungNotice | null;
  /** What the unit is scored for, null for a mere reminder. */
  scoreEvent: string | null;
}

export type ChaseStatus = 'open' | 'done' | 'cancelled';

export interface ChaseView {
  id: string;
  instanceId: string;
  unitId: string;
  unitName: string;
  rungKey: string;
  rungName: string;
  rungIndex: number;
  cycle: number;
  /** `auto` or `manual`. */
  trigger: string;
  scoreEvent: string | null;
  scoreEventLabel: string | null;
  raisedAt: string;
  raisedByName: string | null;
  dueAt: string | null;
  status: ChaseStatus;
  actor: string | null;
  recordKind: string | null;
  recordForm: FormDefinition | null;
  record: Record<string, unknown> | null;
  recordedAt: string | null;
  recordedByName: string | null;
  actionTaskId: string | null;
  noticeTitle: string | null;
  noticeText: string | null;
  replyRequired: boolean;
  replyDueAt: string | null;
  noticeTaskId: string | null;
  reply: Record<string, unknown> | null;
  repliedAt: string | null;
  repliedByName: string | null;
  note: string | null;
  cancelReason: string | null;
}

export interface ItemChases {
  ladder: LadderRung[];
  chases: ChaseView[];
  canRaise: boolean;
}

export interface NamedValue {
  value: string;
  label: string;
}

/** GET /api/chasing/ladder: the organization's ladder with the record forms it can use. */
export interface LadderSettings {
  organizationId: string;
  isDefault: boolean;
  rungs: LadderRung[];
  recordForms: Record<string, FormDefinition>;
  scoreEvents: NamedValue[];
  actors: string[];
}

export interface RaiseChase {
  unitId: string;
  rungKey: string;
  record?: Record<string, unknown> | null;
  note?: string | null;
}

// ---------------------------------------------------------------------------
// 阅知情况 (src/Duban.Server/Supervision/ReadConfirmations.cs) — sent inside GET /api/instances/{id} as `reads`

export type ReadStatus = 'read' | 'unread' | 'cancelled';

export interface ReadView {
  taskId: string;
  unitId: string | null;
  unitName: string | null;
  userId: string | null;
  userName: string | null;
  role: string | null;
  status: ReadStatus;
  readAt: string | null;
  readById: string | null;
  readByName: string | null;
  comment: string | null;
}

export interface CirculationView {
  activityId: string;
  activityName: string;
  round: number;
  sentAt: string;
  message: string | null;
  total: number;
  read: number;
  recipients: ReadView[];
}

export interface ReadsView {
  total: number;
  read: number;
  unread: number;
  circulations: CirculationView[];
}

// ---------------------------------------------------------------------------

const item = (id: string) => `/api/instances/${encodeURIComponent(id)}`;

export const supervisionApi = {
  extensions: (instanceId: string, signal?: AbortSignal) =>
    request<ItemExtensions>('GET', `${item(instanceId)}/extensions`, { signal }),
  requestExtension: (instanceId: string, body: RequestExtension) =>
    request<ExtensionView>('POST', `${item(instanceId)}/extensions`, { body }),
  decideExtension: (extensionId: string, body: DecideExtension) =>
    request<ExtensionView>('POST', `/api/extensions/${encodeURIComponent(extensionId)}/decide`, { body }),

  chases: (instanceId: string, signal?: AbortSignal) =>
    request<ItemChases>('GET', `${item(instanceId)}/chases`, { signal }),
  ladder: (signal?: AbortSignal) => request<LadderSettings>('GET', '/api/chasing/ladder', { signal }),
  raiseChase: (instanceId: string, body: RaiseChase) =>
    request<ChaseView>('POST', `${item(instanceId)}/chases`, { body }),
  recordChase: (chaseId: string, record: Record<string, unknown>) =>
    request<ChaseView>('POST', `/api/chases/${encodeURIComponent(chaseId)}/record`, { body: { record } }),
  cancelChase: (chaseId: string, reason: string) =>
    request<ChaseView>('POST', `/api/chases/${encodeURIComponent(chaseId)}/cancel`, { body: { reason } }),

  reads: (instanceId: string, signal?: AbortSignal) =>
    request<ReadsView>('GET', `${item(instanceId)}/reads`, { signal }),
};
