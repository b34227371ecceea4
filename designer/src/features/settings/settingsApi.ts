import { request } from '../../api/client';
import type { FormDefinition } from '../../shared/forms/types';
import type { NamedValue, ScoringRules } from '../scores/scoresApi';

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
  /** What the actor records (a key of `recordForms`), null for nothing. */
  record: string | null;
  notice: RungNotice | null;
  /** What the unit is scored for, null for a mere reminder. */
  scoreEvent: string | null;
}

/** GET /api/chasing/ladder */
export interface LadderSettings {
  organizationId: string;
  isDefault: boolean;
  rungs: LadderRung[];
  recordForms: Record<string, FormDefinition>;
  scoreEvents: NamedValue[];
  actors: string[];
}

/** GET /api/supervision/settings */
export interface SupervisionSettings {
  organizationId: string;
  allowLateExtensionRequests: boolean;
  updatedAt: string | null;
  updatedByName: string | null;
}

export interface SaveScoringRules {
  startScore: number;
  floor: number;
  redoThreshold: number;
  deductions: Record<string, number>;
}

/** A 通报批评 against a unit; `issuedOn` yyyy-MM-dd. */
export interface Bulletin {
  id: string;
  unitId: string;
  unitName: string;
  instanceId: string | null;
  title: string;
  issuedOn: string;
  note: string | null;
  createdAt: string;
  createdByName: string | null;
  revoked: boolean;
  revokeReason: string | null;
}

export interface IssueBulletin {
  unitId: string;
  title: string;
  issuedOn: string;
  note?: string | null;
}

export const settingsApi = {
  ladder: (signal?: AbortSignal) => request<LadderSettings>('GET', '/api/chasing/ladder', { signal }),
  saveLadder: (rungs: LadderRung[] | null) => request<LadderSettings>('PUT', '/api/chasing/ladder', { body: { rungs } }),
  supervision: (signal?: AbortSignal) => request<SupervisionSettings>('GET', '/api/supervision/settings', { signal }),
  saveSupervision: (allowLateExtensionRequests: boolean) =>
    request<SupervisionSettings>('PUT', '/api/supervision/settings', { body: { allowLateExtensionRequests } }),
  rules: (year: number, signal?: AbortSignal) => request<ScoringRules>('GET', `/api/scoring/${year}/rules`, { signal }),
  saveRules: (year: number, rules: SaveScoringRules) => request<ScoringRules>('PUT', `/api/scoring/${year}/rules`, { body: rules }),
  resetRules: (year: number) => request<ScoringRules>('DELETE', `/api/scoring/${year}/rules`),
  bulletins: (year: number, signal?: AbortSignal) => request<Bulletin[]>('GET', '/api/scoring/bulletins', { query: { year }, signal }),
  issueBulletin: (bulletin: IssueBulletin) => request<Bulletin>('POST', '/api/scoring/bulletins', { body: bulletin }),
  revokeBulletin: (id: string, reason: string) =>
    request<Bulletin>('POST', `/api/scoring/bulletins/${encodeURIComponent(id)}/revoke`, { body: { reason } }),
};
