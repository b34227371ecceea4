import type { FormDefinition, FormField } from '../forms/types';
import { getExpression, getLiteral } from './inputs';
import type { ActivityNode, JsonValue, WorkflowDefinition } from './types';

/**
 * A condition built by clicking, as the engine reads it (src/Duban.Engine/Expressions/Condition.cs): a group of rules
 * joined by AND (`all`) or OR (`any`), each rule a form field, an operator and a value, or a nested group. Stored in
 * Elsa's expression shape: `{ type: 'Condition', value: ConditionGroup }`.
 */
export interface ConditionRule {
  field: string;
  op: ConditionOp | '';
  value?: JsonValue;
}

export interface ConditionGroup {
  match: 'all' | 'any';
  rules: ConditionNode[];
}

export type ConditionNode = ConditionRule | ConditionGroup;

export type ConditionOp =
  'eq' | 'ne' | 'contains' | 'in' | 'gt' | 'lt' | 'gte' | 'lte' | 'before' | 'after' | 'empty' | 'notEmpty';

export const CONDITION_EXPRESSION = 'Condition';

/** Operator names, as the engine's ConditionOps.Names. */
export const OP_LABELS: Record<ConditionOp, string> = {
  eq: '等于',
  ne: '不等于',
  contains: '包含',
  in: '属于',
  gt: '大于',
  lt: '小于',
  gte: '不小于',
  lte: '不大于',
  before: '早于',
  after: '晚于',
  empty: '为空',
  notEmpty: '不为空',
};

export const isGroup = (node: ConditionNode): node is ConditionGroup =>
  typeof node === 'object' && node !== null && Array.isArray((node as ConditionGroup).rules);

export const unaryOp = (op: string) => op === 'empty' || op === 'notEmpty';

/** What a field can be compared with, by its type. */
export type FieldKind = 'choice' | 'multiChoice' | 'number' | 'date' | 'boolean' | 'unit' | 'person' | 'text' | 'other';

export function fieldKind(field: FormField): FieldKind {
  switch (field.type) {
    case 'select':
    case 'radio':
      return 'choice';
    case 'multiSelect':
      return 'multiChoice';
    case 'checkbox':
      return field.options?.length ? 'multiChoice' : 'boolean';
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'unit':
      return 'unit';
    case 'person':
      return 'person';
    case 'text':
    case 'textarea':
    case 'computed':
      return 'text';
    default:
      return 'other';
  }
}

/** The operators offered for a field, in the order the menu shows them. */
export function opsFor(field: FormField | undefined): ConditionOp[] {
  if (!field) return ['eq', 'ne', 'empty', 'notEmpty'];
  switch (fieldKind(field)) {
    case 'choice':
      return ['eq', 'ne', 'in', 'empty', 'notEmpty'];
    case 'multiChoice':
      return ['contains', 'in', 'empty', 'notEmpty'];
    case 'number':
      return ['eq', 'ne', 'gt', 'lt', 'gte', 'lte', 'empty', 'notEmpty'];
    case 'date':
      return ['before', 'after', 'eq', 'empty', 'notEmpty'];
    case 'boolean':
      return ['eq'];
    case 'unit':
    case 'person':
      return field.multiple ? ['contains', 'in', 'empty', 'notEmpty'] : ['eq', 'ne', 'in', 'empty', 'notEmpty'];
    case 'text':
      return ['eq', 'ne', 'contains', 'empty', 'notEmpty'];
    default:
      return ['empty', 'notEmpty'];
  }
}

/** The fields a condition can test: every field of the procedure's forms, once per key (sub-tables and files left out). */
export function conditionFields(definition: Pick<WorkflowDefinition, 'forms'>): FormField[] {
  const seen = new Map<string, FormField>();
  for (const form of (definition.forms ?? []) as FormDefinition[])
    for (const field of form.fields ?? [])
      if (!seen.has(field.key) && field.type !== 'table' && field.type !== 'attachments' && field.type !== 'opinion')
        seen.set(field.key, field);
  return [...seen.values()];
}

/** Reads a stored condition group; undefined when the value is not one. */
export function readCondition(value: unknown): ConditionGroup | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.rules)) return { match: o.match === 'any' ? 'any' : 'all', rules: o.rules as ConditionNode[] };
  if (typeof o.field === 'string') return { match: 'all', rules: [o as unknown as ConditionRule] };
  return undefined;
}

export const emptyCondition = (): ConditionGroup => ({ match: 'all', rules: [{ field: '', op: '' }] });

/** Names a value as the person reading the canvas knows it: an option by its label, a unit or person by its name. */
export type NameOf = (field: FormField, value: string) => string | undefined;

function valueWords(field: FormField | undefined, value: JsonValue | undefined, nameOf?: NameOf): string {
  if (Array.isArray(value)) return value.map((v) => valueWords(field, v, nameOf)).join('、');
  if (value === undefined || value === null || value === '') return '（未填）';
  if (typeof value === 'boolean') return value ? '是' : '否';
  const text = String(value);
  const option = field?.options?.find((o) => o.value === text);
  if (option) return option.label;
  return (field && nameOf?.(field, text)) ?? text;
}

/**
 * The condition in words, as the canvas and the panel show it: 「是否需领导审批 等于 是」, groups joined by 并且 / 或者 and
 * nested groups in brackets.
 */
export function describeCondition(
  group: ConditionNode | undefined,
  fields: readonly FormField[],
  nameOf?: NameOf,
  nested = false,
): string {
  if (!group) return '';
  if (isGroup(group)) {
    const parts = group.rules.map((r) => describeCondition(r, fields, nameOf, true)).filter((t) => t !== '');
    if (parts.length === 0) return '';
    const joined = parts.join(group.match === 'any' ? ' 或者 ' : ' 并且 ');
    return nested && parts.length > 1 ? `（${joined}）` : joined;
  }
  if (!group.field) return '';
  const field = fields.find((f) => f.key === group.field);
  const name = field?.label ?? group.field;
  const op = OP_LABELS[group.op as ConditionOp] ?? group.op;
  if (!group.op) return name;
  if (unaryOp(group.op)) return `${name} ${op}`;
  return `${name} ${op} ${valueWords(field, group.value, nameOf)}`;
}

/** Whether every rule has a field, an operator and (unless 为空/不为空) a value. */
export function conditionComplete(group: ConditionNode): boolean {
  if (isGroup(group)) return group.rules.length > 0 && group.rules.every(conditionComplete);
  if (!group.field || !group.op) return false;
  if (unaryOp(group.op)) return true;
  const v = group.value;
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

const js = (value: JsonValue | undefined): string => JSON.stringify(value ?? null);

/**
 * The same condition as a script, when an administrator switches to 「高级」: it starts from what was built. Keys that are
 * not plain names are read with brackets.
 */
export function conditionToScript(group: ConditionNode): string {
  if (isGroup(group)) {
    const parts = group.rules.map(conditionToScript).filter((p) => p !== '');
    if (parts.length === 0) return group.match === 'any' ? 'false' : 'true';
    const joined = parts.join(group.match === 'any' ? ' || ' : ' && ');
    return parts.length > 1 ? `(${joined})` : joined;
  }
  if (!group.field || !group.op) return '';
  const ref = /^[A-Za-z_$][\w$]*$/.test(group.field) ? `item.${group.field}` : `item[${js(group.field)}]`;
  const v = group.value;
  switch (group.op) {
    case 'eq':
      return `${ref} === ${js(v)}`;
    case 'ne':
      return `${ref} !== ${js(v)}`;
    case 'contains':
      return `(${ref} || []).includes(${js(v)})`;
    case 'in':
      return `${js(Array.isArray(v) ? v : [v ?? null])}.includes(${ref})`;
    case 'gt':
    case 'after':
      return `${ref} > ${js(v)}`;
    case 'lt':
    case 'before':
      return `${ref} < ${js(v)}`;
    case 'gte':
      return `${ref} >= ${js(v)}`;
    case 'lte':
      return `${ref} <= ${js(v)}`;
    case 'empty':
      return `(${ref} == null || ${ref} === '' || (Array.isArray(${ref}) && ${ref}.length === 0))`;
    case 'notEmpty':
      return `!(${ref} == null || ${ref} === '' || (Array.isArray(${ref}) && ${ref}.length === 0))`;
    default:
      return '';
  }
}

/**
 * What a connection leaving a condition node says on the canvas: 「是：是否需领导审批 等于 是」 / 「否」 for a 条件判断,
 * each case's condition for a 多路分支 (「其他情况」 for its default). A script condition (「高级」) is shown as written.
 * Undefined for connections of other nodes.
 */
export function branchLabel(
  source: ActivityNode | undefined,
  port: string,
  fields: readonly FormField[],
  nameOf?: NameOf,
): string | undefined {
  if (!source) return undefined;
  const words = (type: unknown, value: unknown): string => {
    if (type === CONDITION_EXPRESSION) return describeCondition(readCondition(value), fields, nameOf);
    if (type === 'JavaScript' && typeof value === 'string') {
      const simple = scriptToCondition(value);
      if (simple) return describeCondition(simple, fields, nameOf);
      return value.length > 40 ? `${value.slice(0, 40)}…` : value;
    }
    return '';
  };
  if (source.type === 'Duban.Decision') {
    if (port === 'False') return '否';
    if (port !== 'True') return undefined;
    const e = getExpression(source, 'condition');
    const said = e ? words(e.type, e.value) : '';
    return said ? `是：${said}` : '是';
  }
  if (source.type === 'Duban.Switch') {
    if (port === 'Default') return '其他情况';
    const cases = getLiteral(source, 'cases');
    const found = Array.isArray(cases)
      ? (cases as unknown[]).find((c) => c && typeof c === 'object' && (c as { label?: unknown }).label === port)
      : undefined;
    const condition = (found as { condition?: unknown } | undefined)?.condition;
    const said =
      typeof condition === 'string'
        ? words('JavaScript', condition)
        : condition && typeof condition === 'object'
          ? words((condition as { type?: unknown }).type, (condition as { value?: unknown }).value)
          : '';
    return said ? `${port}：${said}` : port;
  }
  return undefined;
}

/**
 * A script that is only comparisons of form fields with text or numbers (`item.category === 'handle'`, joined by all
 * `&&` or all `||`), read as the condition it means — so the shipped templates' simple scripts show as clicks and words,
 * not code. Anything else (variables, functions, brackets) stays a script: undefined.
 */
export function scriptToCondition(script: string): ConditionGroup | undefined {
  const text = script.trim();
  if (text === '' || /[()[\]{};`]/.test(text.replace(/(['"])(?:(?!\1).)*\1/g, '""'))) return undefined;
  const and = text.split(/\s*&&\s*/);
  const or = text.split(/\s*\|\|\s*/);
  if (and.length > 1 && or.length > 1) return undefined;
  const parts = and.length > 1 ? and : or;
  const rules: ConditionRule[] = [];
  for (const part of parts) {
    const m = /^item\.([A-Za-z_$][\w$]*)\s*(===|!==|==|!=)\s*(?:(['"])(.*)\3|(-?\d+(?:\.\d+)?))$/.exec(part.trim());
    if (!m) return undefined;
    const value: JsonValue = m[5] !== undefined ? Number(m[5]) : m[4];
    rules.push({ field: m[1], op: m[2].startsWith('!') ? 'ne' : 'eq', value });
  }
  return { match: or.length > 1 ? 'any' : 'all', rules };
}

// ------------------------------------------------------------------------------------------------------------
// Evaluation in the browser, by the engine's rules (src/Duban.Engine/Expressions/Condition.cs ConditionEvaluator): a
// form's 显示条件 shows and hides fields while the form is filled, and the server validates with the same answer. Both
// sides are held to one table of cases (tests/Duban.Engine.Tests/Expressions/condition-cases.json).

type Data = Readonly<Record<string, unknown>>;

function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A number, or text that reads as one (the engine's NumberStyles.Number: sign, digits with group commas, a point). */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$/.test(text) || !/\d/.test(text)) return undefined;
  return Number(text.replace(/,/g, ''));
}

/** A date (yyyy-MM-dd, the start of the day in China) or a moment, as milliseconds. */
function dateOf(value: unknown): number | undefined {
  const text = textOf(value);
  if (!text || text.length < 10) return undefined;
  if (text.length === 10) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
    const ms = Date.parse(`${text}T00:00:00+08:00`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function equalValues(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) || isEmptyValue(b)) return isEmptyValue(a) && isEmptyValue(b);
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== undefined && y !== undefined) return x === y;
  const s = textOf(a);
  const t = textOf(b);
  return s !== undefined && t !== undefined && s === t;
}

/** Numbers, else dates; undefined when the two cannot be ordered. */
function order(a: unknown, b: unknown): number | undefined {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== undefined && y !== undefined) return Math.sign(x - y);
  const d = dateOf(a);
  const e = dateOf(b);
  if (d !== undefined && e !== undefined) return Math.sign(d - e);
  return undefined;
}

function containsValue(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((x) => equalValues(x, expected));
  const part = textOf(expected);
  return typeof actual === 'string' && part !== undefined && part.length > 0 && actual.includes(part);
}

/** One rule's comparison, as the engine's ConditionEvaluator.Compare. */
export function compareValues(actual: unknown, op: string, expected: unknown): boolean {
  switch (op) {
    case 'empty':
      return isEmptyValue(actual);
    case 'notEmpty':
      return !isEmptyValue(actual);
    case 'eq':
      return equalValues(actual, expected);
    case 'ne':
      return !equalValues(actual, expected);
    case 'contains':
      return containsValue(actual, expected);
    case 'in':
      return (
        Array.isArray(expected) &&
        (Array.isArray(actual)
          ? actual.some((v) => expected.some((o) => equalValues(v, o)))
          : expected.some((o) => equalValues(actual, o)))
      );
    case 'gt':
    case 'after': {
      const c = order(actual, expected);
      return c !== undefined && c > 0;
    }
    case 'lt':
    case 'before': {
      const c = order(actual, expected);
      return c !== undefined && c < 0;
    }
    case 'gte': {
      const c = order(actual, expected);
      return c !== undefined && c >= 0;
    }
    case 'lte': {
      const c = order(actual, expected);
      return c !== undefined && c <= 0;
    }
    default:
      throw new Error(`不支持的条件运算「${op}」`);
  }
}

/** Whether the condition holds on the data: an empty AND holds, an empty OR does not; a missing field is empty. */
export function evaluateCondition(node: ConditionNode, data: Data): boolean {
  if (isGroup(node)) {
    const rules = node.rules.filter((r) => r !== null && r !== undefined);
    return node.match === 'any'
      ? rules.some((r) => evaluateCondition(r, data))
      : rules.every((r) => evaluateCondition(r, data));
  }
  const actual = node.field ? data[node.field] : undefined;
  return compareValues(actual, node.op, node.value);
}
