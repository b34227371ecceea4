import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { calledUrls, mockFetch } from '../../test/fetchMock';
import { definitions, liaisonUser, page } from '../../test/fixtures';
import { preloadPages, renderApp } from '../../test/renderApp';
import { when } from './notificationsApi';

beforeAll(preloadPages, 60000);

const notification = {
  id: 'n1',
  kind: 'task',
  kindLabel: '新待办',
  title: '新待办：承办',
  body: '「推进行政复议体制改革」，办理时限 2026-03-09',
  instanceId: 'i1',
  taskId: 't1',
  link: '/tasks/t1',
  createdAt: new Date().toISOString(),
  readAt: null,
  settled: false,
};

describe('通知铃铛', () => {
  it('reads times as a person would', () => {
    const now = new Date('2026-03-02T10:00:00+08:00');
    expect(when('2026-03-02T09:59:40+08:00', now)).toBe('刚刚');
    expect(when('2026-03-02T09:55:00+08:00', now)).toBe('5 分钟前');
    expect(when('2026-03-02T07:00:00+08:00', now)).toBe('3 小时前');
  });

  it('shows the unread count, lists the notification and opens its task, marking it read', async () => {
    let unread = 1;
    const fetchFn = mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/tasks': { body: page([]) },
      'GET /api/definitions': { body: definitions },
      'GET /api/notifications/unread-count': () => ({ body: { count: unread } }),
      'GET /api/notifications': () => ({
        body: {
          items: [{ ...notification, readAt: unread ? null : notification.createdAt }],
          total: 1,
          page: 1,
          pageSize: 20,
        },
      }),
      'POST /api/notifications/n1/read': () => {
        unread = 0;
        return { body: { read: 1 } };
      },
    });
    const user = userEvent.setup();
    const { router } = renderApp('/');

    const bell = await screen.findByRole('button', { name: '通知（1 条未读）' });
    expect(within(screen.getByTestId('notification-badge')).getByText('1')).toBeInTheDocument();

    await user.click(bell);
    const item = await screen.findByRole('link', { name: '未读 新待办：承办' });
    expect(item).toHaveTextContent('推进行政复议体制改革');
    await user.click(item);

    await waitFor(() => expect(router.state.location.pathname).toBe('/tasks/t1'));
    await waitFor(() => expect(calledUrls(fetchFn, '/api/notifications/n1/read')).toHaveLength(1));
    // The count is asked again once the notification was read: the badge goes.
    expect(await screen.findByRole('button', { name: '通知' })).toBeInTheDocument();
  });

  it('shows no badge when the count cannot be had', async () => {
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/tasks': { body: page([]) },
      'GET /api/definitions': { body: definitions },
    });
    renderApp('/');
    expect(await screen.findByRole('button', { name: '通知' })).toBeInTheDocument();
    expect(within(screen.getByTestId('notification-badge')).queryByText(/\d/)).not.toBeInTheDocument();
  });
});
