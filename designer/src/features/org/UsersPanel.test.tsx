import { StyleProvider } from '@ant-design/cssinjs';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../../app/AppProviders';
import { mockFetch, type MockResponseInit } from '../../test/fetchMock';
import { UsersPanel } from './UsersPanel';

vi.mock('../auth/AuthContext', () => ({
  useCurrentUser: () => ({
    id: 'u-admin',
    userName: 'admin',
    displayName: '管理员',
    unitId: null,
    unitName: null,
    roles: ['管理员', '安全管理员'],
    permissions: ['manageUnitsAndPeople', 'manageRolesAndSecurity'],
    outsideBusiness: false,
  }),
}));

describe('人员', () => {
  it('shows the save pending, then puts the server’s field error beside the field', async () => {
    let answer: (response: MockResponseInit) => void = () => {};
    const fetchFn = mockFetch({
      'POST /api/users': () => new Promise<MockResponseInit>((resolve) => (answer = resolve)),
    });
    const onChanged = vi.fn(async () => []);
    const user = userEvent.setup({ delay: null });
    render(
      <StyleProvider mock="server">
        <AppProviders motion={false}>
          <UsersPanel users={[]} units={[]} onChanged={onChanged} />
        </AppProviders>
      </StyleProvider>,
    );

    await user.click(screen.getByRole('button', { name: /新增人员/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('用户名'), ' lisi ');
    await user.type(within(dialog).getByLabelText('姓名'), '李四');
    await user.type(within(dialog).getByLabelText('初始密码'), 'short');
    const ok = within(dialog).getByRole('button', { name: '新增' });
    await user.click(ok);

    await waitFor(() => expect(ok).toHaveClass('ant-btn-loading'));
    const [, init] = fetchFn.mock.calls.find(([url]) => String(url) === '/api/users')!;
    expect(JSON.parse(String(init?.body))).toEqual({
      userName: 'lisi',
      displayName: '李四',
      unitId: null,
      roles: ['承办单位联络员'],
      password: 'short',
    });

    answer({
      status: 400,
      body: {
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { Password: ['密码至少 8 位，含数字、大写和小写字母'] },
      },
    });
    expect(await within(dialog).findByText('密码至少 8 位，含数字、大写和小写字母')).toBeInTheDocument();
    await waitFor(() => expect(ok).not.toHaveClass('ant-btn-loading'));
    // Every message found its field: no alert above the form.
    expect(dialog.querySelector('.org-form-alert')).toBeNull();
    expect(onChanged).not.toHaveBeenCalled();
  });
});
