import { StyleProvider } from '@ant-design/cssinjs';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../../app/AppProviders';
import { mockFetch } from '../../test/fetchMock';
import { RolesPanel } from './RolesPanel';

const catalog = [
  { key: 'seeAllItems', name: '查看全部事项', description: '阅读本组织的全部事项', administrative: false },
  { key: 'supervise', name: '督查督办', description: '催办、指定专人', administrative: false },
  { key: 'manageRolesAndSecurity', name: '角色权限与安全策略', description: '定义角色', administrative: true },
];

const roles = (canChange: boolean) => ({
  status: 200,
  body: {
    canChange,
    permissions: catalog,
    roles: [
      {
        name: '督查员',
        description: null,
        permissions: ['seeAllItems', 'supervise'],
        builtIn: true,
        version: 0,
        holders: 1,
      },
      {
        name: '特约督查员',
        description: '人大代表、政协委员',
        permissions: ['seeAllItems'],
        builtIn: false,
        version: 3,
        holders: 2,
      },
    ],
  },
});

function renderPanel() {
  render(
    <StyleProvider mock="server">
      <AppProviders motion={false}>
        <RolesPanel onChanged={vi.fn(async () => undefined)} />
      </AppProviders>
    </StyleProvider>,
  );
}

describe('角色与权限', () => {
  it('lists built-in and own roles with their permissions, and creates a role with the permissions ticked', async () => {
    const fetchFn = mockFetch({
      'GET /api/role-definitions': roles(true),
      'POST /api/role-definitions': {
        status: 201,
        body: {
          name: '督查联络员',
          description: null,
          permissions: ['supervise'],
          builtIn: false,
          version: 1,
          holders: 0,
        },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderPanel();

    const row = (await screen.findByText('特约督查员')).closest('tr')!;
    expect(within(row).getByText('自定义')).toBeInTheDocument();
    expect(within(row).getByText('查看全部事项')).toBeInTheDocument();
    expect(within(row).getByText('2 人')).toBeInTheDocument();
    // A built-in role cannot be removed; the organization's own can.
    expect(within(screen.getByText('督查员').closest('tr')!).queryByRole('button', { name: '删除' })).toBeNull();
    expect(within(row).getByRole('button', { name: '删除' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /新建角色/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('角色名称'), '督查联络员');
    await user.click(within(dialog).getByRole('checkbox', { name: /督查督办/ }));
    await user.click(within(dialog).getByRole('button', { name: '保存' }));

    await waitFor(() =>
      expect(
        fetchFn.mock.calls.some(([url, init]) => String(url) === '/api/role-definitions' && init?.method === 'POST'),
      ).toBe(true),
    );
    const [, init] = fetchFn.mock.calls.find(
      ([url, i]) => String(url) === '/api/role-definitions' && i?.method === 'POST',
    )!;
    expect(JSON.parse(String(init?.body))).toEqual({ name: '督查联络员', description: '', permissions: ['supervise'] });
  });

  it('shows an administrator without the security permission the roles, and no way to change them', async () => {
    mockFetch({ 'GET /api/role-definitions': roles(false) });
    renderPanel();
    expect(await screen.findByText('特约督查员')).toBeInTheDocument();
    expect(screen.getByText('角色和权限由安全管理员维护。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /新建角色/ })).toBeNull();
    expect(screen.queryByRole('button', { name: '编辑权限' })).toBeNull();
  });
});
