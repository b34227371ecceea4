import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDirectory } from '../../shared/forms/directory';
import { mockFetch } from '../../test/fetchMock';
import { liaisonUser } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { periodText } from './DeputiesPage';

beforeAll(async () => {
  await import('./DeputiesPage');
}, 60000);

const users = [
  { id: liaisonUser.id, displayName: liaisonUser.displayName, unitId: null },
  { id: 'u-zhao', displayName: '赵处长', unitId: null },
];

const row = {
  id: 'd1',
  userId: liaisonUser.id,
  userName: liaisonUser.displayName,
  deputyUserId: 'u-zhao',
  deputyName: '赵处长',
  startsOn: '2026-03-01',
  endsOn: '2026-03-07',
  reason: '休假',
  active: true,
};

describe('我的代理', () => {
  it('reads a period as a person would', () => {
    expect(periodText({ startsOn: '2026-03-01', endsOn: '2026-03-07' })).toBe('2026-03-01 至 2026-03-07');
    expect(periodText({ startsOn: '2026-03-01', endsOn: '2026-03-01' })).toBe('2026-03-01');
  });

  it('lists the deputies, reached from the header, and removes one', async () => {
    resetDirectory();
    let deleted = '';
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/units': { body: [] },
      'GET /api/users': { body: users },
      'GET /api/deputies': { body: deleted ? [] : [row] },
      'DELETE /api/deputies/d1': (url) => {
        deleted = url.pathname;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    renderApp('/');
    await user.click(await screen.findByRole('button', { name: '我的代理' }));
    const table = await screen.findByTestId('deputies-table');
    expect(await within(table).findByText('赵处长')).toBeInTheDocument();
    expect(table).toHaveTextContent('2026-03-01 至 2026-03-07');
    expect(table).toHaveTextContent('代理中');

    await user.click(within(table).getByRole('button', { name: '取消代理' }));
    const popover = (await screen.findByText('取消这项代理？')).closest('.ant-popover') as HTMLElement;
    await user.click(within(popover).getByRole('button', { name: '取消代理' }));
    await waitFor(() => expect(deleted).toBe('/api/deputies/d1'));
  });

  it('adds a deputy picked by name and says what the server refuses', async () => {
    resetDirectory();
    let sent: Record<string, unknown> | null = null;
    mockFetch({
      'GET /api/auth/me': { body: liaisonUser },
      'GET /api/units': { body: [] },
      'GET /api/users': { body: users },
      'GET /api/deputies': { body: [] },
      'POST /api/deputies': (_url, init) => {
        sent = JSON.parse(String(init?.body)) as Record<string, unknown>;
        return {
          status: 400,
          body: { status: 400, title: '请选择开始日期', errors: { startsOn: ['请选择开始日期'] } },
        };
      },
    });
    const user = userEvent.setup();
    renderApp('/deputies');
    expect(await screen.findByText('暂无代理设置')).toBeInTheDocument();
    // Only an administrator picks whose deputy it is.
    expect(screen.queryByRole('combobox', { name: '被代理人' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('combobox', { name: '代理人' }));
    await user.click(await screen.findByTitle('赵处长'));
    await user.click(screen.getByRole('button', { name: '添加' }));
    await waitFor(() => expect(sent).not.toBeNull());
    expect(sent).toMatchObject({ userId: liaisonUser.id, deputyUserId: 'u-zhao', startsOn: null });
    expect(await screen.findByText(/请选择开始日期/)).toBeInTheDocument();
  });
});
