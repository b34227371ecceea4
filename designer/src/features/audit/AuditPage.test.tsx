import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import dayjs from 'dayjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { calledUrls, mockFetch } from '../../test/fetchMock';
import { preloadPages, renderApp } from '../../test/renderApp';
import { auditQuery } from './AuditPage';

beforeAll(preloadPages, 60000);

const auditor = {
  id: 'u-audit',
  userName: 'shenji',
  displayName: '审计员甲',
  unitId: 'bgs',
  unitName: '厅办公室（督查室）',
  roles: ['审计员'],
  permissions: ['readAuditLog'],
  outsideBusiness: true,
};

const row = {
  id: 7,
  at: '2026-12-07T02:00:00Z',
  userName: 'admin',
  address: '10.0.0.8',
  action: 'user-reset-password',
  actionName: '重置密码',
  subject: 'u1',
  description: '重置密码：密码至少 10 位',
  result: '失败',
  sequence: 7,
};

describe('安全审计', () => {
  it('the query counts the end date whole and leaves out what is not chosen', () => {
    const q = auditQuery({ range: [dayjs('2026-12-01'), dayjs('2026-12-07')], user: ' admin ', result: '失败' }, 2);
    expect(q.from).toBe(dayjs('2026-12-01').startOf('day').toISOString());
    expect(q.to).toBe(dayjs('2026-12-08').startOf('day').toISOString());
    expect(q).toMatchObject({ user: 'admin', result: '失败', action: undefined, page: 2 });
  });

  it('lists the log and says when the chain is broken', async () => {
    const fetchFn = mockFetch({
      'GET /api/auth/me': { body: auditor },
      'GET /api/auth/password-policy': {
        body: { minLength: 10, requiredClasses: 3, history: 5, expiryDays: 0, description: '', passwordExpired: false },
      },
      'GET /api/audit': { body: { items: [row], total: 1, page: 1, pageSize: 20 } },
      'GET /api/audit/actions': { body: [{ action: 'user-reset-password', name: '重置密码' }] },
      'GET /api/audit/verify': {
        body: {
          intact: false,
          sealed: 6,
          unsealed: 0,
          headHash: 'abc',
          brokenAt: 7,
          reason: '第 7 条（编号 7）的内容或前序摘要与链不符',
        },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/audit');

    expect(await screen.findByText('重置密码：密码至少 10 位')).toBeInTheDocument();
    expect(screen.getByText('10.0.0.8')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /校验完整性/ }));
    const alert = await screen.findByTestId('audit-verification');
    expect(within(alert).getByText(/日志被改动：第 7 条/)).toBeInTheDocument();
    await waitFor(() => expect(calledUrls(fetchFn, '/api/audit/verify')).toHaveLength(1));
  });
});
