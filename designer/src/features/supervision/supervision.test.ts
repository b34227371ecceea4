import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { CurrentUser } from '../../api/types';
import { task } from '../../test/fixtures';
import {
  chaseState,
  chaseUnitChoices,
  chinaDate,
  decidable,
  formatChinaDate,
  isBeforeNewDate,
  labelledValues,
  mayRecord,
  raisableRungs,
  readsOf,
  replyStatus,
  rungEffects,
  rungTriggerText,
  showExtensionPanel,
  showReads,
  splitProblem,
  toApiDate,
  visibleChases,
} from './supervision';
import type { ChaseView, ExtensionView, ItemExtensions, LadderRung } from './supervisionApi';

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
const leader: CurrentUser = {
  id: 'u3',
  userName: 'lingdao',
  displayName: '李厅长',
  unitId: 'sft',
  unitName: '司法厅',
  roles: ['领导'],
  permissions: ['seeAllItems'],
  outsideBusiness: false,
};

function chase(overrides: Partial<ChaseView> = {}): ChaseView {
  return {
    id: 'c1',
    instanceId: 'i1',
    unitId: 'fzc',
    unitName: '法制处',
    rungKey: 'phone',
    rungName: '电话催办',
    rungIndex: 1,
    cycle: 1,
    trigger: 'auto',
    scoreEvent: 'phone',
    scoreEventLabel: '电话、口头催办',
    raisedAt: '2026-03-02T01:00:00Z',
    raisedByName: null,
    dueAt: '2026-02-27T15:59:59Z',
    status: 'open',
    actor: '督查员',
    actorUserId: null,
    actorName: null,
    fellDueAt: null,
    recordKind: 'phoneLog',
    recordForm: null,
    record: null,
    recordedAt: null,
    recordedByName: null,
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

function extension(overrides: Partial<ExtensionView> = {}): ExtensionView {
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
    reason: '需要协调',
    currentDueAt: '2026-03-02T15:59:59Z',
    requestedDueAt: '2026-04-02T15:59:59Z',
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

const eligibility = {
  unitId: null,
  unitName: null,
  deadline: null,
  canRequest: false,
  reason: '只有承办单位可以申请延期',
  late: false,
  pending: false,
};

describe('dates', () => {
  it('reads an instant as its China date, whatever the browser zone', () => {
    // 23:59:59 China time on 3 March is 15:59:59Z; 16:30Z is already 4 March in China.
    expect(chinaDate('2026-03-03T15:59:59Z')).toBe('2026-03-03');
    expect(chinaDate('2026-03-03T16:30:00Z')).toBe('2026-03-04');
    expect(chinaDate('nonsense')).toBe('');
    expect(formatChinaDate('2026-03-03T15:59:59Z')).toBe('2026年3月3日');
    expect(formatChinaDate(null)).toBe('—');
  });

  it('greys out the current deadline and the days before it', () => {
    const due = '2026-03-03T15:59:59Z';
    expect(isBeforeNewDate(dayjs('2026-03-02'), due)).toBe(true);
    expect(isBeforeNewDate(dayjs('2026-03-03'), due)).toBe(true);
    expect(isBeforeNewDate(dayjs('2026-03-04'), due)).toBe(false);
    expect(isBeforeNewDate(dayjs('2020-01-01'), null)).toBe(false);
    expect(toApiDate(dayjs('2026-04-05'))).toBe('2026-04-05');
    expect(toApiDate(null)).toBeNull();
  });
});

describe('problem details', () => {
  it('puts field errors beside the fields and the rest above them', () => {
    const error = new ApiError(400, {
      title: '延期申请填写有误',
      errors: {
        newDueDate: ['新的完成时限应晚于当前时限（2026年3月3日）'],
        Reason: ['延期理由不能超过 2000 字'],
        other: ['别的问题'],
      },
    });
    const split = splitProblem(error, ['reason', 'newDueDate']);
    expect(split.fields).toEqual({
      newDueDate: ['新的完成时限应晚于当前时限（2026年3月3日）'],
      reason: ['延期理由不能超过 2000 字'],
    });
    expect(split.general).toEqual(['延期申请填写有误', '别的问题']);
  });

  it('shows a refusal without fields as the message itself', () => {
    const split = splitProblem(new ApiError(409, { status: 409, detail: '你单位已有待审批的延期申请' }), ['reason']);
    expect(split).toEqual({ fields: {}, general: ['你单位已有待审批的延期申请'] });
  });

  it('strips a prefix the server puts on record fields', () => {
    const error = new ApiError(400, {
      title: '电话催办记录填写有误，请检查标出的字段',
      errors: { 'record.calledAt': ['「通话时间」为必填项'] },
    });
    expect(splitProblem(error, ['calledAt'], 'record.').fields).toEqual({ calledAt: ['「通话时间」为必填项'] });
  });

  it('names a network failure', () => {
    expect(splitProblem(new ApiError(0), []).general).toEqual(['无法连接服务器，请检查网络后重试']);
  });
});

describe('延期申请', () => {
  it('shows the panel when there is a request, when the user may ask, or when a refusal must be read', () => {
    const none: ItemExtensions = { eligibility, requests: [] };
    expect(showExtensionPanel(null)).toBe(false);
    expect(showExtensionPanel(none)).toBe(false);
    expect(
      showExtensionPanel({
        eligibility: { ...eligibility, canRequest: true, deadline: '2026-03-03T15:59:59Z' },
        requests: [],
      }),
    ).toBe(true);
    expect(
      showExtensionPanel({
        eligibility: { ...eligibility, deadline: '2026-03-03T15:59:59Z', reason: '已超过办理时限', late: true },
        requests: [],
      }),
    ).toBe(true);
    expect(showExtensionPanel({ eligibility, requests: [extension()] })).toBe(true);
  });

  it('lists what the user may decide', () => {
    const data = {
      eligibility,
      requests: [
        extension({ id: 'a', canDecide: true }),
        extension({ id: 'b' }),
        extension({ id: 'c', status: 'approved', canDecide: false }),
      ],
    };
    expect(decidable(data).map((r) => r.id)).toEqual(['a']);
  });
});

describe('催办', () => {
  const ladder: LadderRung[] = [
    {
      key: 'remind',
      name: '到期提醒',
      trigger: { kind: 'beforeDue', days: 2, calendarDays: false },
      actor: '督查员',
      record: null,
      notice: { title: '到期提醒', text: null, replyRequired: false, replyDays: null },
      scoreEvent: null,
    },
    {
      key: 'written',
      name: '书面督办',
      trigger: { kind: 'overdue', days: 3, calendarDays: true },
      actor: '督查员',
      record: null,
      notice: { title: '督查督办通知单', text: null, replyRequired: true, replyDays: 3 },
      scoreEvent: 'writtenNotice',
    },
    {
      key: 'accountability',
      name: '责任追究',
      trigger: { kind: 'manual', days: 0, calendarDays: false },
      actor: '领导',
      record: 'accountabilityLog',
      notice: null,
      scoreEvent: 'accountability',
    },
  ];

  it('describes triggers and effects', () => {
    expect(ladder.map(rungTriggerText)).toEqual(['到期前 2 个工作日', '逾期 3 天', '手动发起']);
    expect(rungTriggerText({ ...ladder[1], trigger: { kind: 'overdue', days: 0, calendarDays: false } })).toBe(
      '逾期即触发',
    );
    expect(rungEffects(ladder[1])).toEqual(['向被催办单位发送《督查督办通知单》，须书面回复']);
    expect(rungEffects(ladder[2], '责任追究记录')).toEqual(['登记责任追究记录']);
  });

  it('offers 督查员 every rung and a leader only the leader rungs', () => {
    expect(raisableRungs(ladder, supervisor)).toHaveLength(3);
    expect(raisableRungs(ladder, leader).map((r) => r.key)).toEqual(['accountability']);
    expect(raisableRungs(ladder, liaison)).toEqual([]);
  });

  it('says where a chase stands and whether the unit replied', () => {
    expect(chaseState(chase()).label).toBe('待登记');
    expect(chaseState(chase({ recordedAt: '2026-03-02T02:00:00Z', record: {} })).label).toBe('已完成');
    const notice = chase({ recordKind: null, actionTaskId: null, noticeTitle: '督查督办通知单', replyRequired: true });
    expect(chaseState(notice).label).toBe('待回复');
    expect(replyStatus(notice)).toBe('未回复');
    expect(replyStatus({ ...notice, repliedAt: '2026-03-03T01:00:00Z' })).toBe('已书面回复');
    expect(replyStatus(chase())).toBeNull();
    expect(chaseState(chase({ status: 'cancelled' })).label).toBe('已撤销');
  });

  it('lets the office (or the rung role) record an open chase, nobody a cancelled or recorded one', () => {
    expect(mayRecord(chase(), supervisor)).toBe(true);
    expect(mayRecord(chase(), liaison)).toBe(false);
    expect(mayRecord(chase({ actor: '领导' }), leader)).toBe(true);
    expect(mayRecord(chase({ status: 'cancelled' }), supervisor)).toBe(false);
    expect(mayRecord(chase({ recordedAt: '2026-03-02T02:00:00Z' }), supervisor)).toBe(false);
  });

  it('shows a liaison only its own unit’s chases', () => {
    const list = [chase({ id: 'a' }), chase({ id: 'b', unitId: 'jinan', unitName: '济南市司法局' })];
    expect(visibleChases(list, liaison).map((c) => c.id)).toEqual(['a']);
    expect(visibleChases(list, supervisor).map((c) => c.id)).toEqual(['a', 'b']);
    expect(visibleChases(list, leader)).toHaveLength(2);
  });

  it('writes a record as labelled lines in the form’s order, keeping unknown keys', () => {
    const form = {
      id: 'chase.phoneLog',
      name: '电话催办记录',
      fields: [
        { key: 'calledAt', label: '通话时间', type: 'text' as const },
        { key: 'personReached', label: '接听人', type: 'text' as const },
        { key: 'phone', label: '联系电话', type: 'text' as const },
      ],
    };
    expect(
      labelledValues(form, { personReached: '赵处长', calledAt: '2026-03-02 10:30', phone: '', extra: 3 }),
    ).toEqual([
      { key: 'calledAt', label: '通话时间', value: '2026-03-02 10:30' },
      { key: 'personReached', label: '接听人', value: '赵处长' },
      { key: 'extra', label: 'extra', value: '3' },
    ]);
    expect(labelledValues(form, null)).toEqual([]);
  });

  it('offers the units taking part in the item', () => {
    const units = [
      { id: 'fzc', name: '法制处' },
      { id: 'jinan', name: '济南市司法局' },
      { id: 'qingdao', name: '青岛市司法局' },
    ];
    const item = {
      openTasks: [task({ unitName: '法制处' }), task({ unitName: null })],
      assignments: [
        {
          units: [
            { unitId: 'jinan', unitName: '济南市司法局', status: 'open' },
            { unitId: 'qingdao', unitName: '青岛市司法局', status: 'removed' },
          ],
        },
      ],
    };
    expect(chaseUnitChoices(item, units, [])).toEqual([
      { id: 'jinan', name: '济南市司法局' },
      { id: 'fzc', name: '法制处' },
    ]);
    expect(chaseUnitChoices({ openTasks: [] }, units, [chase({ unitId: 'lsgz', unitName: '律师工作处' })])).toEqual([
      { id: 'lsgz', name: '律师工作处' },
    ]);
  });
});

describe('阅知情况', () => {
  it('reads the reads from the item and shows them only when there is a circulation', () => {
    expect(readsOf({})).toBeNull();
    expect(readsOf({ reads: null })).toBeNull();
    const empty = { total: 0, read: 0, unread: 0, circulations: [] };
    expect(showReads(readsOf({ reads: empty }))).toBe(false);
    const one = {
      ...empty,
      total: 1,
      unread: 1,
      circulations: [
        {
          activityId: 'c',
          activityName: '传阅',
          round: 1,
          sentAt: '',
          message: null,
          total: 1,
          read: 0,
          recipients: [],
        },
      ],
    };
    expect(showReads(readsOf({ reads: one }))).toBe(true);
  });
});
