import { ApiError, CSRF_HEADER, CSRF_VALUE, request } from '../../api/client';
import type { ProblemDetails } from '../../api/types';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** One version of a document template (文书模板). */
export type DocumentTemplate = Schemas['DocumentTemplateView'];
/** GET /api/document-templates */
export type DocumentTemplateList = Schemas['DocumentTemplateList'];
/** A placeholder an administrator may type in Word: 「{{名称}}」. */
export type Placeholder = Schemas['PlaceholderInfo'];
/** A document generated for an item. */
export type GeneratedDocument = Schemas['GeneratedDocumentView'];

const templates = '/api/document-templates';
const item = (id: string) => `/api/instances/${encodeURIComponent(id)}`;

/** Where a document, a template version or a preview is downloaded (a plain link: the cookie signs it). */
export const documentLinks = {
  document: (id: string, pdf = false) => `/api/documents/${encodeURIComponent(id)}${pdf ? '?format=pdf' : ''}`,
  templateFile: (versionId: string) => `${templates}/versions/${encodeURIComponent(versionId)}/file`,
  preview: (versionId: string, instanceId: string, pdf = false) =>
    `${templates}/versions/${encodeURIComponent(versionId)}/preview?instanceId=${encodeURIComponent(instanceId)}${pdf ? '&format=pdf' : ''}`,
  archive: (instanceId: string, pdf = false) => `${item(instanceId)}/archive${pdf ? '?pdf=true' : ''}`,
};

export const documentsApi = {
  templates: (signal?: AbortSignal) => request<DocumentTemplateList>('GET', templates, { signal }),
  placeholders: (signal?: AbortSignal) =>
    request<{ placeholders: Placeholder[] }>('GET', `${templates}/placeholders`, { signal }),
  versions: (key: string, signal?: AbortSignal) =>
    request<DocumentTemplate[]>('GET', `${templates}/${encodeURIComponent(key)}/versions`, { signal }),
  fromShipped: (kind: string) => request<DocumentTemplate>('POST', `${templates}/shipped/${encodeURIComponent(kind)}`),
  saveSettings: (key: string, name: string, numberPattern: string) =>
    request<DocumentTemplate>('POST', `${templates}/${encodeURIComponent(key)}/versions`, {
      body: { name, numberPattern },
    }),
  /** POST /api/document-templates (multipart): a new template, or a new version of `key`. */
  upload: async (
    file: File,
    fields: { name?: string; numberPattern?: string; key?: string },
  ): Promise<DocumentTemplate> => {
    const data = new FormData();
    data.append('file', file, file.name);
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) data.append(k, v);
    const response = await fetch(templates, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', [CSRF_HEADER]: CSRF_VALUE },
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw new ApiError(response.status, body as ProblemDetails | undefined);
    return body as DocumentTemplate;
  },
  ofItem: (instanceId: string, signal?: AbortSignal) =>
    request<GeneratedDocument[]>('GET', `${item(instanceId)}/documents`, { signal }),
  generate: (instanceId: string, templateKey: string) =>
    request<GeneratedDocument>('POST', `${item(instanceId)}/documents`, { body: { templateKey } }),
};

/** Placeholders grouped for the template page's list: 通用、事项、单位…, then one group per procedure. */
export function groupPlaceholders(list: readonly Placeholder[]): { group: string; items: Placeholder[] }[] {
  const groups = new Map<string, Placeholder[]>();
  for (const p of list) {
    const items = groups.get(p.group) ?? [];
    items.push(p);
    groups.set(p.group, items);
  }
  return [...groups].map(([group, items]) => ({ group, items }));
}
