import { describe, expect, it } from 'vitest';
import { mockFetch } from '../../test/fetchMock';
import { changedSince } from './definitionsApi';
import type { DefinitionVersion } from './types';

const meta = (over: Partial<DefinitionVersion> = {}): DefinitionVersion => ({
  id: 'v2',
  definitionId: 'p',
  version: 2,
  name: '流程',
  isPublished: false,
  isLatest: true,
  createdAt: '2026-11-23T01:00:00.0000000+00:00',
  updatedAt: '2026-11-23T01:02:03.4567891+00:00',
  publishedAt: null,
  updatedBy: null,
  ...over,
});

function serverHas(latest: DefinitionVersion) {
  mockFetch({
    'GET /api/definitions/p': {
      body: {
        meta: latest,
        definition: { definitionId: 'p', name: '流程', root: { activities: [], connections: [] } },
      },
    },
  });
}

describe('changedSince', () => {
  it('is null when the draft is the one loaded, whatever the precision the database kept', async () => {
    serverHas(meta({ updatedAt: '2026-11-23T01:02:03.456789+00:00' }));
    expect(await changedSince(meta())).toBeNull();
  });

  it('returns the latest version when someone saved after it was loaded', async () => {
    serverHas(meta({ updatedAt: '2026-11-23T01:05:00+00:00', updatedBy: 'other' }));
    expect((await changedSince(meta()))?.updatedBy).toBe('other');
  });

  it('returns the latest version when someone published and started a new draft', async () => {
    serverHas(meta({ id: 'v3', version: 3 }));
    expect((await changedSince(meta()))?.version).toBe(3);
  });
});
