import { StyleProvider } from '@ant-design/cssinjs';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../../app/AppProviders';
import { mockFetch, type MockResponseInit } from '../../test/fetchMock';
import type { Unit } from './orgApi';
import { UnitsPanel } from './UnitsPanel';

const fzc: Unit = {
  id: 'fzc',
  name: '法制处',
  parentId: null,
  sortOrder: 1,
  leaderUserId: null,
  supervisorUserId: null,
  kind: '承办单位',
  isActive: true,
  version: 3,
};

describe('单位', () => {
  it('shows the save pending, then a 409 as a conflict to reload', async () => {
    let answer: (response: MockResponseInit) => void = () => {};
    const fetchFn = mockFetch({
      'PUT /api/units/fzc': () => new Promise<MockResponseInit>((resolve) => (answer = resolve)),
    });
    const onChanged = vi.fn(async () => [fzc]);
    const user = userEvent.setup({ delay: null });
    render(
      <StyleProvider mock="server">
        <AppProviders motion={false}>
          <UnitsPanel units={[fzc]} users={[]} onChanged={onChanged} />
        </AppProviders>
      </StyleProvider>,
    );

    await user.click(screen.getByText('法制处'));
    const form = screen.getByRole('region', { name: '单位信息' });
    const name = await within(form).findByLabelText('单位名称');
    await waitFor(() => expect(name).toHaveValue('法制处'));
    await user.clear(name);
    await user.type(name, '法制办');
    const save = within(form).getByRole('button', { name: '保存' });
    await user.click(save);

    await waitFor(() => expect(save).toHaveClass('ant-btn-loading'));
    const [, init] = fetchFn.mock.calls.find(([url]) => String(url) === '/api/units/fzc')!;
    expect(JSON.parse(String(init?.body))).toMatchObject({ name: '法制办', isActive: true, version: 3 });

    answer({ status: 409, body: { title: 'Conflict', status: 409, detail: '该单位已被他人修改，请刷新后重试' } });
    expect(await within(form).findByText('该单位已被他人修改，请刷新后重试')).toBeInTheDocument();
    await waitFor(() => expect(save).not.toHaveClass('ant-btn-loading'));
    expect(onChanged).not.toHaveBeenCalled();

    await user.click(within(form).getByRole('button', { name: '刷新' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(within(form).queryByText('该单位已被他人修改，请刷新后重试')).not.toBeInTheDocument();
  });
});
