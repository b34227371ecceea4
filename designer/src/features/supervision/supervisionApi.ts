import { request } from '../../api/client';
import type { components } from '../../api/schema';
import type { FormDefinition } from '../../shared/forms/types';

type Schemas = components['schemas'];

/**
 * The server's types (generated from its OpenAPI document), with the properties it declares as plain strings or any
 * JSON narrowed to what it sends: a status's values, a record form in the web app's form model, a record or a reply as
 * an object of field values.
 */
type Narrow<T, N> = Omit<T, keyof N> & N;

// ---------------------------------------------------------------------------
// 延期申请 (src/Duban.Server/Supervision/ExtensionEndpoints.cs)

export type ExtensionStatus = 'pending' | 'approved' | 'rejected' | 'closed';

export type ExtensionStage = Schemas['ExtensionStageView'];

export type ExtensionDecision = Schemas['ExtensionDecision'];

/** One extension request with its whole history. */
export type ExtensionView = Narrow<Schemas['ExtensionView'], { status: ExtensionStatus }>;

/** May this user ask now (and why not): for the 申请延期 button. */
export type ExtensionEligibility = Schemas['ExtensionEligibility'];

export type ItemExtensions = Narrow<Schemas['ItemExtensions'], { requests: ExtensionView[] }>;

export type RequestExtension = Schemas['RequestExtensionRequest'];

export type DecideExtension = Schemas['DecideExtensionRequest'];

// ---------------------------------------------------------------------------
// 催办 (src/Duban.Server/Supervision/ChaseEndpoints.cs, src/Duban.Engine/Chasing/Ladder.cs)

/** A rung's trigger: `overdue` N days after the deadline, `beforeDue` N days before it, or `manual` (by hand). */
export type RungTrigger = Schemas['RungTrigger'];

/** What a rung sends to the chased unit's inbox. */
export type RungNotice = Schemas['RungNotice'];

/** One rung of the chasing ladder (催办阶梯) as the server keeps it (and sends it: with the acting role always set). */
export type LadderRung = Narrow<Schemas['LadderRung'], { actor: string }>;

export type ChaseStatus = 'open' | 'done' | 'cancelled';

type FieldValues = Record<string, unknown>;

export type ChaseView = Narrow<
  Schemas['ChaseView'],
  { status: ChaseStatus; recordForm: FormDefinition | null; record: FieldValues | null; reply: FieldValues | null }
>;

export type ItemChases = Narrow<Schemas['ItemChases'], { ladder: LadderRung[]; chases: ChaseView[] }>;

export type NamedValue = Schemas['NamedValue'];

/** GET /api/chasing/ladder: the organization's ladder with the record forms it can use. */
export type LadderSettings = Narrow<
  Schemas['LadderSettings'],
  { rungs: LadderRung[]; recordForms: Record<string, FormDefinition> }
>;

export type RaiseChase = Narrow<Schemas['RaiseChaseRequest'], { record?: FieldValues | null }>;

// ---------------------------------------------------------------------------
// 阅知情况 (src/Duban.Server/Supervision/ReadConfirmations.cs) — sent inside GET /api/instances/{id} as `reads`

export type ReadStatus = 'read' | 'unread' | 'cancelled';

export type ReadView = Narrow<Schemas['ReadView'], { status: ReadStatus }>;

export type CirculationView = Narrow<Schemas['CirculationView'], { recipients: ReadView[] }>;

export type ReadsView = Narrow<Schemas['ReadsView'], { circulations: CirculationView[] }>;

// ---------------------------------------------------------------------------

const item = (id: string) => `/api/instances/${encodeURIComponent(id)}`;

export type ChasePerson = Schemas['ChasePersonView'];
export type ScoreEventDefinition = Schemas['ScoreEventDefinition'];
export type ScoreEntryView = Schemas['ScoreEntryView'];
export type ItemScoreEntries = Schemas['ItemScoreEntries'];

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

  /** Names the item's 专人; null takes the naming back. */
  nameOwner: (instanceId: string, userId: string | null) =>
    request<ItemChases>('PUT', `${item(instanceId)}/owner`, { body: { userId } }),
  scoreEntries: (instanceId: string, signal?: AbortSignal) =>
    request<ItemScoreEntries>('GET', `${item(instanceId)}/score-entries`, { signal }),
  recordScoreEntry: (instanceId: string, body: { unitId: string; eventKey: string; note: string }) =>
    request<ScoreEntryView>('POST', `${item(instanceId)}/score-entries`, { body }),
  revokeScoreEntry: (entryId: string, reason: string) =>
    request<ScoreEntryView>('POST', `/api/scoring/entries/${encodeURIComponent(entryId)}/revoke`, { body: { reason } }),

  reads: (instanceId: string, signal?: AbortSignal) =>
    request<ReadsView>('GET', `${item(instanceId)}/reads`, { signal }),
};
