import { request } from '../../api/client';
import type { DefinitionSummary } from '../../api/types';
import type {
  ActivityDescriptor,
  DefinitionDocument,
  DefinitionVersion,
  ValidationReport,
  WorkflowDefinition,
} from './types';

const base = '/api/definitions';
const enc = encodeURIComponent;

/** Procedure definitions (src/Duban.Server/Definitions/DefinitionEndpoints.cs). Writing needs 管理员. */
export const definitionsApi = {
  list: (signal?: AbortSignal) => request<Required<DefinitionSummary>[]>('GET', base, { signal }),
  /** The latest version (draft or published), or a given version. */
  get: (definitionId: string, version?: number, signal?: AbortSignal) =>
    request<DefinitionDocument>('GET', `${base}/${enc(definitionId)}`, { query: { version }, signal }),
  versions: (definitionId: string, signal?: AbortSignal) =>
    request<DefinitionVersion[]>('GET', `${base}/${enc(definitionId)}/versions`, { signal }),
  /** Updates the draft, or starts version N+1 as a draft when the latest is published. */
  saveDraft: (definition: WorkflowDefinition) =>
    request<DefinitionVersion>('PUT', `${base}/${enc(definition.definitionId)}`, { body: definition }),
  validate: (definition: WorkflowDefinition) =>
    request<ValidationReport>('POST', `${base}/validate`, { body: definition }),
  publish: (definitionId: string) => request<DefinitionVersion>('POST', `${base}/${enc(definitionId)}/publish`),
  exportUrl: (definitionId: string, version?: number) =>
    `${base}/${enc(definitionId)}/export${version ? `?version=${version}` : ''}`,
  import: (json: unknown, publish = false) =>
    request<DefinitionVersion>('POST', `${base}/import`, { body: json, query: { publish } }),
};

export const activitiesApi = {
  list: (signal?: AbortSignal) => request<ActivityDescriptor[]>('GET', '/api/activities', { signal }),
};

export const rolesApi = {
  list: (signal?: AbortSignal) => request<string[]>('GET', '/api/roles', { signal }),
};

/**
 * The latest version's record when someone saved or published the procedure after `seen` was loaded, else null.
 * PUT has no version token, so the designers ask before saving over another administrator's work.
 */
export async function changedSince(
  seen: Pick<DefinitionVersion, 'id' | 'updatedAt' | 'definitionId'>,
): Promise<DefinitionVersion | null> {
  const latest = await definitionsApi.get(seen.definitionId);
  // Milliseconds: PostgreSQL keeps microseconds, the answer to a save had the server's ticks.
  return latest.meta.id !== seen.id || Date.parse(latest.meta.updatedAt) !== Date.parse(seen.updatedAt)
    ? latest.meta
    : null;
}
