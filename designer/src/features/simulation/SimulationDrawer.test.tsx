import { StyleProvider } from '@ant-design/cssinjs';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../../app/AppProviders';
import type { SimulationResult } from '../../api/types';
import type { WorkflowDefinition } from '../../shared/flow';
import { mockFetch } from '../../test/fetchMock';
import { SimulationDrawer } from './SimulationDrawer';

const definition = {
  definitionId: 'demo',
  name: '督查事项办理',
  root: { id: 'flow', type: 'Duban.Flowchart', activities: [{ id: 'handle', type: 'Duban.UserTask', name: '承办' }] },
} as unknown as WorkflowDefinition;

const version = (v: number, isPublished: boolean) => ({
  id: `v${v}`,
  definitionId: 'demo',
  version: v,
  name: '督查事项办理',
  isPublished,
  isLatest: !isPublished,
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
  publishedAt: isPublished ? '2026-12-01T00:00:00Z' : null,
});

/** What the server answers for a version: the draft gives 法制处 a longer deadline, so it loses less. */
function result(v: number): SimulationResult {
  const draft = v === 2;
  return {
    definitionId: 'demo',
    version: v,
    isDraft: draft,
    name: '督查事项办理',
    startedAt: '2026-03-02T01:00:00Z',
    endedAt: draft ? '2026-04-08T01:00:00Z' : '2026-03-18T01:00:00Z',
    stop: 'finished',
    number: null,
    itemDueAt: null,
    events: [],
    steps: [],
    scores: [
      {
        unitId: 'fzc',
        unitName: '法制处',
        startScore: 3,
        score: draft ? 2.9 : 2.7,
        deducted: draft ? 0.1 : 0.3,
        deductions: [],
      },
    ],
  };
}

describe('SimulationDrawer', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('loads a saved scenario and runs it on the draft and the published version side by side', async () => {
    const runs: unknown[] = [];
    mockFetch({
      'GET /api/units': { body: [{ id: 'fzc', name: '法制处', parentId: null }] },
      'GET /api/users': { body: [] },
      'GET /api/definitions/demo/versions': { body: [version(1, true), version(2, false)] },
      'GET /api/definitions/demo/scenarios': {
        body: [
          {
            id: 's1',
            name: '法制处逾期 4 个工作日',
            scenario: {
              startDate: '2026-03-02',
              units: ['fzc'],
              dueDate: '2026-03-20',
              behaviours: [{ unitId: 'fzc', stepId: null, kind: 'late', days: 4, approved: null, times: null }],
            },
            procedureVersion: 1,
            savedAt: '2026-12-07T08:00:00Z',
            savedBy: '系统管理员',
            version: 1,
          },
        ],
      },
      'POST /api/definitions/demo/simulations': (_url, init) => {
        const body = JSON.parse(String(init?.body)) as { version: number };
        runs.push(body);
        return { body: result(body.version) };
      },
    });
    render(
      // mock="server": antd's CSS-in-JS stays in memory, which makes jsdom's style lookups much cheaper.
      <StyleProvider mock="server">
        <AppProviders motion={false}>
          <SimulationDrawer open definition={definition} version={2} isDraft dirty={false} onClose={() => undefined} />
        </AppProviders>
      </StyleProvider>,
    );

    fireEvent.click(await screen.findByRole('button', { name: '载入' }, { timeout: 15_000 }));
    expect(await screen.findByRole('spinbutton', { name: '法制处的工作日数' })).toHaveValue('4');
    fireEvent.click(await screen.findByRole('checkbox', { name: '与已发布的第 1 版对比' }));
    fireEvent.click(screen.getByRole('button', { name: '运行模拟' }));

    const draft = await screen.findByRole('region', { name: '模拟结果：草稿第 2 版' }, { timeout: 15_000 });
    const published = screen.getByRole('region', { name: '模拟结果：已发布第 1 版' });
    expect(within(draft).getByRole('row', { name: /法制处 3 0.1 2.9/ })).toBeInTheDocument();
    expect(within(published).getByRole('row', { name: /法制处 3 0.3 2.7/ })).toBeInTheDocument();
    expect(runs).toEqual([
      expect.objectContaining({ version: 2, startDate: '2026-03-02', units: ['fzc'], dueDate: '2026-03-20' }),
      expect.objectContaining({ version: 1, startDate: '2026-03-02', units: ['fzc'] }),
    ]);
  });
});
