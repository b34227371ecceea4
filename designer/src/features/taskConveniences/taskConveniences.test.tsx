import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CurrentUser } from '../../api/types';
import { liaisonUser, page, task } from '../../test/fixtures';
import { calledUrls, mockFetch } from '../../test/fetchMock';
import { preloadPages, renderApp } from '../../test/renderApp';
import { coInputs, CoInputsCard, valueText } from './CoInputsCard';
import { describeBatch } from './conveniencesApi';
import { opinionValues } from './opinions';
import { SentBackContent } from './SentBackNotice';
import { mayUrge } from './UrgeButton';
import { AUTOSAVE_DELAY, useTaskDraft } from './useTaskDraft';

beforeAll(preloadPages, 60000);
afterEach(() => vi.useRealTimers());

const supervisor: CurrentUser = {
  ...liaisonUser,
  id: 'u-ducha',
  userName: 'ducha',
  displayName: '王督查',
  roles: ['督查员'],
  permissions: ['seeAllItems', 'supervise', 'score'],
};

describe('暂存', () => {
  it('restores the draft kept on the server and saves again once typing has paused', async () => {
    const saved: unknown[] = [];
    const fetchFn = mockFetch({
      'GET /api/tasks/t1/draft': {
        body: { exists: true, data: { report: '写了一半' }, comment: '周五前补齐', savedAt: '2026-03-02T01:00:00Z' },
      },
      'PUT /api/tasks/t1/draft': (_url, init) => {
        saved.push(JSON.parse(String(init?.body)));
        return { body: { savedAt: '2026-03-02T01:05:00Z' } };
      },
    });
    const restored = vi.fn();
    const { result } = renderHook(() => useTaskDraft({ taskId: 't1', enabled: true, onRestore: restored }));
    await waitFor(() => expect(restored).toHaveBeenCalledWith({ report: '写了一半' }, '周五前补齐'));
    expect(result.current.state.savedAt).toBe('2026-03-02T01:00:00Z');

    vi.useFakeTimers();
    act(() => {
      result.current.schedule({ report: '写了一' }, '');
      result.current.schedule({ report: '写了一大半' }, ' 说明 ');
    });
    expect(calledUrls(fetchFn, '/api/tasks/t1/draft').length).toBe(1); // only the read so far
    await act(async () => {
      await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY);
    });
    vi.useRealTimers();
    await waitFor(() => expect(result.current.state.savedAt).toBe('2026-03-02T01:05:00Z'));
    expect(saved).toEqual([{ data: { report: '写了一大半' }, comment: '说明' }]);
  });

  it('neither reads nor saves for someone who does not hold the task', async () => {
    const fetchFn = mockFetch({});
    const { result } = renderHook(() => useTaskDraft({ taskId: 't1', enabled: false, onRestore: vi.fn() }));
    vi.useFakeTimers();
    act(() => result.current.schedule({ report: 'x' }, ''));
    // Past the autosave wait: a save would have been sent by now.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY * 2);
    });
    vi.useRealTimers();
    expect(fetchFn).not.toHaveBeenCalled();
  });
});

describe('退回意见', () => {
  const form = {
    id: 'f',
    name: '审定',
    fields: [
      { key: 'report', label: '整改情况', type: 'textarea' },
      { key: 'opinion', label: '审定意见', type: 'opinion' },
      { key: 'old', label: '初审意见', type: 'opinion' },
    ],
  } as unknown as Parameters<typeof opinionValues>[0];

  it('sends only the opinions the step may write with a send-back', () => {
    const values = { report: '不该带上', 'opinion#draft': '  数据有误  ', 'old#draft': '只读意见' };
    expect(opinionValues(form, values, { old: 'readOnly' })).toEqual({ opinion: '数据有误' });
    expect(opinionValues(form, { 'opinion#draft': '  ' }, {})).toBeNull();
  });

  it('shows the reason, the opinions and whether the redo comes straight back', () => {
    render(
      <SentBackContent
        note={{
          fromStep: '审定',
          byName: '王督查',
          at: '2026-03-02T01:00:00Z',
          reason: '请核实数据',
          opinions: [{ key: 'opinion', label: '审定意见', text: '第三项数据有误' }],
          direct: true,
        }}
      />,
    );
    const box = screen.getByTestId('sent-back');
    expect(box).toHaveTextContent('王督查');
    expect(box).toHaveTextContent('退回理由：请核实数据');
    expect(box).toHaveTextContent('审定意见：第三项数据有误');
    expect(box).toHaveTextContent('重新提交后将直接回到该环节');
  });
});

describe('协办意见', () => {
  const unit = (overrides: Record<string, unknown>) => ({
    taskId: 'x',
    unitId: 'u',
    unitName: '政策研究室',
    role: 'co',
    roleName: '协办',
    status: 'submitted',
    assignedAt: '2026-03-01T01:00:00Z',
    dueAt: null,
    submittedAt: '2026-03-02T01:00:00Z',
    submittedByName: '周联络',
    outcome: '提交',
    comment: null,
    input: { advice: [{ text: '建议补充财政数据', userName: '周联络' }] },
    inputHidden: false,
    replacesTaskId: null,
    replacedByTaskId: null,
    endedAt: null,
    endedByName: null,
    endComment: null,
    ...overrides,
  });
  const step = (units: ReturnType<typeof unit>[]) =>
    ({
      activityId: 'assign',
      activityName: '交办',
      executionId: 'assign#1',
      round: 1,
      active: true,
      completion: 'lead',
      myRole: 'lead',
      coForm: { id: 'co', name: '协办意见', fields: [{ key: 'advice', label: '协办意见', type: 'opinion' }] },
      units,
    }) as unknown as Parameters<typeof coInputs>[0][number];

  it('shows each submitted 协办 input with its label, and none hidden from this viewer', () => {
    render(
      <CoInputsCard
        steps={[
          step([
            unit({}),
            unit({ taskId: 'y', unitName: '行政执法监督处', input: null, inputHidden: true }),
            unit({ taskId: 'z', role: 'lead', unitName: '法制处' }),
          ]),
        ]}
      />,
    );
    const card = screen.getByTestId('co-inputs');
    expect(within(card).getByText('政策研究室')).toBeInTheDocument();
    expect(within(card).getByText('建议补充财政数据')).toBeInTheDocument();
    expect(within(card).queryByText('行政执法监督处')).not.toBeInTheDocument();
    expect(within(card).queryByText('法制处')).not.toBeInTheDocument();
  });

  it('says so while no 协办 has submitted, and shows nothing for a step without 协办', () => {
    const { rerender } = render(
      <CoInputsCard steps={[step([unit({ status: 'open', input: null, submittedAt: null })])]} />,
    );
    expect(screen.getByText('协办单位尚未提交意见')).toBeInTheDocument();
    rerender(<CoInputsCard steps={[step([unit({ role: 'lead' })])]} />);
    expect(screen.queryByTestId('co-inputs')).not.toBeInTheDocument();
    expect(valueText(['a', { text: 'b' }])).toBe('a；b');
  });
});

describe('一键催办', () => {
  it('is offered on an overdue open step to its initiator and the office only', () => {
    const overdue = { light: 'red', kind: 'task', status: 'open' } as const;
    expect(mayUrge(overdue, liaisonUser, '法制处联络员')).toBe(true);
    expect(mayUrge(overdue, liaisonUser, '李厅长')).toBe(false);
    expect(mayUrge(overdue, supervisor, '李厅长')).toBe(true);
    expect(mayUrge({ ...overdue, light: 'yellow' }, supervisor, null)).toBe(false);
    expect(mayUrge({ ...overdue, kind: 'notice' }, supervisor, null)).toBe(false);
  });
});

describe('批量已阅', () => {
  it('describes a partly successful batch naming each notice that was not read', () => {
    const { text, failed } = describeBatch(
      {
        read: 1,
        results: [
          { taskId: 'n1', status: 'conflict', message: '该待办已由他人办理' },
          { taskId: 'n2', status: 'read', message: null },
        ],
      },
      { n1: '一号通知', n2: '二号通知' },
    );
    expect(text).toBe('已确认 1 条已阅，1 条未能确认');
    expect(failed).toEqual(['「一号通知」：该待办已由他人办理']);
  });

  it(
    'marks the selected notices read in one request and lists the one a colleague read first',
    { timeout: 60000 },
    async () => {
      const notices = [
        task({ id: 'n1', itemTitle: '一号通知', kind: 'notice' }),
        task({ id: 'n2', itemTitle: '二号通知', kind: 'notice' }),
      ];
      let body: unknown = null;
      mockFetch({
        'GET /api/auth/me': { body: liaisonUser },
        'GET /api/tasks': () => ({ body: page(notices) }),
        'GET /api/definitions': { body: [] },
        'POST /api/tasks/read-batch': (_url, init) => {
          body = JSON.parse(String(init?.body));
          return {
            body: {
              read: 1,
              results: [
                { taskId: 'n1', status: 'conflict', message: '该待办已由他人办理' },
                { taskId: 'n2', status: 'read', message: null },
              ],
            },
          };
        },
      });
      renderApp('/?box=notice');
      const table = await screen.findByTestId('inbox-table', {}, { timeout: 20000 });
      const button = await screen.findByRole('button', { name: /批量已阅/ }, { timeout: 20000 });
      expect(button).toBeDisabled();
      await userEvent.click(within(table).getByRole('checkbox', { name: '选择「一号通知」' }));
      await userEvent.click(within(table).getByRole('checkbox', { name: '选择「二号通知」' }));
      await userEvent.click(screen.getByRole('button', { name: /批量已阅（2）/ }));
      await waitFor(() => expect(body).toEqual({ taskIds: ['n1', 'n2'], comment: null }));
      expect(await screen.findByText('「一号通知」：该待办已由他人办理', {}, { timeout: 20000 })).toBeInTheDocument();
    },
  );
});
