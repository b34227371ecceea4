import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** GET /api/platform/organizations row: an organization on the installation, without any of its business. */
export type Organization = Schemas['OrganizationDto'];

export type AddOrganization = Schemas['AddOrganizationRequest'];

export const platformApi = {
  organizations: (signal?: AbortSignal) => request<Organization[]>('GET', '/api/platform/organizations', { signal }),
  add: (organization: AddOrganization) =>
    request<Organization>('POST', '/api/platform/organizations', { body: organization }),
  /** 上级组织 (上级交办, decision 050): null removes it. */
  setSuperior: (id: string, superiorOrganizationId: string | null) =>
    request<unknown>('PUT', `/api/platform/organizations/${encodeURIComponent(id)}/superior`, {
      body: { superiorOrganizationId },
    }),
  templates: (id: string) => request<number>('POST', `/api/platform/organizations/${encodeURIComponent(id)}/templates`),
};
