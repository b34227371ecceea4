import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  branchLabel,
  conditionComplete,
  conditionFields,
  conditionToScript,
  describeCondition,
  evaluateCondition,
  opsFor,
  readCondition,
  scriptToCondition,
  type ConditionGroup,
} from './conditions';
import { definitionToFlow } from './convert';
import { layoutGraph } from './layout';
import type { ActivityNode, FormField, WorkflowDefinition } from './types';

const needLeader: FormField = {
  key: 'needLeader',
  label: '是否需领导审批',
  type: 'select',
  options: [
    { value: 'y', label: '是' },
    { value: 'n', label: '否' },
  ],
};
const amount: FormField = { key: 'amount', label: '涉及金额', type: 'number' };
const due: FormField = { key: 'due', label: '完成时限', type: 'date' };
const fields = [needLeader, amount, due];

describe('conditions in words', () => {
  it('says a rule with the field’s label and the option’s label, never a key or a stored value', () => {
    const group: ConditionGroup = { match: 'all', rules: [{ field: 'needLeader', op: 'eq', value: 'y' }] };
    expect(describeCondition(group, fields)).toBe('是否需领导审批 等于 是');
  });

  it('joins groups with 并且 / 或者 and brackets nested groups', () => {
    const group: ConditionGroup = {
      match: 'all',
      rules: [
        { field: 'needLeader', op: 'eq', value: 'y' },
        {
          match: 'any',
          rules: [
            { field: 'amount', op: 'gt', value: 10000 },
            { field: 'due', op: 'before', value: '2026-03-31' },
          ],
        },
      ],
    };
    expect(describeCondition(group, fields)).toBe(
      '是否需领导审批 等于 是 并且 （涉及金额 大于 10000 或者 完成时限 早于 2026-03-31）',
    );
    expect(
      describeCondition({ match: 'any', rules: [{ field: 'needLeader', op: 'in', value: ['y', 'n'] }] }, fields),
    ).toBe('是否需领导审批 属于 是、否');
    expect(describeCondition({ match: 'all', rules: [{ field: 'amount', op: 'empty' }] }, fields)).toBe(
      '涉及金额 为空',
    );
  });

  it('names units and people through the directory', () => {
    const unit: FormField = { key: 'lead', label: '主办单位', type: 'unit' };
    const words = describeCondition(
      { match: 'all', rules: [{ field: 'lead', op: 'eq', value: 'fzc' }] },
      [unit],
      (f, v) => (f.type === 'unit' && v === 'fzc' ? '法制处' : undefined),
    );
    expect(words).toBe('主办单位 等于 法制处');
  });

  it('offers the operators that fit the field', () => {
    expect(opsFor(needLeader)).toEqual(['eq', 'ne', 'in', 'empty', 'notEmpty']);
    expect(opsFor(amount)).toContain('gt');
    expect(opsFor(amount)).not.toContain('before');
    expect(opsFor(due)).toEqual(['before', 'after', 'eq', 'empty', 'notEmpty']);
  });

  it('knows an unfinished condition', () => {
    expect(conditionComplete({ match: 'all', rules: [{ field: 'needLeader', op: 'eq' }] })).toBe(false);
    expect(conditionComplete({ match: 'all', rules: [{ field: 'amount', op: 'notEmpty' }] })).toBe(true);
    expect(conditionComplete({ match: 'all', rules: [{ field: 'needLeader', op: 'in', value: [] }] })).toBe(false);
  });

  it('turns into a script that means the same when switched to 高级', () => {
    const group: ConditionGroup = {
      match: 'all',
      rules: [
        { field: 'needLeader', op: 'eq', value: 'y' },
        {
          match: 'any',
          rules: [
            { field: 'amount', op: 'gt', value: 10000 },
            { field: 'level', op: 'in', value: ['省级'] },
          ],
        },
      ],
    };
    const script = conditionToScript(group);
    expect(script).toBe('(item.needLeader === "y" && (item.amount > 10000 || ["省级"].includes(item.level)))');
    const run = (item: Record<string, unknown>) => new Function('item', `return ${script};`)(item) as boolean;
    expect(run({ needLeader: 'y', amount: 20000 })).toBe(true);
    expect(run({ needLeader: 'y', amount: 5, level: '省级' })).toBe(true);
    expect(run({ needLeader: 'n', amount: 20000 })).toBe(false);
  });

  it('lists each form field once, leaving out sub-tables, files and opinions', () => {
    const keys = conditionFields({
      forms: [
        { id: 'a', name: 'A', fields: [needLeader, { key: 'rows', label: '分解表', type: 'table' }] },
        {
          id: 'b',
          name: 'B',
          fields: [{ ...needLeader, label: '重复' }, amount, { key: 'op', label: '意见', type: 'opinion' }],
        },
      ],
    }).map((f) => f.label);
    expect(keys).toEqual(['是否需领导审批', '涉及金额']);
  });
});

const decision: ActivityNode = {
  id: 'check',
  type: 'Duban.Decision',
  name: '需领导审批？',
  condition: {
    typeName: 'Boolean',
    expression: { type: 'Condition', value: { match: 'all', rules: [{ field: 'needLeader', op: 'eq', value: 'y' }] } },
  },
};

function branchDefinition(): WorkflowDefinition {
  return {
    definitionId: 'b',
    name: '分支',
    forms: [{ id: 'reg', name: '登记', fields: [needLeader] }],
    root: {
      activities: [
        { id: 'start', type: 'Duban.Start', name: '开始' },
        decision,
        { id: 'leader', type: 'Duban.UserTask', name: '领导审批' },
        { id: 'office', type: 'Duban.UserTask', name: '办公室办理' },
        { id: 'end', type: 'Duban.End', name: '办结' },
      ],
      // 否 listed first: the layout must still put the 是 branch on the left, under the 是 port.
      connections: [
        { source: { activity: 'start', port: 'Done' }, target: { activity: 'check' } },
        { source: { activity: 'check', port: 'False' }, target: { activity: 'office' } },
        { source: { activity: 'check', port: 'True' }, target: { activity: 'leader' } },
        { source: { activity: 'leader', port: '提交' }, target: { activity: 'end' } },
        { source: { activity: 'office', port: '提交' }, target: { activity: 'end' } },
      ],
    },
  };
}

describe('branches on the canvas', () => {
  it('label each line out of a condition with its words', () => {
    expect(branchLabel(decision, 'True', fields)).toBe('是：是否需领导审批 等于 是');
    expect(branchLabel(decision, 'False', fields)).toBe('否');
    const flow = definitionToFlow(branchDefinition());
    const label = (target: string) => flow.edges.find((e) => e.source === 'check' && e.target === target)?.data?.label;
    expect(label('leader')).toBe('是：是否需领导审批 等于 是');
    expect(label('office')).toBe('否');
    expect(flow.edges.find((e) => e.source === 'start')?.data?.label).toBeUndefined();
  });

  it('says a switch case’s condition and 其他情况 for its default', () => {
    const node: ActivityNode = {
      id: 's',
      type: 'Duban.Switch',
      cases: {
        typeName: 'Object',
        expression: {
          type: 'Literal',
          value: [
            {
              label: '大额',
              condition: {
                type: 'Condition',
                value: { match: 'all', rules: [{ field: 'amount', op: 'gte', value: 10000 }] },
              },
            },
            { label: '旧', condition: "item.level === '省级'" },
          ],
        },
      },
    };
    expect(branchLabel(node, '大额', fields)).toBe('大额：涉及金额 不小于 10000');
    expect(branchLabel(node, '旧', fields)).toBe('旧：level 等于 省级');
    expect(branchLabel(node, 'Default', fields)).toBe('其他情况');
  });

  it('reads a plain comparison script as the condition it means, and leaves anything else a script', () => {
    expect(scriptToCondition("item.needLeader === 'y'")).toEqual({
      match: 'all',
      rules: [{ field: 'needLeader', op: 'eq', value: 'y' }],
    });
    expect(scriptToCondition("item.a !== 'x' || item.amount == 3")).toEqual({
      match: 'any',
      rules: [
        { field: 'a', op: 'ne', value: 'x' },
        { field: 'amount', op: 'eq', value: 3 },
      ],
    });
    expect(describeCondition(scriptToCondition("item.needLeader === 'y'"), fields)).toBe('是否需领导审批 等于 是');
    for (const script of [
      "item.satisfaction === 'dissatisfied' && !vars.redone",
      'item.amount > 10000',
      "(item.a === 'x')",
      "item.a === 'x' && item.b === 'y' || item.c === 'z'",
      'vars.count === 1',
    ])
      expect(scriptToCondition(script), script).toBeUndefined();
  });

  it('lays the 是 branch out on the left and the 否 branch on the right, whatever order the connections have', () => {
    const { nodes } = definitionToFlow(branchDefinition());
    const x = (id: string) => nodes.find((n) => n.id === id)!.position.x;
    expect(x('leader')).toBeLessThan(x('office'));
  });

  it('moves the 是 branch clear to the left when 否 goes straight to a node the 是 branch also reaches', () => {
    const definition = branchDefinition();
    definition.root.activities = definition.root.activities.filter((a) => a.id !== 'office');
    definition.root.connections = [
      { source: { activity: 'start', port: 'Done' }, target: { activity: 'check' } },
      { source: { activity: 'check', port: 'False' }, target: { activity: 'end' } },
      { source: { activity: 'check', port: 'True' }, target: { activity: 'leader' } },
      { source: { activity: 'leader', port: '提交' }, target: { activity: 'end' } },
    ];
    const { nodes } = definitionToFlow(definition);
    const node = (id: string) => nodes.find((n) => n.id === id)!;
    const centre = (id: string) => node(id).position.x + node(id).width! / 2;
    // The 否 line runs down from the right half of 条件判断 to 办结: 领导审批 lies wholly left of it.
    expect(node('leader').position.x + node('leader').width!).toBeLessThan(centre('end'));
    expect(centre('leader')).toBeLessThan(centre('check'));
  });

  it('keeps port order when dagre alone would cross the branches', () => {
    const nodes = ['d', 'a', 'b'].map((id) => ({ id, width: 100, height: 50 }));
    // Edges given 否 first, as an import might.
    const edges = [
      { source: 'd', target: 'b', sourceHandle: 'False' },
      { source: 'd', target: 'a', sourceHandle: 'True' },
    ];
    const placed = layoutGraph(nodes, edges, (id) => (id === 'd' ? ['True', 'False'] : undefined));
    expect(placed.get('a')!.x).toBeLessThan(placed.get('b')!.x);
  });
});

describe('the browser evaluates a built condition as the engine does', () => {
  // One table for both sides: tests/Duban.Engine.Tests/Expressions/ConditionCasesTests.cs reads the same file.
  const table = JSON.parse(
    readFileSync(resolve(process.cwd(), '../tests/Duban.Engine.Tests/Expressions/condition-cases.json'), 'utf8'),
  ) as { data: Record<string, unknown>; cases: { name: string; condition: unknown; expected: boolean }[] };

  it.each(table.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const condition = readCondition(c.condition);
    expect(condition).toBeDefined();
    expect(evaluateCondition(condition!, table.data)).toBe(c.expected);
  });
});
