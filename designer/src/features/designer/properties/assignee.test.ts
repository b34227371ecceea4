import { describe, expect, it } from 'vitest';
import { changeRuleType, describeRule } from './assignee';

const names = {
  unit: (id: string) => ({ fzc: '法制处' })[id],
  user: () => undefined,
  field: (key: string) => ({ leadUnit: '主办单位' })[key],
};

describe('办理人规则：单位负责人', () => {
  it('keeps the field when switching to the head of the unit in a field, and describes both head rules', () => {
    expect(changeRuleType({ type: 'field', field: 'leadUnit' }, 'fieldUnitLeader')).toEqual({
      type: 'fieldUnitLeader',
      field: 'leadUnit',
    });
    expect(describeRule({ type: 'fieldUnitLeader', field: 'leadUnit' }, names)).toBe(
      '表单字段所选单位负责人：主办单位',
    );
    expect(describeRule(changeRuleType({ type: 'unit', unitIds: ['fzc'] }, 'assignLeadLeader'), names)).toBe(
      '交办主办单位负责人',
    );
  });
});

describe('办理人规则：分管领导', () => {
  it('keeps the units or the field when switching to a 分管领导 rule, and describes the three', () => {
    expect(changeRuleType({ type: 'unit', unitIds: ['fzc'] }, 'unitSupervisor')).toEqual({
      type: 'unitSupervisor',
      unitIds: ['fzc'],
    });
    expect(describeRule({ type: 'unitSupervisor', unitIds: ['fzc'] }, names)).toBe('分管领导：法制处');
    expect(describeRule({ type: 'unitSupervisor' }, names)).toBe('发起人所在单位的分管领导');
    expect(changeRuleType({ type: 'field', field: 'leadUnit' }, 'fieldUnitSupervisor')).toEqual({
      type: 'fieldUnitSupervisor',
      field: 'leadUnit',
    });
    expect(describeRule({ type: 'fieldUnitSupervisor', field: 'leadUnit' }, names)).toBe(
      '表单字段所选单位的分管领导：主办单位',
    );
    expect(describeRule(changeRuleType({ type: 'unit', unitIds: ['fzc'] }, 'assignLeadSupervisor'), names)).toBe(
      '交办主办单位的分管领导',
    );
  });
});
