import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
import type { ScoringRules } from '../scores/scoresApi';
import type { LadderRung, LadderSettings } from '../supervision/supervisionApi';

// The ladder's shapes are the chase API's own (GET /api/chasing/ladder); the settings page edits the same ladder.
export type { LadderRung, LadderSettings, RungNotice, RungTrigger } from '../supervision/supervisionApi';

/** GET /api/supervision/settings */
export type SupervisionSettings = Schemas['SupervisionSettingsView'];

export type SaveScoringRules = Schemas['SaveScoringRulesRequest'];

/** A 通报批评 against a unit; `issuedOn` yyyy-MM-dd. */
export type Bulletin = Schemas['BulletinView'];

export type IssueBulletin = Schemas['IssueBulletinRequest'];

export const settingsApi = {
  ladder: (signal?: AbortSignal) => request<LadderSettings>('GET', '/api/chasing/ladder', { signal }),
  saveLadder: (rungs: LadderRung[] | null) =>
    request<LadderSettings>('PUT', '/api/chasing/ladder', { body: { rungs } }),
  supervision: (signal?: AbortSignal) => request<SupervisionSettings>('GET', '/api/supervision/settings', { signal }),
  saveSupervision: (allowLateExtensionRequests: boolean) =>
    request<SupervisionSettings>('PUT', '/api/supervision/settings', { body: { allowLateExtensionRequests } }),
  rules: (year: number, signal?: AbortSignal) => request<ScoringRules>('GET', `/api/scoring/${year}/rules`, { signal }),
  saveRules: (year: number, rules: SaveScoringRules) =>
    request<ScoringRules>('PUT', `/api/scoring/${year}/rules`, { body: rules }),
  resetRules: (year: number) => request<ScoringRules>('DELETE', `/api/scoring/${year}/rules`),
  /** The shipped table for years without rules of their own; null: such years are not scored. */
  chooseTable: (year: number, table: string | null) =>
    request<ScoringRules>('PUT', '/api/scoring/table', { query: { year }, body: { table } }),
  bulletins: (year: number, signal?: AbortSignal) =>
    request<Bulletin[]>('GET', '/api/scoring/bulletins', { query: { year }, signal }),
  issueBulletin: (bulletin: IssueBulletin) => request<Bulletin>('POST', '/api/scoring/bulletins', { body: bulletin }),
  revokeBulletin: (id: string, reason: string) =>
    request<Bulletin>('POST', `/api/scoring/bulletins/${encodeURIComponent(id)}/revoke`, { body: { reason } }),
};
