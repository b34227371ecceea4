import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../../test/fetchMock';
import { ExtensionPanel, TaskExtensionShortcut } from './ExtensionPanel';
import { renderWithApp } from './testUtils';
import type { ExtensionView, ItemExtensions } from './supervisionApi';

const due = '2026-03-03T15:59:59Z';

function request(overrides: Partial<ExtensionView> = {}): ExtensionView {
  return {
    id: 'e1',
    instanceId: 'i1',
    itemTitle: '整改',
    itemNumber: null,
    unitId: 'fzc',
    unitName: '法制处',
    requestedById: 'u1',
    requestedByName: '张联络',
    requestedAt: '2026-03-01T01:00:00Z',
    reason: '需协调后勤清运',
    currentDueAt: due,
    requestedDueAt: '2026-04-03T15:59:59Z',
    status: 'pending',
    stages: [{ index: 0, stage: 'office', name: '督查部门审核' }],
    stage: 0,
    stageName: '督查部门审核',
    decisions: [],
    decidedAt: null,
    late: false,
    approvalTaskId: 't9',
    canDecide: false,
    ...overrides,
  };
}

const mayAsk: ItemExtensions = {
  eligibility: {
    unitId: 'fzc',
    unitName: '法制处',
    deadline: due,
    canRequest: true,
    reason: null,
    late: false,
    pending: false,
  },
  requests: [],
};

function renderPanel(onChanged = vi.fn()) {
  renderWithApp(<ExtensionPanel instanceId="i1" onChanged={onChanged} />);
  return onChanged;
}

async function pickDate(user: ReturnType<typeof userEvent.setup>, date: string) {
  const input = screen.getByLabelText('新的完成时限');
  await user.click(input);
  await user.type(input, `${date}{Enter}`);
}

describe('延期申请', () => {
  it('a unit asks with a reason and a new date; missing fields are named beside them', async () => {
    const fetchFn = mockFetch({
      'GET /api/instances/i1/extensions': { body: mayAsk },
      'POST /api/instances/i1/extensions': { status: 201, body: request() },
    });
    const onChanged = renderPanel();
    const user = userEvent.setup({ delay: null });
    const panel = await screen.findByTestId('extension-panel');
    expect(panel).toHaveTextContent('法制处的办理时限：2026年3月3日');
    expect(panel).toHaveTextContent('暂无延期申请记录');
    await user.click(within(panel).getByRole('button', { name: '申请延期' }));

    await user.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByText('请选择新的完成时限')).toBeInTheDocument();
    expect(screen.getByText('请填写延期理由')).toBeInTheDocument();
    expect(fetchFn.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);

    await pickDate(user, '2026-04-03');
    await user.type(screen.getByLabelText('延期理由'), '需协调后勤清运');
    await user.click(screen.getByRole('button', { name: '提交申请' }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    const post = fetchFn.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(String(post[1]?.body))).toEqual({ reason: '需协调后勤清运', newDueDate: '2026-04-03' });
  });

  it('shows the server’s refusal beside the date and a conflict above the form', async () => {
    let answer = 0;
    mockFetch({
      'GET /api/instances/i1/extensions': { body: mayAsk },
      'POST /api/instances/i1/extensions': () =>
        ++answer === 1
          ? {
              status: 400,
              body: { title: '延期申请填写有误', status: 400, errors: { newDueDate: ['一次延期不能超过 366 天'] } },
            }
          : { status: 409, body: { status: 409, detail: '你单位已有待审批的延期申请' } },
    });
    renderPanel();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: '申请延期' }));
    await pickDate(user, '2028-04-03');
    await user.type(screen.getByLabelText('延期理由'), '理由');
    await user.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByText('一次延期不能超过 366 天')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '提交申请' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('你单位已有待审批的延期申请');
  });

  it('after the deadline the refusal is shown instead of the button', async () => {
    mockFetch({
      'GET /api/instances/i1/extensions': {
        body: {
          eligibility: {
            ...mayAsk.eligibility,
            canRequest: false,
            late: true,
            reason: '已超过办理时限（2026年3月3日），不能再申请延期；确需延期请联系督查部门',
          },
          requests: [],
        },
      },
    });
    renderPanel();
    expect(await screen.findByTestId('extension-refusal')).toHaveTextContent('不能再申请延期');
    expect(screen.queryByRole('button', { name: '申请延期' })).not.toBeInTheDocument();
  });

  it('the office approves or rejects (an opinion is required to reject); the history keeps every decision', async () => {
    const decided = request({
      status: 'approved',
      canDecide: false,
      decidedAt: '2026-03-02T02:00:00Z',
      decisions: [
        {
          stage: 0,
          stageName: '督查部门审核',
          approved: true,
          byId: 'u2',
          byName: '王督查',
          at: '2026-03-02T02:00:00Z',
          opinion: '同意',
        },
      ],
    });
    const fetchFn = mockFetch({
      'GET /api/instances/i1/extensions': {
        body: {
          eligibility: {
            ...mayAsk.eligibility,
            unitId: 'bgs',
            canRequest: false,
            deadline: null,
            reason: '只有承办单位可以申请延期',
          },
          requests: [request({ canDecide: true })],
        },
      },
      'POST /api/extensions/e1/decide': { body: decided },
    });
    const onChanged = renderPanel();
    const user = userEvent.setup({ delay: null });
    const panel = await screen.findByTestId('extension-panel');
    expect(panel).toHaveTextContent('1 条待审批');
    const item = within(panel).getByTestId('extension-item');
    expect(item).toHaveTextContent('待审批');
    expect(item).toHaveTextContent('2026年3月3日 → 2026年4月3日');
    expect(item).toHaveTextContent('法制处 · 张联络');
    expect(screen.queryByTestId('extension-refusal')).not.toBeInTheDocument();

    await user.click(within(item).getByRole('button', { name: '驳回' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '驳回' }));
    expect(await within(dialog).findByText('不同意延期时请填写意见')).toBeInTheDocument();
    expect(fetchFn.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: '取消' }));

    await user.click(within(item).getByRole('button', { name: '批准' }));
    const approve = await screen.findByTestId('extension-decision');
    expect(approve).toHaveTextContent('延至 2026年4月3日');
    await user.type(screen.getByLabelText('审批意见（可选）'), '同意');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: '批准' }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    const post = fetchFn.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(String(post[1]?.body))).toEqual({ approve: true, opinion: '同意' });
  });

  it('shows decisions with who, when and the opinion', async () => {
    mockFetch({
      'GET /api/instances/i1/extensions': {
        body: {
          eligibility: { ...mayAsk.eligibility, canRequest: true },
          requests: [
            request({
              status: 'rejected',
              stageName: null,
              decisions: [
                {
                  stage: 0,
                  stageName: '督查部门审核',
                  approved: false,
                  byId: 'u2',
                  byName: '王督查',
                  at: '2026-03-02T02:00:00Z',
                  opinion: '理由不充分',
                },
              ],
            }),
          ],
        },
      },
    });
    renderPanel();
    const item = await screen.findByTestId('extension-item');
    expect(item).toHaveAttribute('data-status', 'rejected');
    expect(item).toHaveTextContent('不同意');
    expect(item).toHaveTextContent('督查部门审核 · 王督查');
    expect(item).toHaveTextContent('意见：理由不充分');
    expect(within(item).queryByRole('button')).not.toBeInTheDocument();
  });

  it('flags a new date on a rest day to the approver', async () => {
    const warning = '新的完成时限2026年3月21日（周六）是休息日，下一个工作日是2026年3月23日（周一）';
    mockFetch({
      'GET /api/instances/i1/extensions': {
        body: { eligibility: mayAsk.eligibility, requests: [request({ canDecide: true, warning })] },
      },
    });
    renderPanel();
    const item = await screen.findByTestId('extension-item');
    expect(within(item).getByText('延至休息日')).toHaveAttribute('title', warning);
  });

  it('shows nothing to someone with nothing to ask or decide', async () => {
    const fetchFn = mockFetch({
      'GET /api/instances/i1/extensions': {
        body: {
          eligibility: {
            ...mayAsk.eligibility,
            canRequest: false,
            deadline: null,
            reason: '你单位在该事项中没有在办的环节，无需申请延期',
          },
          requests: [],
        },
      },
    });
    const { container } = renderWithApp(<ExtensionPanel instanceId="i1" />);
    await vi.waitFor(() => expect(fetchFn).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    expect(container.textContent).toBe('');
    expect(screen.queryByTestId('extension-panel')).not.toBeInTheDocument();
  });
});

describe('待办页的申请延期', () => {
  const liaison = {
    id: 'u1',
    userName: 'fazhi',
    displayName: '张联络',
    unitId: 'fzc',
    unitName: '法制处',
    roles: ['承办单位联络员'],
    permissions: ['handleUnitTasks'],
    outsideBusiness: false,
  };
  const openTask = { instanceId: 'i1', kind: 'task' as const, status: 'open' as const, dueAt: due };

  it('offers the request in a dialog on a step with a deadline', async () => {
    mockFetch({ 'GET /api/instances/i1/extensions': { body: mayAsk } });
    const user = userEvent.setup({ delay: null });
    renderWithApp(<TaskExtensionShortcut task={openTask} user={liaison} />);
    const shortcut = await screen.findByTestId('task-extension');
    expect(shortcut).toHaveTextContent('办理时限 2026年3月3日');
    await user.click(within(shortcut).getByRole('button', { name: '申请延期' }));
    expect(await screen.findByTestId('extension-form')).toBeInTheDocument();
  });

  it('says a request is waiting', async () => {
    mockFetch({
      'GET /api/instances/i1/extensions': {
        body: {
          eligibility: {
            ...mayAsk.eligibility,
            canRequest: false,
            pending: true,
            reason: '你单位已有待审批的延期申请',
          },
          requests: [request()],
        },
      },
    });
    renderWithApp(<TaskExtensionShortcut task={openTask} user={liaison} />);
    expect(await screen.findByTestId('task-extension')).toHaveTextContent(
      '延期申请待审批：申请延至2026年4月3日（督查部门审核）',
    );
  });

  it('asks nothing on a notice, a finished step or a step without a deadline', () => {
    const fetchFn = mockFetch({});
    for (const t of [
      { ...openTask, kind: 'notice' as const },
      { ...openTask, status: 'completed' as const },
      { ...openTask, dueAt: null },
    ]) {
      const { container, unmount } = render(<TaskExtensionShortcut task={t} user={liaison} />);
      expect(container).toBeEmptyDOMElement();
      unmount();
    }
    expect(fetchFn).not.toHaveBeenCalled();
  });
});
