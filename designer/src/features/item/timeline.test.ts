import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../api/types';
import { describe as describeEntry, statusOf, timelineLines } from './timeline';

function entry(overrides: Partial<TimelineEntry>): TimelineEntry {
  return {
    id: 1,
    kind: 'taskCompleted',
    at: '2026-03-01T01:00:00Z',
    activityId: 'review',
    activityName: '审核',
    round: 1,
    actorId: 'u',
    actorName: '王督查',
    taskId: 't',
    outcome: null,
    comment: null,
    data: null,
    ...overrides,
  };
}

describe('办理过程', () => {
  it('says an item was filed away (立卷归档, decision 047)', () => {
    const line = describeEntry(
      entry({
        kind: 'itemArchived',
        activityId: null,
        activityName: null,
        actorName: '李厅长',
        comment: '立卷归档：事项已归档，不能再修改',
      }),
    );
    expect(line.title).toBe('立卷归档');
    expect(line.detail).toBe('立卷归档：事项已归档，不能再修改');
  });

  it('says an administrator took the item out of the archive, and why (撤销归档, decision 048)', () => {
    const line = describeEntry(
      entry({
        kind: 'itemUnarchived',
        activityId: null,
        activityName: null,
        actorName: '系统管理员',
        comment: '撤销归档：领导要求补充材料',
        data: { reason: '领导要求补充材料' },
      }),
    );
    expect(line.title).toBe('撤销归档');
    expect(line.detail).toBe('领导要求补充材料');
  });

  it('says who was let into or taken off a confidential item (decision 037)', () => {
    expect(
      describeEntry(
        entry({
          kind: 'readersChanged',
          activityId: null,
          activityName: '知悉范围',
          comment: '调整知悉范围',
          data: {
            restricted: true,
            added: [{ kind: 'user', id: 'u2', name: '赵督查' }],
            removed: [
              { kind: 'user', id: 'u3', name: '李厅长' },
              { kind: 'unit', id: 'jinan', name: '济南市司法局' },
            ],
          },
        }),
      ),
    ).toMatchObject({
      title: '调整知悉范围',
      detail: '加入：赵督查；移出：李厅长、济南市司法局',
      actor: '王督查',
      color: 'orange',
    });
  });

  it('reads each kind of journal line as a person would', () => {
    expect(describeEntry(entry({ kind: 'instanceStarted' })).title).toBe('发起事项');
    expect(describeEntry(entry({ outcome: '通过', round: 2 }))).toMatchObject({
      title: '「审核」（第2轮）通过',
      color: 'green',
      actor: '王督查',
    });
    expect(describeEntry(entry({ outcome: '退回', comment: '材料不全' }))).toMatchObject({
      title: '「审核」退回',
      color: 'red',
      detail: '材料不全',
    });
    // An outcome the designer marked as sending back, counted in 考核 against the judged unit.
    expect(
      describeEntry(
        entry({
          outcome: '复办',
          comment: '数据不实',
          data: {
            sendsBack: true,
            scoreEvent: 'own-1',
            judgedUnit: 'fzc',
            judgedUnitName: '法制处',
            scoreEventName: '报送质量差',
          },
        }),
      ),
    ).toMatchObject({ title: '「审核」复办', color: 'red', detail: '数据不实；计入考核：法制处「报送质量差」' });
    expect(describeEntry(entry({ kind: 'taskReturned', data: { to: 'handle', toName: '承办' } })).title).toBe(
      '「审核」退回到「承办」',
    );
    expect(
      describeEntry(entry({ kind: 'taskCreated', activityName: '承办', data: { assigneeName: '法制处' } })),
    ).toMatchObject({
      title: '「承办」送达 法制处',
      actor: null,
    });
    expect(describeEntry(entry({ kind: 'childStarted', data: { title: '济南的任务' } })).title).toBe(
      '分解子事项「济南的任务」',
    );
    expect(describeEntry(entry({ kind: 'instanceCompleted', outcome: '办结' })).title).toBe('事项办结：办结');
  });

  it('hides bookkeeping lines unless asked for', () => {
    const entries = [
      entry({ kind: 'activityStarted' }),
      entry({ id: 2, outcome: '通过' }),
      entry({ id: 3, kind: 'activityCompleted', outcome: 'Done' }),
    ];
    expect(timelineLines(entries).map((l) => l.id)).toEqual([2]);
    expect(timelineLines(entries, true).map((l) => l.title)).toEqual(['「审核」开始', '「审核」通过', '「审核」完成']);
  });

  it('names the item’s status', () => {
    expect(statusOf({ status: 'suspended' }).label).toBe('办理中');
    expect(statusOf({ status: 'completed' }).label).toBe('已办结');
    expect(statusOf({ status: 'faulted' }).label).toBe('运行异常');
    expect(statusOf({ status: 'cancelled', result: '已撤销' }).label).toBe('已撤销');
    expect(statusOf({ status: 'cancelled', result: '已撤回' }).label).toBe('已撤回');
  });
});

describe('延期申请与催办', () => {
  it('reads extension lines with the unit and the new date, and keeps chases with the system lines', () => {
    const data = {
      unitName: '法制处',
      from: '2026-03-03T15:59:59+00:00',
      to: '2026-04-03T15:59:59+00:00',
      stage: '督查部门审核',
    };
    expect(
      describeEntry(entry({ kind: 'extensionRequested', activityName: '延期申请', data, comment: '需协调' })),
    ).toMatchObject({
      title: '法制处申请延期至 2026年4月3日',
      detail: '需协调',
      system: false,
    });
    expect(describeEntry(entry({ kind: 'extensionApproved', data })).title).toBe('批准法制处延期至 2026年4月3日');
    expect(describeEntry(entry({ kind: 'extensionStageApproved', data })).title).toBe(
      '同意法制处延期（督查部门审核），待下一级审批',
    );
    expect(describeEntry(entry({ kind: 'extensionRejected', data }))).toMatchObject({
      title: '驳回法制处的延期申请',
      color: 'red',
    });
    expect(
      describeEntry(
        entry({ kind: 'deadlineExtended', activityName: '交办', data: { ...data, unitName: '济南市司法局' } }),
      ).title,
    ).toBe('济南市司法局「交办」期限由 2026年3月3日 延至 2026年4月3日');
    expect(
      describeEntry(entry({ kind: 'chased', activityName: '电话催办', outcome: '手动', data: { unitName: '法制处' } })),
    ).toMatchObject({
      title: '法制处电话催办（手动）',
      system: true,
    });
  });
});

describe('撤回、委派、加签与代理', () => {
  it('says who took back, delegated, added or removed whom, and on whose behalf', () => {
    expect(describeEntry(entry({ kind: 'taskRecalled', data: { cancelled: ['sign'] } }))).toMatchObject({
      title: '「审核」撤回办理，重新办理',
      actor: '王督查',
      system: false,
    });
    expect(describeEntry(entry({ kind: 'instanceWithdrawn', comment: '重复登记' }))).toMatchObject({
      title: '发起人撤回事项',
      detail: '重复登记',
      color: 'red',
    });
    expect(describeEntry(entry({ kind: 'taskDelegated', data: { to: 'u2', toName: '李科长' } })).title).toBe(
      '「审核」委派给 李科长',
    );
    expect(describeEntry(entry({ kind: 'delegationReturned', comment: '已核实', actorName: '李科长' }))).toMatchObject({
      title: '「审核」委派办理完毕，交还委派人',
      actor: '李科长',
      detail: '已核实',
    });
    expect(describeEntry(entry({ kind: 'signerAdded', data: { userId: 'u3', userName: '赵处长' } })).title).toBe(
      '「审核」加签 赵处长',
    );
    expect(describeEntry(entry({ kind: 'signerRemoved', data: { taskId: 't3', userName: '赵处长' } })).title).toBe(
      '「审核」减签 赵处长',
    );
    expect(describeEntry(entry({ kind: 'signerRemoved', data: { taskId: 't3' } })).title).toBe('「审核」减签');
    // A deputy's line: the server names him with his principal.
    expect(
      describeEntry(entry({ outcome: '同意', actorName: '赵处长（代李厅长）', data: { onBehalfOfName: '李厅长' } })),
    ).toMatchObject({ title: '「审核」同意', actor: '赵处长（代李厅长）' });
  });
});
