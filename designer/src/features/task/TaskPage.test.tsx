import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InstanceDetail, TaskDetail } from '../../api/types';
import { resetDirectory } from '../../shared/forms/directory';
import type { FormDefinition } from '../../shared/forms/types';
import { calledUrls, mockFetch, type MockResponseInit, type RouteHandler } from '../../test/fetchMock';
import { liaisonUser, task } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';

beforeAll(async () => {
  await Promise.all([import('./TaskPage'), import('../../shared/forms/FormRenderer')]);
}, 60000);

const form: FormDefinition = {
  id: 'supervision',
  name: '督查事项表',
  fields: [
    { key: 'title', label: '事项名称', type: 'text', required: true },
    { key: 'secret', label: '内部意见', type: 'textarea' },
    { key: 'report', label: '办理情况', type: 'textarea', required: true },
    { key: 'reviewOpinion', label: '审核意见', type: 'opinion' },
  ],
};

function detail(overrides: Partial<TaskDetail> = {}): TaskDetail {
  return {
    task: task({ id: 't1', instanceId: 'i1', activityName: '承办', itemTitle: '营商环境专项督查' }),
    form,
    permissions: { title: 'readOnly', secret: 'hidden', report: 'editable', reviewOpinion: 'readOnly' },
    outcomes: ['提交'],
    data: { title: '营商环境专项督查', reviewOpinion: [{ text: '请补充材料', userName: '王督查', step: '审核' }] },
    message: '请按要求办理',
    canAct: true,
    needsClaim: false,
    returnTargets: [],
    instanceStatus: 'suspended',
    ...overrides,
  };
}

const item = {
  instance: {
    id: 'i1',
    title: '营商环境专项督查',
    number: '督〔2026〕1号',
    definitionId: 'demo',
    definitionName: '督查事项办理',
    definitionVersion: 1,
    status: 'suspended',
    result: null,
    initiatorName: '王督查',
    createdAt: '2026-03-01T01:00:00Z',
    updatedAt: '2026-03-01T01:00:00Z',
    finishedAt: null,
  },
  data: {},
  incident: null,
  openTasks: [],
  parentInstanceId: null,
  children: [],
  form,
  permissions: {},
  activeActivityIds: ['handle'],
  doneActivityIds: ['register'],
  timeline: [
    {
      id: 1,
      kind: 'instanceStarted',
      at: '2026-03-01T01:00:00Z',
      activityId: null,
      activityName: null,
      round: 1,
      actorId: 'u',
      actorName: '王督查',
      taskId: null,
      outcome: null,
      comment: null,
      data: null,
    },
    {
      id: 2,
      kind: 'taskCompleted',
      at: '2026-03-02T01:00:00Z',
      activityId: 'review',
      activityName: '审核',
      round: 1,
      actorId: 'u',
      actorName: '王督查',
      taskId: 'x',
      outcome: '退回',
      comment: '缺少佐证材料',
      data: null,
    },
  ],
} as unknown as InstanceDetail;

function setup(
  taskDetail: TaskDetail | (() => TaskDetail),
  extra: Record<string, RouteHandler | MockResponseInit> = {},
) {
  resetDirectory();
  return mockFetch({
    'GET /api/auth/me': { body: liaisonUser },
    'GET /api/tasks/t1': () => ({ body: typeof taskDetail === 'function' ? taskDetail() : taskDetail }),
    'GET /api/instances/i1': { body: item },
    'GET /api/units': { body: [] },
    'GET /api/users': { body: [] },
    'GET /api/attachments/limits': { body: { maxBytes: 1024, allowedExtensions: ['.pdf'] } },
    'GET /api/tasks': { body: { items: [], total: 0, page: 1, pageSize: 20 } },
    'GET /api/definitions': { body: [] },
    ...extra,
  });
}

function posts(fetchFn: ReturnType<typeof mockFetch>, path: string): unknown[] {
  return fetchFn.mock.calls
    .filter(
      ([input, init]) =>
        (init?.method ?? 'GET') === 'POST' && new URL(String(input), 'http://localhost').pathname === path,
    )
    .map(([, init]) => JSON.parse(String(init?.body ?? 'null')));
}

function fieldItem(label: string): HTMLElement {
  return screen.getByRole('textbox', { name: label }).closest('.ant-form-item') as HTMLElement;
}

describe('办理页', () => {
  it('shows the item header, the form under this step’s permissions, the timeline and the outcome buttons', async () => {
    setup(detail());
    renderApp('/tasks/t1');
    const header = await screen.findByTestId('task-header');
    expect(header).toHaveTextContent('营商环境专项督查');
    expect(header).toHaveTextContent('督〔2026〕1号');
    expect(header).toHaveTextContent('承办');
    expect(header).toHaveTextContent('2026-03-15 18:00');
    expect(within(header).getByText('正常')).toBeInTheDocument();
    expect(screen.getByText('请按要求办理')).toBeInTheDocument();
    // Hidden fields are absent, read-only ones are text, the editable one is an input.
    expect(screen.queryByText('内部意见')).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: '事项名称' })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: '办理情况' })).toBeEnabled();
    expect(screen.getByRole('list', { name: '历史意见' })).toHaveTextContent('请补充材料');
    expect(screen.getByRole('button', { name: '提交' })).toBeInTheDocument();
    const timeline = await screen.findByTestId('item-timeline');
    expect(timeline).toHaveTextContent('「审核」退回');
    expect(timeline).toHaveTextContent('缺少佐证材料');
  });

  it('shows a required field’s error beside it and sends nothing', async () => {
    const fetchFn = setup(detail());
    const user = userEvent.setup({ delay: null });
    renderApp('/tasks/t1');
    await user.click(await screen.findByRole('button', { name: '提交' }));
    expect(await within(fieldItem('办理情况')).findByText('「办理情况」为必填项')).toBeInTheDocument();
    expect(fieldItem('办理情况')).toHaveClass('ant-form-item-has-error');
    expect(posts(fetchFn, '/api/tasks/t1/complete')).toEqual([]);
    // Typing clears the message.
    await user.type(screen.getByRole('textbox', { name: '办理情况' }), '已办');
    expect(within(fieldItem('办理情况')).queryByText('「办理情况」为必填项')).not.toBeInTheDocument();
  });

  it('sends only what this step may write and puts the server’s 400 errors beside the fields', async () => {
    const fetchFn = setup(detail(), {
      'POST /api/tasks/t1/complete': {
        status: 400,
        body: {
          title: '提交的数据有误',
          status: 400,
          detail: '表单填写有误，请检查标出的字段',
          errors: { report: ['「办理情况」不能超过5个字'], nextAssignees: ['请为下一环节「审核」选择办理人'] },
        },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/tasks/t1');
    await user.type(await screen.findByRole('textbox', { name: '办理情况' }), '已形成初稿并报送');
    await user.click(screen.getByRole('button', { name: '提交' }));
    expect(await within(fieldItem('办理情况')).findByText('「办理情况」不能超过5个字')).toBeInTheDocument();
    expect(screen.getAllByRole('alert').some((a) => a.textContent?.includes('请为下一环节「审核」选择办理人'))).toBe(
      true,
    );
    expect(posts(fetchFn, '/api/tasks/t1/complete')).toEqual([
      { outcome: '提交', comment: null, data: { report: '已形成初稿并报送' } },
    ]);
  });

  it('asks for a reason before 退回 and sends no form data with it', async () => {
    const fetchFn = setup(detail({ outcomes: ['通过', '退回'] }), { 'POST /api/tasks/t1/complete': { status: 204 } });
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/tasks/t1');
    await user.click(await screen.findByRole('button', { name: '退回' }));
    expect(await screen.findByText('退回时请填写退回理由')).toBeInTheDocument();
    expect(posts(fetchFn, '/api/tasks/t1/complete')).toEqual([]);

    await user.type(screen.getByRole('textbox', { name: '办理说明（退回时必填）' }), '材料不全');
    await user.click(screen.getByRole('button', { name: '退回' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(posts(fetchFn, '/api/tasks/t1/complete')).toEqual([{ outcome: '退回', comment: '材料不全', data: null }]);
  });

  it('returns to a chosen earlier step with a reason', async () => {
    const fetchFn = setup(
      detail({
        returnTargets: [
          { activityId: 'register', name: '登记' },
          { activityId: 'approve', name: '领导审定' },
        ],
      }),
      {
        'POST /api/tasks/t1/return': { status: 204 },
      },
    );
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/tasks/t1');
    await user.click(await screen.findByRole('button', { name: '退回到…' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '确认退回' }));
    expect(await within(dialog).findByText('请选择退回到的环节')).toBeInTheDocument();
    expect(within(dialog).getByText('退回时请填写退回理由')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('combobox', { name: '退回到' }));
    await user.click(await screen.findByTitle('领导审定'));
    await user.type(within(dialog).getByRole('textbox', { name: '退回理由' }), '请领导重新审定');
    await user.click(within(dialog).getByRole('button', { name: '确认退回' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(posts(fetchFn, '/api/tasks/t1/return')).toEqual([
      // No opinion was typed into the form: nothing goes with the send-back but its reason.
      { targetActivityId: 'approve', comment: '请领导重新审定', data: null },
    ]);
  });

  it('on 409 says so and loads the task again', async () => {
    let loads = 0;
    const fetchFn = setup(
      () => {
        loads += 1;
        return loads === 1
          ? detail()
          : detail({ canAct: false, task: { ...detail().task, status: 'completed', outcome: '提交' } });
      },
      {
        'POST /api/tasks/t1/complete': {
          status: 409,
          body: { title: '数据冲突', status: 409, detail: '该待办已被处理，请刷新后查看' },
        },
      },
    );
    const user = userEvent.setup({ delay: null });
    renderApp('/tasks/t1');
    await user.type(await screen.findByRole('textbox', { name: '办理情况' }), '已办');
    await user.click(screen.getByRole('button', { name: '提交' }));
    expect(await screen.findByText(/该待办已被处理，请刷新后查看/)).toBeInTheDocument();
    expect(await screen.findByText(/该待办已办理（提交）/)).toBeInTheDocument();
    expect(calledUrls(fetchFn, '/api/tasks/t1')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: '提交' })).not.toBeInTheDocument();
  });

  it('asks to claim a pool task before it can be done', async () => {
    let claimed = false;
    const fetchFn = setup(() => detail({ needsClaim: !claimed }), {
      'POST /api/tasks/t1/claim': () => {
        claimed = true;
        return { status: 204 };
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/tasks/t1');
    await screen.findByTestId('task-header');
    expect(screen.queryByTestId('task-actions')).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: '办理情况' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: '签收' }));
    expect(await screen.findByTestId('task-actions')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: '办理情况' })).toBeEnabled();
    expect(posts(fetchFn, '/api/tasks/t1/claim')).toHaveLength(1);
  });

  it('confirms a notice with 已阅 and shows the item’s fields read-only', async () => {
    const fetchFn = setup(
      detail({
        task: { ...detail().task, kind: 'notice', activityName: '抄送' },
        form: null,
        permissions: {},
        outcomes: ['已阅'],
      }),
      { 'POST /api/tasks/t1/read': { status: 204 } },
    );
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/tasks/t1');
    expect(await screen.findByText('阅知', { selector: '.ant-tag' })).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: '已阅' }));
    await waitFor(() => expect(router.state.location.search).toBe('?box=notice'));
    expect(posts(fetchFn, '/api/tasks/t1/read')).toEqual([{ comment: null }]);
  });

  it('asks for the next step’s handler when this step chooses it', async () => {
    const fetchFn = setup(
      detail({
        form: null,
        permissions: {},
        data: {},
        outcomes: ['交办', '自办'],
        nextSteps: [
          { outcome: '交办', activityId: 'do', name: '落实', required: true, unitsOnly: false, multiple: true },
        ],
      }),
      {
        'GET /api/units': { body: [{ id: 'fzc', name: '法制处', parentId: null }] },
        'POST /api/tasks/t1/complete': { status: 204 },
      },
    );
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp('/tasks/t1');
    const picker = await screen.findByRole('combobox', { name: '下一环节「落实」办理人（选择“交办”时）' });
    await user.click(screen.getByRole('button', { name: '交办' }));
    const item = picker.closest('.ant-form-item') as HTMLElement;
    expect(await within(item).findByText('请为下一环节「落实」选择办理人')).toBeInTheDocument();
    expect(posts(fetchFn, '/api/tasks/t1/complete')).toEqual([]);

    await user.click(picker);
    await user.click(await screen.findByTitle('法制处'));
    await user.click(screen.getByRole('button', { name: '交办' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(posts(fetchFn, '/api/tasks/t1/complete')).toEqual([
      { outcome: '交办', comment: null, data: null, nextAssignees: { do: ['unit:fzc'] } },
    ]);
  });

  it('says so when the task does not exist or is not the user’s to see', async () => {
    setup(detail(), { 'GET /api/tasks/t1': { status: 404, body: { status: 404, detail: '待办不存在' } } });
    renderApp('/tasks/t1');
    expect(await screen.findByText('待办不存在')).toBeInTheDocument();
  });
});
