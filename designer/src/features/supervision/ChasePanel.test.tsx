import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CurrentUser, InstanceDetail } from '../../api/types';
import { resetDirectory } from '../../shared/forms/directory';
import type { FormDefinition } from '../../shared/forms/types';
import { mockFetch } from '../../test/fetchMock';
import { task } from '../../test/fixtures';
import { ChasePanel } from './ChasePanel';
import type { ChaseView, ItemChases, LadderRung } from './supervisionApi';
import { renderWithApp } from './testUtils';

const liaison: CurrentUser = {
  id: 'u1',
  userName: 'fazhi',
  displayName: '张联络',
  unitId: 'fzc',
  unitName: '法制处',
  roles: ['承办单位联络员'],
  permissions: ['handleUnitTasks'],
  outsideBusiness: false,
};
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

const phoneForm: FormDefinition = {
  id: 'chase.phoneLog',
  name: '电话催办记录',
  fields: [
    { key: 'calledAt', label: '通话时间', type: 'text', required: true },
    { key: 'personReached', label: '接听人（姓名、职务）', type: 'text', required: true },
    { key: 'summary', label: '通话内容', type: 'textarea', required: true },
  ],
};
const replyForm: FormDefinition = {
  id: 'chase.reply',
  name: '书面回复',
  fields: [
    { key: 'reasons', label: '未按期办结的原因', type: 'textarea', required: true },
    { key: 'measures', label: '下一步措施及完成时间', type: 'textarea', required: true },
  ],
};

const ladder: LadderRung[] = [
  {
    key: 'phone',
    name: '电话催办',
    trigger: { kind: 'overdue', days: 1, calendarDays: false },
    actor: '督查员',
    record: 'phoneLog',
    notice: null,
    scoreEvent: 'phone',
  },
  {
    key: 'written',
    name: '书面督办',
    trigger: { kind: 'overdue', days: 3, calendarDays: false },
    actor: '督查员',
    record: null,
    notice: { title: '督查督办通知单', text: null, replyRequired: true, replyDays: 3 },
    scoreEvent: 'writtenNotice',
  },
];

function chase(overrides: Partial<ChaseView> = {}): ChaseView {
  return {
    id: 'c1',
    instanceId: 'i1',
    unitId: 'fzc',
    unitName: '法制处',
    rungKey: 'phone',
    rungName: '电话催办',
    rungIndex: 0,
    cycle: 1,
    trigger: 'auto',
    scoreEvent: 'phone',
    scoreEventLabel: '电话、口头催办',
    raisedAt: '2026-03-05T01:00:00Z',
    raisedByName: null,
    dueAt: '2026-03-03T15:59:59Z',
    status: 'done',
    actor: '督查员',
    actorUserId: null,
    actorName: null,
    fellDueAt: null,
    recordKind: 'phoneLog',
    recordForm: phoneForm,
    record: { calledAt: '2026-03-05 10:30', personReached: '赵处长', summary: '承诺本周完成' },
    recordedAt: '2026-03-05T02:40:00Z',
    recordedByName: '王督查',
    actionTaskId: 't1',
    noticeTitle: null,
    noticeText: null,
    replyRequired: false,
    replyDueAt: null,
    noticeTaskId: null,
    reply: null,
    repliedAt: null,
    repliedByName: null,
    note: null,
    cancelReason: null,
    ...overrides,
  };
}

const written = chase({
  id: 'c2',
  rungKey: 'written',
  rungName: '书面督办',
  rungIndex: 1,
  trigger: 'manual',
  raisedByName: '王督查',
  status: 'open',
  recordKind: null,
  recordForm: null,
  record: null,
  recordedAt: null,
  recordedByName: null,
  actionTaskId: null,
  scoreEventLabel: '书面督办',
  noticeTitle: '督查督办通知单',
  noticeText: '法制处：你单位承办的督办事项已超过办理时限。',
  replyRequired: true,
  replyDueAt: '2026-03-10T15:59:59Z',
});
const other = chase({ id: 'c3', unitId: 'jinan', unitName: '济南市司法局' });

const item = {
  instance: { id: 'i1', status: 'suspended' },
  openTasks: [task({ unitName: '法制处' })],
} as unknown as InstanceDetail;

function routes(data: ItemChases, extra: Record<string, unknown> = {}) {
  return mockFetch({
    'GET /api/instances/i1/chases': { body: data },
    'GET /api/chasing/ladder': {
      body: {
        organizationId: 'sft',
        isDefault: true,
        rungs: ladder,
        recordForms: { phoneLog: phoneForm, reply: replyForm },
        scoreEvents: [],
        actors: [],
      },
    },
    'GET /api/units': {
      body: [
        { id: 'fzc', name: '法制处', parentId: 'sft' },
        { id: 'jinan', name: '济南市司法局', parentId: 'sft' },
      ],
    },
    'GET /api/users': { body: [] },
    ...(extra as Record<string, never>),
  });
}

beforeEach(() => resetDirectory());

describe('催办', () => {
  it('a liaison sees its own unit’s chases read-only: the phone log, the notice and the reply status', async () => {
    routes({ ladder, chases: [chase(), written, other], canRaise: false, canNameOwner: false });
    renderWithApp(<ChasePanel item={item} user={liaison} />);
    const panel = await screen.findByTestId('chase-panel');
    const items = within(panel).getAllByTestId('chase-item');
    expect(items).toHaveLength(2);
    expect(panel).not.toHaveTextContent('济南市司法局');
    expect(items[0]).toHaveTextContent('电话催办自动已完成');
    expect(within(items[0]).getByTestId('chase-record')).toHaveTextContent('接听人（姓名、职务）赵处长');
    expect(items[0]).toHaveTextContent('计入考核：电话、口头催办');
    expect(items[1]).toHaveTextContent('手动');
    expect(items[1]).toHaveTextContent('《督查督办通知单》');
    expect(items[1]).toHaveTextContent('未回复');
    expect(items[1]).toHaveTextContent('你单位承办的督办事项已超过办理时限');
    expect(within(panel).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows nothing to a liaison whose unit was never chased', async () => {
    const fetchFn = routes({ ladder, chases: [other], canRaise: false, canNameOwner: false });
    renderWithApp(<ChasePanel item={item} user={liaison} />);
    await vi.waitFor(() => expect(fetchFn).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByTestId('chase-panel')).not.toBeInTheDocument();
  });

  it('督查员 raises a phone chase by hand with its log; missing fields are named, server errors land on the fields', async () => {
    let posts = 0;
    const fetchFn = routes(
      { ladder, chases: [], canRaise: true, canNameOwner: false },
      {
        'POST /api/instances/i1/chases': () =>
          ++posts === 1
            ? {
                status: 400,
                body: {
                  title: '电话催办记录填写有误，请检查标出的字段',
                  status: 400,
                  errors: { 'record.calledAt': ['「通话时间」格式不对'] },
                },
              }
            : { status: 201, body: chase({ trigger: 'manual' }) },
      },
    );
    const onChanged = vi.fn();
    const user = userEvent.setup({ delay: null });
    renderWithApp(<ChasePanel item={item} user={supervisor} onChanged={onChanged} />);
    const panel = await screen.findByTestId('chase-panel');
    expect(panel).toHaveTextContent('尚未催办');
    await user.click(within(panel).getByRole('button', { name: '催办' }));
    const dialog = await screen.findByTestId('chase-raise');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: '催办' }));
    expect(await within(dialog).findByText('请选择催办方式')).toBeInTheDocument();

    await user.click(within(dialog).getByLabelText('催办方式'));
    await user.click(await screen.findByTitle('电话催办（逾期 1 个工作日）'));
    // The only unit on the item is chosen already.
    expect(within(dialog).getByTitle('法制处')).toBeInTheDocument();
    expect(dialog).toHaveTextContent('登记电话催办记录');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: '催办' }));
    expect(await within(dialog).findByText('「通话时间」为必填项')).toBeInTheDocument();

    await user.type(within(dialog).getByLabelText('通话时间'), '昨天');
    await user.type(within(dialog).getByLabelText('接听人（姓名、职务）'), '赵处长');
    await user.type(within(dialog).getByLabelText('通话内容'), '承诺本周完成');
    expect(within(dialog).queryByText('「通话时间」为必填项')).not.toBeInTheDocument();
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: '催办' }));
    expect(await within(dialog).findByText('「通话时间」格式不对')).toBeInTheDocument();

    await user.clear(within(dialog).getByLabelText('通话时间'));
    await user.type(within(dialog).getByLabelText('通话时间'), '2026-03-05 10:30');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: '催办' }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    const post = fetchFn.mock.calls.filter(([, init]) => init?.method === 'POST').at(-1)!;
    expect(JSON.parse(String(post[1]?.body))).toEqual({
      unitId: 'fzc',
      rungKey: 'phone',
      note: null,
      record: { calledAt: '2026-03-05 10:30', personReached: '赵处长', summary: '承诺本周完成' },
    });
  });

  it('督查员 records a pending chase and withdraws one with a reason', async () => {
    const pending = chase({ status: 'open', record: null, recordedAt: null, recordedByName: null });
    const fetchFn = routes(
      { ladder, chases: [pending, written], canRaise: true, canNameOwner: false },
      {
        'POST /api/chases/c1/record': { body: chase() },
        'POST /api/chases/c2/cancel': { body: { ...written, status: 'cancelled', cancelReason: '误发' } },
      },
    );
    const onChanged = vi.fn();
    const user = userEvent.setup({ delay: null });
    renderWithApp(<ChasePanel item={item} user={supervisor} onChanged={onChanged} />);
    const items = await screen.findAllByTestId('chase-item');
    expect(items[0]).toHaveTextContent('待登记');
    expect(items[0]).toHaveTextContent('尚未登记');

    await user.click(within(items[0]).getByRole('button', { name: '登记电话催办记录' }));
    const dialog = await screen.findByTestId('chase-record-dialog');
    await user.type(within(dialog).getByLabelText('通话时间'), '2026-03-05 10:30');
    await user.type(within(dialog).getByLabelText('接听人（姓名、职务）'), '赵处长');
    await user.type(within(dialog).getByLabelText('通话内容'), '承诺本周完成');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: '登记' }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));

    await user.click(within(items[1]).getByRole('button', { name: '撤销' }));
    const cancel = await screen.findByRole('dialog', { name: '撤销书面督办（法制处）' });
    await user.click(within(cancel).getByRole('button', { name: '撤销催办' }));
    expect(await within(cancel).findByText('请填写撤销理由')).toBeInTheDocument();
    await user.type(within(cancel).getByLabelText('撤销理由'), '误发');
    await user.click(within(cancel).getByRole('button', { name: '撤销催办' }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledTimes(2));
    const bodies = fetchFn.mock.calls
      .filter(([, init]) => init?.method === 'POST')
      .map(([input, init]) => [String(input), JSON.parse(String(init?.body))]);
    expect(bodies).toEqual([
      [
        '/api/chases/c1/record',
        { record: { calledAt: '2026-03-05 10:30', personReached: '赵处长', summary: '承诺本周完成' } },
      ],
      ['/api/chases/c2/cancel', { reason: '误发' }],
    ]);
  });

  it('shows a withdrawn chase struck through with its reason and no actions', async () => {
    routes({
      ladder,
      chases: [{ ...written, status: 'cancelled', cancelReason: '误发' }],
      canRaise: true,
      canNameOwner: false,
    });
    renderWithApp(<ChasePanel item={item} user={supervisor} />);
    const entry = await screen.findByTestId('chase-item');
    expect(entry).toHaveTextContent('已撤销');
    expect(entry).toHaveTextContent('撤销理由：误发');
    expect(entry).not.toHaveTextContent('计入考核');
    expect(within(entry).queryByRole('button')).not.toBeInTheDocument();
  });
});
