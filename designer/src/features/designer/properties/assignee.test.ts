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
