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
  templates: (id: string) => request<number>('POST', `/api/platform/organizations/${encodeURIComponent(id)}/templates`),
};
