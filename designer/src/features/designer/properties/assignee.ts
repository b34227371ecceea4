/** The assignee rule of a human step (AssigneeRule in src/Duban.Engine/Activities/Assignees.cs). */
export interface AssigneeRule {
  type: AssigneeRuleType | string;
  userIds?: string[] | null;
  role?: string | null;
  unitIds?: string[] | null;
  field?: string | null;
  [extra: string]: unknown;
}

export type AssigneeRuleType =
  | 'users'
  | 'role'
  | 'unit'
  | 'unitLeader'
  | 'initiator'
  | 'field'
  | 'previous'
  | 'fieldUnitLeader'
  | 'assignLeadLeader'
  | 'unitSupervisor'
  | 'fieldUnitSupervisor'
  | 'assignLeadSupervisor';

export const ASSIGNEE_RULE_TYPES: { value: AssigneeRuleType; label: string; help: string }[] = [
  { value: 'users', label: '指定人员', help: '由选定的人员办理' },
  { value: 'role', label: '按角色', help: '由具有该角色的人员办理（可限定单位）；单人办理时任一人认领' },
  { value: 'unit', label: '按单位', help: '由选定单位的联络员办理' },
  { value: 'unitLeader', label: '单位负责人', help: '由选定单位（未选时为发起人所在单位）的负责人办理' },
  { value: 'initiator', label: '发起人', help: '由发起该事项的人办理' },
  { value: 'field', label: '取表单字段', help: '由表单中“单位”或“人员”字段所选的单位或人员办理' },
  { value: 'previous', label: '上一步指定', help: '由上一环节的办理人在提交时选择' },
  { value: 'fieldUnitLeader', label: '表单所选单位的负责人', help: '由表单“单位”字段所选单位的主要负责人办理' },
  {
    value: 'assignLeadLeader',
    label: '交办主办单位负责人',
    help: '由最近一次交办的主办单位（含督查部门调整后）的主要负责人办理，如签字',
  },
  {
    value: 'unitSupervisor',
    label: '单位的分管领导',
    help: '由选定单位（未选时为发起人所在单位）的分管领导办理；单位未设分管领导时取其上级单位的',
  },
  { value: 'fieldUnitSupervisor', label: '表单所选单位的分管领导', help: '由表单“单位”字段所选单位的分管领导办理' },
  { value: 'assignLeadSupervisor', label: '交办主办单位的分管领导', help: '由最近一次交办的主办单位的分管领导办理' },
];

/** Rules that read a form field, and those among them that need a “单位” field. */
export const FIELD_RULES: readonly string[] = ['field', 'fieldUnitLeader', 'fieldUnitSupervisor'];
export const UNIT_FIELD_RULES: readonly string[] = ['fieldUnitLeader', 'fieldUnitSupervisor'];

/** Keeps only what a rule of `type` uses, so switching type leaves no stale ids behind. */
export function changeRuleType(rule: AssigneeRule | undefined, type: AssigneeRuleType): AssigneeRule {
  const extras = Object.fromEntries(
    Object.entries(rule ?? {}).filter(([k]) => !['type', 'userIds', 'role', 'unitIds', 'field'].includes(k)),
  );
  switch (type) {
    case 'users':
      return { ...extras, type, userIds: rule?.userIds ?? [] };
    case 'role':
      return { ...extras, type, role: rule?.role ?? null, ...(rule?.unitIds?.length ? { unitIds: rule.unitIds } : {}) };
    case 'unit':
      return { ...extras, type, unitIds: rule?.unitIds ?? [] };
    case 'unitLeader':
    case 'unitSupervisor':
      return { ...extras, type, ...(rule?.unitIds?.length ? { unitIds: rule.unitIds } : {}) };
    case 'field':
    case 'fieldUnitLeader':
    case 'fieldUnitSupervisor':
      return { ...extras, type, field: rule?.field ?? null };
    default:
      return { ...extras, type };
  }
}

/** One-line Chinese description of a rule for summaries. */
export function describeRule(
  rule: AssigneeRule | undefined,
  names: {
    unit(id: string): string | undefined;
    user(id: string): string | undefined;
    field(key: string): string | undefined;
  },
): string {
  if (!rule) return '未设置办理人';
  const units = (ids?: string[] | null) => (ids ?? []).map((id) => names.unit(id) ?? id).join('、');
  switch (rule.type) {
    case 'users':
      return `指定人员：${(rule.userIds ?? []).map((id) => names.user(id) ?? id).join('、') || '未选择'}`;
    case 'role':
      return `角色：${rule.role ?? '未选择'}${rule.unitIds?.length ? `（${units(rule.unitIds)}）` : ''}`;
    case 'unit':
      return `单位联络员：${units(rule.unitIds) || '未选择'}`;
    case 'unitLeader':
      return rule.unitIds?.length ? `单位负责人：${units(rule.unitIds)}` : '发起人所在单位负责人';
    case 'initiator':
      return '发起人';
    case 'field':
      return `表单字段：${rule.field ? (names.field(rule.field) ?? rule.field) : '未选择'}`;
    case 'previous':
      return '上一步办理人指定';
    case 'fieldUnitLeader':
      return `表单字段所选单位负责人：${rule.field ? (names.field(rule.field) ?? rule.field) : '未选择'}`;
    case 'assignLeadLeader':
      return '交办主办单位负责人';
    case 'unitSupervisor':
      return rule.unitIds?.length ? `分管领导：${units(rule.unitIds)}` : '发起人所在单位的分管领导';
    case 'fieldUnitSupervisor':
      return `表单字段所选单位的分管领导：${rule.field ? (names.field(rule.field) ?? rule.field) : '未选择'}`;
    case 'assignLeadSupervisor':
      return '交办主办单位的分管领导';
    default:
      return `规则：${rule.type}`;
  }
}
