import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../api/types';
import { resetDirectory } from '../../shared/forms/directory';
import { mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';
import { moveRung, newRung, placeServerProblems, toDrafts, toRungs, triggerText, validateLadder } from './ladderModel';
import { rulesFromForm, tabOf, yearOf, yearOptions } from './settingsModel';
import type { LadderRung, LadderSettings } from './settingsApi';

beforeAll(async () => {
  await import('./SettingsPage');
}, 60000);
beforeEach(() => resetDirectory());

const admin: CurrentUser = {
  id: 'u-admin',
  userName: 'admin',
  displayName: '系统管理员',
  unitId: 'bgs',
  unitName: '督查室',
  roles: ['管理员'],
  permissions: ['seeAllItems', 'supervise', 'designProcedures', 'configureSupervision', 'manageUnitsAndPeople'],
  outsideBusiness: false,
};
const supervisor: CurrentUser = {
  ...admin,
  id: 'u-ducha',
  userName: 'ducha',
  displayName: '王督查',
  roles: ['督查员'],
  permissions: ['seeAllItems', 'supervise', 'score'],
  outsideBusiness: false,
};
const actors = ['管理员', '督查员', '领导', '承办单位联络员'];

const rungs: LadderRung[] = [
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
    notice: { title: '督查督办通知单', text: '请说明原因', replyRequired: true, replyDays: 3 },
    scoreEvent: 'writtenNotice',
  },
];

const ladder: LadderSettings = {
  organizationId: 'sft',
  isDefault: true,
  rungs,
  actors,
  recordForms: {
    phoneLog: { id: 'chase.phoneLog', name: '电话催办记录', fields: [] },
    reply: { id: 'chase.reply', name: '书面回复', fields: [] },
  } as never,
  scoreEvents: [
    { value: 'phone', label: '电话、口头催办' },
    { value: 'writtenNotice', label: '下发《督查督办通知单》' },
    { value: 'specialMeeting', label: '召开专项会议督办' },
  ],
};

describe('ladder model', () => {
  it("keeps who acts: the item's 专人 or a named person instead of the role", () => {
    const own = [
      { ...rungs[0], itemOwner: true },
      { ...rungs[1], person: 'u-42' },
    ];
    const drafts = toDrafts(own);
    expect(drafts.map((d) => d.who)).toEqual(['owner', 'person:u-42']);
    expect(toRungs(drafts)).toEqual(own);
    expect(toRungs([{ ...drafts[0], who: '' }])[0]).not.toHaveProperty('itemOwner');
  });

  it('keeps the document a rung generates, and a rung that only generates one is a rung (decision 047)', () => {
    const own = [{ ...rungs[0], document: 'urge' }];
    const drafts = toDrafts(own);
    expect(drafts[0].document).toBe('urge');
    expect(toRungs(drafts)).toEqual(own);
    const paperOnly = { ...newRung([]), name: '催办通知', document: 'urge' };
    expect(validateLadder([paperOnly], actors).rungs[paperOnly.uid]).toBeUndefined();
    const idle = { ...paperOnly, document: '' };
    expect(validateLadder([idle], actors).rungs[idle.uid]?.effect).toContain('生成文书');
  });

  it('round-trips the server rungs and numbers a new rung with an unused key', () => {
    const drafts = toDrafts(rungs);
    expect(toRungs(drafts)).toEqual(rungs);
    const added = newRung(drafts);
    expect(added.key).toBe('rung3');
    expect(newRung([...drafts, added]).key).toBe('rung4');
    expect(moveRung(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRung(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(triggerText(drafts[0])).toBe('逾期 1 个工作日后');
    expect(triggerText({ triggerKind: 'beforeDue', days: 2, calendarDays: true })).toBe('到期前 2 个自然日');
  });

  it('checks each rung field by field, as the server does', () => {
    const drafts = [...toDrafts(rungs), { ...newRung([]), name: '电话催办' }];
    drafts[1] = { ...drafts[1], noticeTitle: ' ', replyDays: 90 };
    drafts[0] = { ...drafts[0], days: 400 };
    const errors = validateLadder(drafts, actors);
    expect(errors.rungs[drafts[0].uid]).toEqual({ days: '天数应为 0 到 365 之间的整数', name: '名称与其他级重复' });
    expect(errors.rungs[drafts[1].uid]).toEqual({
      noticeTitle: '请填写通知标题',
      replyDays: '回复期限应为 1 到 60 个工作日',
    });
    expect(errors.rungs[drafts[2].uid].effect).toMatch(/至少选择一项/);
    expect(validateLadder([], actors).general).toEqual(['催办阶梯至少需要一级']);
  });

  it('puts server problems beside the rung they name', () => {
    const drafts = toDrafts(rungs);
    const placed = placeServerProblems(drafts, [
      '「书面督办」的回复期限应在 1 到 60 个工作日之间',
      '第 1 级为空',
      '催办阶梯最多 20 级',
    ]);
    expect(placed.rungs[drafts[1].uid].effect).toMatch(/回复期限/);
    expect(placed.rungs[drafts[0].uid].effect).toBe('第 1 级为空');
    expect(placed.general).toEqual(['催办阶梯最多 20 级']);
  });

  it('reads tab and year from the URL and sends every deduction rounded', () => {
    expect(tabOf('rules')).toBe('rules');
    expect(tabOf('x')).toBe('ladder');
    expect(yearOf('2025', 2026)).toBe(2025);
    expect(yearOf('abc', 2026)).toBe(2026);
    expect(yearOptions(2020, 2026).map((o) => o.value)).toEqual([2027, 2026, 2025, 2024, 2020]);
    expect(
      rulesFromForm({ startScore: 3, floor: 0, redoThreshold: 2, deductions: { phone: 0.30000000004 } }, [
        { value: 'phone', label: '' },
        { value: 'bulletin', label: '' },
      ]),
    ).toEqual({ startScore: 3, floor: 0, redoThreshold: 2, deductions: { phone: 0.3, bulletin: 0 } });
  });
});

describe('督查设置', () => {
  it('an administrator adds a rung, is told what is missing beside the field, and saves the ladder in order', async () => {
    let saved: unknown = null;
    mockFetch({
      'GET /api/auth/me': { body: admin },
      'GET /api/chasing/ladder': { body: ladder },
      'PUT /api/chasing/ladder': (_url, init) => {
        saved = JSON.parse(String(init?.body));
        return { body: { ...ladder, isDefault: false, rungs: (saved as { rungs: LadderRung[] }).rungs } };
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/settings');
    const tab = await screen.findByTestId('ladder-tab');
    expect(await within(tab).findByDisplayValue('电话催办')).toBeInTheDocument();

    await user.click(within(tab).getByRole('button', { name: /增加一级/ }));
    await user.click(within(tab).getByRole('button', { name: '保存' }));
    expect(await within(tab).findByText('请填写名称')).toBeInTheDocument();
    expect(within(tab).getByText(/请至少选择一项/)).toBeInTheDocument();
    expect(saved).toBeNull();

    const names = within(tab).getAllByLabelText('名称');
    await user.type(names[2], '约谈督办');
    await user.click(within(tab).getAllByRole('checkbox', { name: '向承办单位发送通知' })[2]);
    await user.type(within(tab).getAllByLabelText('通知标题')[1], '约谈通知');
    // Move the new rung above 书面督办.
    await user.click(within(tab).getByRole('button', { name: '上移第 3 级' }));
    await user.click(within(tab).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(saved).not.toBeNull());
    const sent = (saved as { rungs: LadderRung[] }).rungs;
    expect(sent.map((r) => r.name)).toEqual(['电话催办', '约谈督办', '书面督办']);
    expect(sent[1]).toMatchObject({
      key: 'rung3',
      trigger: { kind: 'manual', days: 0 },
      notice: { title: '约谈通知' },
      scoreEvent: null,
    });
    expect(await within(tab).findByText('本单位自定义')).toBeInTheDocument();
  }, 90_000); // many antd selects in jsdom: ~30 s when the browser tests run beside it on two cores

  it("an administrator changes a deduction for a year and deletes the year's own rules", async () => {
    const year = new Date().getFullYear();
    const rules = {
      organizationId: 'sft',
      year,
      scored: true,
      isDefault: true,
      table: 'county',
      tables: [{ value: 'county', label: '县级督查督办考核标准' }],
      startScore: 3,
      floor: 0,
      redoThreshold: 2,
      deductions: { phone: 0.1, bulletin: 0.5 },
      eventTypes: [
        { value: 'phone', label: '电话、口头催办' },
        { value: 'bulletin', label: '通报批评' },
      ],
      updatedAt: null,
      updatedByName: null,
    };
    let put: unknown = null;
    let deleted = false;
    mockFetch({
      'GET /api/auth/me': { body: admin },
      [`GET /api/scoring/${year}/rules`]: { body: rules },
      [`PUT /api/scoring/${year}/rules`]: (_url, init) => {
        put = JSON.parse(String(init?.body));
        if ((put as { floor: number }).floor > 3)
          return {
            status: 400,
            body: { title: '考核规则设置有误', errors: { floor: ['最低分应不小于 0 且不大于基础分'] } },
          };
        return {
          body: {
            ...rules,
            ...(put as object),
            isDefault: false,
            updatedAt: '2026-03-01T01:00:00Z',
            updatedByName: '系统管理员',
          },
        };
      },
      [`DELETE /api/scoring/${year}/rules`]: () => {
        deleted = true;
        return { body: rules };
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/settings?tab=rules');
    const tab = await screen.findByTestId('rules-tab');
    const phone = await within(tab).findByLabelText('电话、口头催办扣分');
    await waitFor(() => expect(phone).toHaveValue('0.10'));
    await user.clear(phone);
    await user.type(phone, '0.15');
    await user.click(within(tab).getByRole('button', { name: '保存' }));
    await waitFor(() =>
      expect(put).toEqual({ startScore: 3, floor: 0, redoThreshold: 2, deductions: { phone: 0.15, bulletin: 0.5 } }),
    );
    expect(await within(tab).findByText('本单位自定义')).toBeInTheDocument();
    expect(within(tab).getByText(/系统管理员 修改/)).toBeInTheDocument();

    await user.click(within(tab).getByRole('button', { name: '删除本年度规则' }));
    const confirm = await screen.findByRole('tooltip');
    await user.click(within(confirm).getByRole('button', { name: '删除' }));
    await waitFor(() => expect(deleted).toBe(true));
    await waitFor(() => expect(within(tab).getByLabelText('电话、口头催办扣分')).toHaveValue('0.10'));
  });

  it('without rules nobody is scored until an administrator chooses the county table', async () => {
    const year = new Date().getFullYear();
    const rules = {
      organizationId: 'sft',
      year,
      scored: false,
      isDefault: true,
      table: null,
      tables: [{ value: 'county', label: '县级督查督办考核标准' }],
      startScore: 3,
      floor: 0,
      redoThreshold: 2,
      deductions: { phone: 0.1 },
      eventTypes: [{ value: 'phone', label: '电话、口头催办' }],
      updatedAt: null,
      updatedByName: null,
    };
    let chosen: unknown = null;
    mockFetch({
      'GET /api/auth/me': { body: admin },
      [`GET /api/scoring/${year}/rules`]: { body: rules },
      'PUT /api/scoring/table': (_url, init) => {
        chosen = JSON.parse(String(init?.body));
        return { body: { ...rules, scored: true, table: 'county' } };
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/settings?tab=rules');
    const tab = await screen.findByTestId('rules-tab');
    expect(await within(tab).findByText('本年度不计分')).toBeInTheDocument();
    await user.click(within(tab).getByRole('combobox', { name: '系统考核标准' }));
    await user.click(await screen.findByTitle('县级督查督办考核标准'));
    await waitFor(() => expect(chosen).toEqual({ table: 'county' }));
    expect(await within(tab).findByText('采用系统考核标准')).toBeInTheDocument();
  });

  it('a supervisor reads the ladder and revokes a bulletin with a reason', async () => {
    const year = new Date().getFullYear();
    let revoked: unknown = null;
    const bulletin = {
      id: 'b1',
      unitId: 'fzc',
      unitName: '法制处',
      instanceId: null,
      title: '第一季度通报',
      issuedOn: `${year}-03-01`,
      note: null,
      createdAt: `${year}-03-01T01:00:00Z`,
      createdByName: '王督查',
      revoked: false,
      revokeReason: null,
    };
    mockFetch({
      'GET /api/auth/me': { body: supervisor },
      'GET /api/units': { body: [{ id: 'fzc', name: '法制处', parentId: null }] },
      'GET /api/users': { body: [] },
      'GET /api/scoring/bulletins': { body: [bulletin] },
      'POST /api/scoring/bulletins/b1/revoke': (_url, init) => {
        revoked = JSON.parse(String(init?.body));
        return { body: { ...bulletin, revoked: true, revokeReason: '误发' } };
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp('/settings?tab=bulletins');
    const tab = await screen.findByTestId('bulletins-tab');
    expect(await within(tab).findByText('第一季度通报')).toBeInTheDocument();
    expect(within(tab).getByRole('button', { name: /登记通报批评/ })).toBeInTheDocument();
    await user.click(within(tab).getByRole('button', { name: '撤销' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '确认撤销' }));
    expect(await within(dialog).findByText('请填写撤销理由')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('撤销理由'), '误发');
    await user.click(within(dialog).getByRole('button', { name: '确认撤销' }));
    await waitFor(() => expect(revoked).toEqual({ reason: '误发' }));
  });
});
