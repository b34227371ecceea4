import { StyleProvider } from '@ant-design/cssinjs';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../../app/AppProviders';
import { calledUrls, mockFetch } from '../../test/fetchMock';
import { WithdrawItem } from './WithdrawItem';

function show(onWithdrawn = vi.fn()) {
  render(
    <StyleProvider mock="server">
      <AppProviders motion={false}>
        <WithdrawItem instanceId="i1" status="suspended" onWithdrawn={onWithdrawn} />
      </AppProviders>
    </StyleProvider>,
  );
  return onWithdrawn;
}

describe('撤回事项', () => {
  it('is not offered when the server says the initiator may not withdraw', async () => {
    const fetch = mockFetch({ 'GET /api/instances/i1/withdrawable': { body: { canWithdraw: false } } });
    show();
    await waitFor(() => expect(calledUrls(fetch, '/api/instances/i1/withdrawable')).toHaveLength(1));
    expect(screen.queryByRole('button', { name: '撤回事项' })).not.toBeInTheDocument();
  });

  it('asks for a reason and withdraws the item with it', async () => {
    let sent: unknown = null;
    mockFetch({
      'GET /api/instances/i1/withdrawable': { body: { canWithdraw: true } },
      'POST /api/instances/i1/withdraw': (_url, init) => {
        sent = JSON.parse(String(init?.body));
        return { status: 204 };
      },
    });
    const onWithdrawn = show();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '撤回事项' }));
    await user.click(screen.getByRole('button', { name: '撤回' }));
    expect(await screen.findByText('请填写撤回理由')).toBeInTheDocument();
    expect(sent).toBeNull();

    await user.type(screen.getByLabelText('撤回理由'), '登记重复');
    await user.click(screen.getByRole('button', { name: '撤回' }));
    await waitFor(() => expect(onWithdrawn).toHaveBeenCalled());
    expect(sent).toEqual({ reason: '登记重复' });
  });
});
