import { screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InstanceDetail } from '../../api/types';
import { resetDirectory } from '../../shared/forms/directory';
import { mockFetch } from '../../test/fetchMock';
import { liaisonUser, task } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

beforeAll(async () => {
  await Promise.all([import('./ItemPage'), import('../../shared/forms/FormRenderer')]);
}, 60000);

const detail = {
  instance: {
    id: 'i1',
    title: '决策部署分解',
    number: '督决〔2026〕3号',
    definitionId: 'split',
    definitionName: '决策部署分解',
    definitionVersion: 2,
    status: 'suspended',
    result: null,
    initiatorName: '王督查',
    createdAt: '2026-03-01T01:00:00Z',
    updatedAt: '2026-03-01T01:00:00Z',
    finishedAt: null,
  },
  data: { title: '决策部署分解' },
  incident: null,
  openTasks: [task({ id: 't9', activityName: '落实', unitName: '济南市司法局', assigneeName: '待签收' })],
  parentInstanceId: 'p1',
  children: [
    {
      id: 'c1',
      title: '济南的任务',
      number: null,
      definitionId: 'child',
      definitionName: '任务',
      definitionVersion: 1,
      status: 'completed',
      result: '办结',
      initiatorName: null,
      createdAt: '',
      updatedAt: '',
      finishedAt: null,
    },
  ],
  form: {
    id: 'f',
    name: '决策登记',
    fields: [
      { key: 'title', label: '决策事项', type: 'text' },
      { key: 'secret', label: '内部意见', type: 'textarea' },
    ],
  },
  permissions: { title: 'readOnly', secret: 'hidden' },
  activeActivityIds: ['split'],
  doneActivityIds: ['start'],
  timeline: [
    {
      id: 1,
      kind: 'instanceStarted',
      at: '2026-03-01T01:00:00Z',
      activityId: null,
      activityName: null,
      round: 1,
      actorId: 'u',
      actorName: '王督查',
      taskId: null,
      outcome: null,
      comment: null,
      data: null,
    },
  ],
} as unknown as InstanceDetail;

describe('事项详情', () => {
  it('shows the visible fields, where the item is and who holds it, children, the parent and the timeline', async () => {
    resetDirectory();
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/instances/i1': { body: detail },
      'GET /api/definitions/split': { status: 404, body: { status: 404, detail: '流程「split」不存在' } },
    });
    renderApp('/items/i1');
    const header = await screen.findByTestId('item-header');
    expect(header).toHaveTextContent('督决〔2026〕3号');
    expect(within(header).getByTestId('item-status')).toHaveTextContent('办理中');
    expect(within(header).getByRole('link', { name: '查看上级事项' })).toHaveAttribute('href', '/items/p1');

    const current = screen.getByTestId('item-current');
    expect(current).toHaveTextContent('落实');
    expect(current).toHaveTextContent('济南市司法局 · 待签收');
    expect(within(current).getByRole('link', { name: '打开' })).toHaveAttribute('href', '/tasks/t9');

    expect(screen.getByText('决策事项')).toBeInTheDocument();
    expect(screen.queryByText('内部意见')).not.toBeInTheDocument();

    const children = screen.getByTestId('item-children');
    expect(within(children).getByRole('link', { name: '济南的任务' })).toHaveAttribute('href', '/items/c1');
    expect(children).toHaveTextContent('已办结');

    expect(screen.getByTestId('item-timeline')).toHaveTextContent('发起事项');
    // The flowchart says why it is missing instead of failing the page.
    expect(await screen.findByText(/流程图加载失败/)).toBeInTheDocument();
  });

  it('says so when the item does not exist or is not visible', async () => {
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/instances/i1': { status: 404, body: { status: 404, detail: '事项不存在' } },
    });
    renderApp('/items/i1');
    expect(await screen.findByText('事项不存在')).toBeInTheDocument();
  });
});
