import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../api/types';
import { mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';
import type { IncomingReferral } from './referralsApi';

const office: CurrentUser = {
  id: 'u-ducha',
  userName: 'ducha',
  displayName: '督查员',
  unitId: 'dcs',
  unitName: '督查室',
  roles: ['督查员'],
  permissions: ['supervise', 'seeAllItems'],
  outsideBusiness: false,
};

function referral(overrides: Partial<IncomingReferral>): IncomingReferral {
  return {
    id: 'r1',
    superiorOrganizationName: '省政府办公厅',
    title: '全省复议案件清理',
    requirements: '请于月底前报送落实情况',
    dueAt: '2026-12-31T00:00:00+08:00',
    createdAt: '2026-12-01T09:00:00+08:00',
    createdByName: '钱督查',
    status: 'assigned',
    itemId: null,
    itemStatus: null,
    reportText: null,
    reportedAt: null,
    reportFiles: [],
    passedFiles: [],
    withdrawnAt: null,
    withdrawnReason: null,
    ...overrides,
  };
}

describe('上级交办', () => {
  it('lists the superior’s notice and starts it on the start page', async () => {
    mockFetch({
      'GET /api/auth/me': { body: office },
      'GET /api/referrals/incoming': {
        body: [referral({ passedFiles: [{ id: 'p1', name: '交办函.pdf', size: 10 }] })],
      },
    });
    const { router } = renderApp('/referrals');
    const row = (await screen.findByText('全省复议案件清理')).closest('tr')!;
    // Every column has its content: the first is the superior organization (no empty expander column).
    expect(row.querySelector('td')).toHaveTextContent('省政府办公厅');
    expect(within(row).getByRole('link', { name: '交办函.pdf' })).toHaveAttribute(
      'href',
      '/api/referrals/r1/passed-files/p1',
    );
    expect(row).toHaveTextContent('请于月底前报送落实情况');
    expect(row).toHaveTextContent('待启动');
    await userEvent.setup().click(within(row).getByRole('button', { name: '启动办理' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/start'));
    expect(router.state.location.search).toBe('?referral=r1');
  });

  it('sends the report with the files the office ticks once its own item has closed', async () => {
    let sent: unknown = null;
    mockFetch({
      'GET /api/auth/me': { body: office },
      'GET /api/referrals/incoming': {
        body: [referral({ status: 'started', itemId: 'i7', itemStatus: 'completed' })],
      },
      'GET /api/referrals/r1/files': {
        body: [
          { id: 'f1', name: '佐证材料.pdf', size: 10 },
          { id: 'f2', name: '内部底稿.docx', size: 10 },
        ],
      },
      'POST /api/referrals/r1/report': (_url, init) => {
        sent = JSON.parse(String(init?.body));
        return { body: referral({ status: 'reported' }) };
      },
    });
    renderApp('/referrals');
    const user = userEvent.setup();
    const row = (await screen.findByText('全省复议案件清理')).closest('tr')!;
    expect(within(row).getByRole('link', { name: '本单位事项' })).toHaveAttribute('href', '/items/i7');
    await user.click(within(row).getByRole('button', { name: '上报办结报告' }));
    await user.type(await screen.findByLabelText('办结报告'), '已完成清理');
    await user.click(await screen.findByRole('checkbox', { name: '佐证材料.pdf' }));
    await user.click(screen.getByRole('button', { name: '上报' }));
    await waitFor(() => expect(sent).toEqual({ text: '已完成清理', fileIds: ['f1'] }));
  });

  it('shows a withdrawn 交办 with the superior’s reason and offers nothing to do', async () => {
    mockFetch({
      'GET /api/auth/me': { body: office },
      'GET /api/referrals/incoming': {
        body: [
          referral({
            status: 'withdrawn',
            withdrawnReason: '省府已另行部署',
            withdrawnAt: '2026-12-02T09:00:00+08:00',
          }),
        ],
      },
    });
    renderApp('/referrals');
    const row = (await screen.findByText('全省复议案件清理')).closest('tr')!;
    expect(row).toHaveTextContent('上级已撤回');
    expect(row).toHaveTextContent('撤回原因：省府已另行部署');
    expect(within(row).queryByRole('button')).toBeNull();
  });
});
