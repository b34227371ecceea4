import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CurrentUser, InstanceDetail } from '../../api/types';
import { resetDirectory } from '../../shared/forms/directory';
import { mockFetch } from '../../test/fetchMock';
import { task } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import type { ExtensionView } from './supervisionApi';

beforeAll(async () => {
  await Promise.all([import('../item/ItemPage'), import('../../shared/forms/FormRenderer')]);
}, 60000);

const supervisor: CurrentUser = {
  id: 'u2',
  userName: 'ducha',
  displayName: '王督查',
  unitId: 'bgs',
  unitName: '督查室',
  roles: ['督查员'],
  permissions: ['seeAllItems', 'supervise', 'score'],
  outsideBusiness: false,
};

function detail(dueAt: string, light: string): InstanceDetail {
  return {
    instance: {
      id: 'i1',
      title: '消防通道整改',
      number: '督改〔2026〕1号',
      definitionId: 'rect',
      definitionName: '督查整改建议书',
      definitionVersion: 1,
      status: 'suspended',
      result: null,
      initiatorName: '王督查',
      createdAt: '2026-03-01T01:00:00Z',
      updatedAt: '2026-03-01T01:00:00Z',
      finishedAt: null,
      dueAt,
      light,
    },
    data: {},
    incident: null,
    openTasks: [task({ unitName: '法制处', dueAt, light: light as 'green' })],
    parentInstanceId: null,
    children: [],
    form: null,
    permissions: {},
    activeActivityIds: [],
    doneActivityIds: [],
    timeline: [],
    reads: {
      total: 1,
      read: 0,
      unread: 1,
      circulations: [
        {
          activityId: 'c',
          activityName: '整改即将到期提醒',
          round: 1,
          sentAt: '2026-03-02T01:00:00Z',
          message: null,
          total: 1,
          read: 0,
          recipients: [
            {
              taskId: 'n1',
              unitId: 'fzc',
              unitName: '法制处',
              userId: null,
              userName: null,
              role: null,
              status: 'unread',
              readAt: null,
              readById: null,
              readByName: null,
              comment: null,
            },
          ],
        },
      ],
    },
  } as unknown as InstanceDetail;
}

const pending: ExtensionView = {
  id: 'e1',
  instanceId: 'i1',
  itemTitle: '消防通道整改',
  itemNumber: null,
  unitId: 'fzc',
  unitName: '法制处',
  requestedById: 'u1',
  requestedByName: '张联络',
  requestedAt: '2026-03-02T01:00:00Z',
  reason: '需协调',
  currentDueAt: '2026-03-03T15:59:59Z',
  requestedDueAt: '2026-04-03T15:59:59Z',
  status: 'pending',
  stages: [{ index: 0, stage: 'office', name: '督查部门审核' }],
  stage: 0,
  stageName: '督查部门审核',
  decisions: [],
  decidedAt: null,
  late: false,
  approvalTaskId: 't9',
  canDecide: true,
};

describe('事项页的督办面板', () => {
  it('after the office approves, the item reloads: the new due date and a green light', async () => {
    resetDirectory();
    let approved = false;
    mockFetch({
      'GET /api/auth/me': { body: supervisor },
      'GET /api/instances/i1': () => ({
        body: approved ? detail('2026-04-03T15:59:59Z', 'green') : detail('2026-03-03T15:59:59Z', 'yellow'),
      }),
      'GET /api/instances/i1/extensions': () => ({
        body: {
          eligibility: {
            unitId: 'bgs',
            unitName: '督查室',
            deadline: null,
            canRequest: false,
            reason: '只有承办单位可以申请延期',
            late: false,
            pending: false,
          },
          requests: [approved ? { ...pending, status: 'approved', canDecide: false, stageName: null } : pending],
        },
      }),
      'GET /api/instances/i1/chases': { body: { ladder: [], chases: [], canRaise: false } },
      'POST /api/extensions/e1/decide': () => {
        approved = true;
        return { body: { ...pending, status: 'approved', canDecide: false } };
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/items/i1');
    const deadline = await screen.findByTestId('item-deadline');
    expect(deadline).toHaveTextContent('办理时限2026-03-03 23:59临期');
    expect(within(deadline).getByText('临期').closest('[data-light]')).toHaveAttribute('data-light', 'yellow');
    expect(screen.getByTestId('reads-panel')).toHaveTextContent('已阅 0 / 1');
    // Nothing chased and nothing to raise: no 催办 panel.
    expect(screen.queryByTestId('chase-panel')).not.toBeInTheDocument();

    const panel = await screen.findByTestId('extension-panel');
    await user.click(within(panel).getByRole('button', { name: '批准' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: '批准' }));

    expect(await screen.findByText('2026-04-03 23:59')).toBeInTheDocument();
    expect(screen.getByTestId('item-deadline').querySelector('[data-light]')).toHaveAttribute('data-light', 'green');
    expect(await within(screen.getByTestId('extension-panel')).findByText('已同意')).toBeInTheDocument();
  });
});
