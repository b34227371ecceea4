import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema';
import { operationItems } from './TaskOperations';

type Operations = components['schemas']['TaskOperationsView'];

const none: Operations = {
  canRecall: false,
  canWithdrawItem: false,
  canDelegate: false,
  delegation: null,
  signers: null,
  onBehalfOf: null,
};

describe('operationItems', () => {
  it('offers nothing when nothing is allowed', () => {
    expect(operationItems(none)).toEqual([]);
  });

  it('offers 撤回 and 委派 when allowed', () => {
    expect(operationItems({ ...none, canRecall: true, canDelegate: true }).map((i) => i.label)).toEqual([
      '撤回',
      '委派',
    ]);
  });

  it('offers 减签 only when a member can be removed, and names units on a 交办', () => {
    const member = {
      taskId: 't1',
      userId: null,
      unitId: 'fzc',
      name: '法制处（协办）',
      status: 'open',
      canRemove: false,
    };
    const signers = { kind: 'assign', mode: null, canChange: true, members: [member] };
    expect(operationItems({ ...none, signers }).map((i) => i.label)).toEqual(['增加协办单位（加签）']);
    const removable = { ...signers, members: [{ ...member, canRemove: true }] };
    expect(operationItems({ ...none, signers: removable }).map((i) => i.label)).toEqual([
      '增加协办单位（加签）',
      '移除协办单位（减签）',
    ]);
  });

  it('lets a delegate hand the task back', () => {
    const delegation = { delegatorName: '张联络', delegateName: '赵处长', isDelegate: true, returned: null };
    expect(operationItems({ ...none, delegation }).map((i) => i.label)).toEqual(['交还委派人']);
  });
});
