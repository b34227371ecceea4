import { StyleProvider } from '@ant-design/cssinjs';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntdApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CurrentUser, InstanceDetail } from '../../api/types';
import { resetDirectory } from '../../shared/forms/directory';
import { mockFetch } from '../../test/fetchMock';
import { liaisonUser } from '../../test/fixtures';
import { AuthProvider } from '../auth/AuthContext';
import { availableUnits, unitActions, unitHistory, orderedUnits } from './assignments';
import { AssignmentsPanel } from './AssignmentsPanel';
import { progressLine, summaryFigures, unitsLine } from './breakdown';
import { ItemChildrenPanel } from './ItemChildrenPanel';
import type { AssignmentStep, AssignmentUnit, BreakdownProgress, BreakdownTask } from './itemPanelsApi';

const supervisor: CurrentUser = {
  id: 'u-ducha',
  userName: 'ducha',
  displayName: '王督查',
  unitId: 'bgs',
  unitName: '督查室',
  roles: ['督查员'],
  permissions: ['seeAllItems', 'supervise', 'score'],
  outsideBusiness: false,
};

function unit(overrides: Partial<AssignmentUnit>): AssignmentUnit {
  return {
    taskId: 't-lead',
    unitId: 'fzc',
    unitName: '法制处',
    role: 'lead',
    roleName: '主办',
    status: 'open',
    assignedAt: '2026-03-01T01:00:00Z',
    dueAt: '2026-03-10T09:00:00Z',
    submittedAt: null,
    submittedByName: null,
    outcome: null,
    comment: null,
    input: null,
    inputHidden: false,
    replacesTaskId: null,
    replacedByTaskId: null,
    endedAt: null,
    endedByName: null,
    endComment: null,
    ...overrides,
  };
}

const step: AssignmentStep = {
  activityId: 'assign',
  activityName: '交办',
  executionId: 'e#1',
  round: 1,
  active: true,
  completion: 'lead',
  myRole: null,
  coForm: null,
  units: [
    unit({}),
    unit({
      taskId: 't-jinan',
      unitId: 'jinan',
      unitName: '济南市司法局',
      role: 'co',
      roleName: '协办',
      status: 'replaced',
      replacedByTaskId: 't-qd',
      endedAt: '2026-03-02T02:00:00Z',
      endedByName: '王督查',
      endComment: '职责调整',
    }),
    unit({
      taskId: 't-qd',
      unitId: 'qingdao',
      unitName: '青岛市司法局',
      role: 'co',
      roleName: '协办',
      status: 'submitted',
      replacesTaskId: 't-jinan',
      submittedAt: '2026-03-03T03:00:00Z',
      submittedByName: '陈联络',
      comment: '同意',
    }),
    unit({ taskId: 't-yt', unitId: 'yantai', unitName: '烟台市司法局', role: 'co', roleName: '协办' }),
  ],
};

function itemWith(assignments: AssignmentStep[]): InstanceDetail {
  return { instance: { id: 'i1', title: '事项' }, assignments } as unknown as InstanceDetail;
}

function wrap(children: ReactNode) {
  return render(
    <StyleProvider mock="server">
      <AntdApp>
        <MemoryRouter>
          <AuthProvider>{children}</AuthProvider>
        </MemoryRouter>
      </AntdApp>
    </StyleProvider>,
  );
}

beforeEach(() => resetDirectory());

describe('承办单位 (pure)', () => {
  it('lets the office replace units that have not submitted, and remove only 协办', () => {
    const [lead, , submitted, co] = step.units;
    expect(unitActions(step, lead, true)).toEqual({ replace: true, remove: false });
    expect(unitActions(step, co, true)).toEqual({ replace: true, remove: true });
    expect(unitActions(step, submitted, true)).toEqual({ replace: false, remove: false });
    expect(unitActions(step, co, false)).toEqual({ replace: false, remove: false });
    expect(unitActions({ ...step, active: false }, co, true)).toEqual({ replace: false, remove: false });
  });

  it('tells who replaced whom, when and why; lists current units first', () => {
    const [, replaced, successor] = step.units;
    expect(unitHistory(step, replaced)).toEqual([
      expect.stringMatching(/王督查 替换为「青岛市司法局」，理由：职责调整$/),
    ]);
    expect(unitHistory(step, successor)[0]).toBe('接替「济南市司法局」');
    expect(unitHistory(step, successor)[1]).toMatch(/陈联络 提交$/);
    expect(orderedUnits(step).map((u) => u.unitId)).toEqual(['fzc', 'qingdao', 'yantai', 'jinan']);
  });

  it('offers only units not on the step now (a replaced unit may come back)', () => {
    const all = ['fzc', 'jinan', 'qingdao', 'yantai', 'weifang'].map((id) => ({ id }));
    expect(availableUnits(all, step).map((u) => u.id)).toEqual(['jinan', 'weifang']);
  });
});

describe('承办单位 panel', () => {
  it('shows each unit with its state and lets the office remove a 协办 with a reason', async () => {
    const fetchFn = mockFetch({
      'GET /api/auth/me': { body: supervisor },
      'GET /api/units': { body: [] },
      'GET /api/users': { body: [] },
      'POST /api/instances/i1/assignments/assign/units/yantai/remove': (_url, init) =>
        JSON.parse(String(init?.body)).reason === '不需要'
          ? { body: step }
          : { status: 400, body: { title: '请检查标出的内容', errors: { reason: ['理由太短'] } } },
    });
    const onChanged = vi.fn();
    const user = userEvent.setup({ delay: null });
    wrap(<AssignmentsPanel item={itemWith([step])} onChanged={onChanged} />);
    const panel = await screen.findByTestId('item-assignments');
    const yantai = panel.querySelector('[data-unit="yantai"]') as HTMLElement;
    expect(within(panel.querySelector('[data-unit="qingdao"]') as HTMLElement).getByText('已提交')).toBeInTheDocument();
    expect(within(panel.querySelector('[data-unit="jinan"]') as HTMLElement).getByText('已替换')).toBeInTheDocument();
    // The lead can be replaced but not removed.
    expect(
      within(panel.querySelector('[data-unit="fzc"]') as HTMLElement).queryByRole('button', { name: '移除' }),
    ).toBeNull();

    await user.click(await within(yantai).findByRole('button', { name: '移除' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '确认移除' }));
    expect(await within(dialog).findByText('请填写调整理由')).toBeInTheDocument();

    await user.type(within(dialog).getByLabelText('调整理由'), '太短');
    await user.click(within(dialog).getByRole('button', { name: '确认移除' }));
    expect(await within(dialog).findByText('理由太短')).toBeInTheDocument();
    expect(onChanged).not.toHaveBeenCalled();

    await user.clear(within(dialog).getByLabelText('调整理由'));
    await user.type(within(dialog).getByLabelText('调整理由'), '不需要');
    await user.click(within(dialog).getByRole('button', { name: '确认移除' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(fetchFn.mock.calls.filter(([, init]) => init?.method === 'POST')).toHaveLength(2);
  });

  it('shows no controls to a unit liaison and nothing for an item without 交办', async () => {
    mockFetch({ 'GET /api/auth/me': { body: liaisonUser } });
    const { rerender } = wrap(<AssignmentsPanel item={itemWith([step])} onChanged={() => {}} />);
    const panel = await screen.findByTestId('item-assignments');
    expect(panel).toHaveTextContent('济南市司法局');
    expect(within(panel).queryByRole('button', { name: /替换|移除|增加协办单位/ })).toBeNull();
    rerender(
      <StyleProvider mock="server">
        <AntdApp>
          <MemoryRouter>
            <AuthProvider>
              <AssignmentsPanel item={itemWith([])} onChanged={() => {}} />
            </AuthProvider>
          </MemoryRouter>
        </AntdApp>
      </StyleProvider>,
    );
    await waitFor(() => expect(screen.queryByTestId('item-assignments')).toBeNull());
  });
});

function task(overrides: Partial<BreakdownTask>): BreakdownTask {
  return {
    instanceId: 'c1',
    index: 0,
    number: null,
    title: '任务一',
    state: 'open',
    result: null,
    timeliness: 'overdue',
    light: 'red',
    createdAt: '2026-03-01T01:00:00Z',
    dueAt: '2026-03-20T09:00:00Z',
    finishedAt: null,
    leadUnitId: 'fzc',
    leadUnitName: '法制处',
    coUnitNames: ['济南市司法局'],
    currentSteps: ['落实反馈'],
    percent: 40,
    currentPhase: null,
    progressReports: 2,
    lastReportAt: null,
    lastReport: null,
    returns: 0,
    extensionsApproved: 0,
    chases: 1,
    ...overrides,
  };
}

const progress: BreakdownProgress = {
  instanceId: 'p1',
  total: 3,
  done: 1,
  doneOnTime: 1,
  doneLate: 0,
  open: 2,
  overdue: 1,
  dueSoon: 0,
  cancelled: 0,
  percentDone: 33,
  tasks: [
    task({}),
    task({
      instanceId: 'c2',
      index: 1,
      title: '任务二',
      state: 'done',
      result: '办结',
      timeliness: 'onTime',
      light: null,
      currentSteps: [],
      percent: 100,
    }),
    task({
      instanceId: 'c3',
      index: 2,
      title: '任务三',
      timeliness: 'onSchedule',
      light: 'green',
      chases: 0,
      progressReports: 0,
      percent: null,
    }),
  ],
};

describe('子事项进展', () => {
  it('sums up and describes tasks (pure)', () => {
    expect(summaryFigures(progress).map((f) => `${f.label}${f.value}`)).toEqual([
      '任务总数3',
      '已办结1',
      '按期办结1',
      '逾期办结0',
      '办理中2',
      '即将到期0',
      '逾期未办结1',
    ]);
    expect(unitsLine(progress.tasks[0])).toBe('法制处（协办：济南市司法局）');
    expect(progressLine(progress.tasks[0])).toBe('当前：落实反馈；完成 40%；进展报告 2 次；催办 1 次');
  });

  it('shows the progress and each task once, linking to it', async () => {
    mockFetch({ 'GET /api/instances/p1/breakdown': { body: progress } });
    wrap(<ItemChildrenPanel instanceId="p1" items={[]} />);
    const card = await screen.findByTestId('item-children');
    expect(await within(card).findByRole('link', { name: '任务一' })).toHaveAttribute('href', '/items/c1');
    expect(within(card).getAllByRole('link')).toHaveLength(3);
    expect(card.querySelector('[data-figure="overdue"]')).toHaveTextContent('1');
    expect(card).toHaveTextContent('已逾期');
    expect(card).toHaveTextContent('按期办结');
    expect(card).toHaveTextContent('子事项进展（3）');
  });

  it('falls back to the plain list of children when the progress cannot be loaded', async () => {
    mockFetch({ 'GET /api/instances/p1/breakdown': { status: 500, body: { title: '错误' } } });
    const child = { id: 'c9', title: '旧子事项', number: null, status: 'running' } as never;
    wrap(<ItemChildrenPanel instanceId="p1" items={[child]} />);
    expect(await screen.findByText('办理进度暂时无法加载，仅列出子事项')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '旧子事项' })).toHaveAttribute('href', '/items/c9');
  });
});
