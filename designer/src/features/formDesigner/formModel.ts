import type { FieldOption, FormDefinition, FormField } from '../../shared/forms/types';
import { itemFieldsAfterKeys } from './itemFields';
import {
  readCondition,
  scriptToCondition,
  type ActivityNode,
  type ConditionRule,
  type JsonValue,
  type WorkflowDefinition,
} from '../../shared/flow';
import type { ConditionValue } from '../designer/properties/ConditionEditor';
import { getLiteral, setLiteral } from '../../shared/flow/inputs';
import { FIELD_RULES } from '../designer/properties/assignee';

/** The field types a form designer offers (FieldTypes in the engine), with their Chinese names. */
export const FIELD_TYPE_INFO: { type: string; label: string; group: '基础' | '选择' | '组织' | '高级' }[] = [
  { type: 'text', label: '单行文本', group: '基础' },
  { type: 'textarea', label: '多行文本', group: '基础' },
  { type: 'number', label: '数字', group: '基础' },
  { type: 'date', label: '日期', group: '基础' },
  { type: 'dateRange', label: '日期范围', group: '基础' },
  { type: 'select', label: '下拉单选', group: '选择' },
  { type: 'multiSelect', label: '下拉多选', group: '选择' },
  { type: 'radio', label: '单选按钮', group: '选择' },
  { type: 'checkbox', label: '复选框', group: '选择' },
  { type: 'unit', label: '单位', group: '组织' },
  { type: 'person', label: '人员', group: '组织' },
  { type: 'attachments', label: '附件', group: '高级' },
  { type: 'table', label: '子表格', group: '高级' },
  { type: 'opinion', label: '意见', group: '高级' },
  { type: 'computed', label: '计算字段', group: '高级' },
];

export function fieldTypeLabel(type: string): string {
  return FIELD_TYPE_INFO.find((t) => t.type === type)?.label ?? type;
}

export const OPTION_TYPES = new Set(['select', 'multiSelect', 'radio', 'checkbox']);
export const LENGTH_TYPES = new Set(['text', 'textarea', 'opinion']);
export const PATTERN_TYPES = new Set(['text', 'textarea']);
export const RANGE_TYPES = new Set(['number']);
export const MULTIPLE_TYPES = new Set(['unit', 'person']);

export const FIELD_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A key unique among `taken`: the type name then a number (text1, select2 …). */
/** The default limit of a single-line text field (FormValidator.TextMaxLength on the server). */
export const TEXT_MAX_LENGTH = 200;

export function newFieldKey(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stem = type.replace(/[^A-Za-z0-9_]/g, '') || 'field';
  for (let n = 1; ; n++) if (!used.has(`${stem}${n}`)) return `${stem}${n}`;
}

/** A new field of `type` with what it needs to be valid (options for choices, a column for a table …). */
export function newField(type: string, taken: Iterable<string>): FormField {
  const key = newFieldKey(type, taken);
  const field: FormField = { key, label: fieldTypeLabel(type), type };
  if (type === 'select' || type === 'multiSelect' || type === 'radio') {
    field.options = [
      { value: 'option1', label: '选项1' },
      { value: 'option2', label: '选项2' },
    ];
  }
  // Single-line text has a limit like any input box; the server applies the same 200 when none is set (decision 029).
  if (type === 'text') field.maxLength = TEXT_MAX_LENGTH;
  if (type === 'table') field.columns = [{ key: 'text1', label: '内容', type: 'text' }];
  if (type === 'computed') field.compute = '';
  return field;
}

export function addField(
  form: FormDefinition,
  type: string,
  index = form.fields.length,
): { form: FormDefinition; key: string } {
  const field = newField(
    type,
    form.fields.map((f) => f.key),
  );
  const fields = [...form.fields];
  fields.splice(Math.max(0, Math.min(index, fields.length)), 0, field);
  return { form: { ...form, fields }, key: field.key };
}

export function moveField(form: FormDefinition, from: number, to: number): FormDefinition {
  if (from === to || from < 0 || from >= form.fields.length) return form;
  const fields = [...form.fields];
  const [moved] = fields.splice(from, 1);
  fields.splice(Math.max(0, Math.min(to, fields.length)), 0, moved);
  return { ...form, fields };
}

export function removeField(form: FormDefinition, key: string): FormDefinition {
  return itemFieldsAfterKeys({ ...form, fields: form.fields.filter((f) => f.key !== key) });
}

/**
 * Sets properties of a field. `undefined`, `null` and '' remove a property (the engine treats absent and empty
 * alike), so the saved JSON stays small. Changing the type drops what the new type cannot use.
 */
export function updateField(form: FormDefinition, key: string, patch: Partial<FormField>): FormDefinition {
  return {
    ...form,
    fields: form.fields.map((f) => {
      if (f.key !== key) return f;
      let next: FormField = { ...f, ...patch };
      for (const [k, v] of Object.entries(patch)) {
        if (
          v === undefined ||
          v === null ||
          v === '' ||
          (k === 'required' && v === false) ||
          (k === 'multiple' && v === false)
        )
          delete (next as unknown as Record<string, unknown>)[k];
      }
      if (patch.type && patch.type !== f.type) next = fitToType(next);
      return next;
    }),
  };
}

/** Drops properties the field's type does not use, and adds what it needs. */
export function fitToType(field: FormField): FormField {
  const next: FormField = { ...field };
  const drop = (k: keyof FormField) => delete (next as unknown as Record<string, unknown>)[k as string];
  if (!OPTION_TYPES.has(next.type)) drop('options');
  else if (next.type !== 'checkbox' && !(next.options && next.options.length))
    next.options = [{ value: 'option1', label: '选项1' }];
  if (!LENGTH_TYPES.has(next.type)) {
    drop('minLength');
    drop('maxLength');
  }
  if (!PATTERN_TYPES.has(next.type)) {
    drop('pattern');
    drop('patternMessage');
  }
  if (!RANGE_TYPES.has(next.type)) {
    drop('min');
    drop('max');
  }
  if (!MULTIPLE_TYPES.has(next.type)) drop('multiple');
  if (next.type !== 'table') drop('columns');
  else if (!next.columns?.length) next.columns = [{ key: 'text1', label: '内容', type: 'text' }];
  if (next.type !== 'computed') drop('compute');
  else next.compute ??= '';
  return next;
}

/** Why `next` cannot be the field's key, or null. */
export function fieldKeyProblem(form: FormDefinition, current: string, next: string): string | null {
  if (!FIELD_KEY_PATTERN.test(next)) return '标识只能由字母、数字和下划线组成，且不能以数字开头';
  if (next !== current && form.fields.some((f) => f.key === next)) return `标识「${next}」已被其他字段使用`;
  return null;
}

/** Renames `item.<old>` / `form.<old>` references in a script. */
export function renameInScript(script: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return script
    .replace(new RegExp(`\\b(item|form)\\.${escaped}\\b`, 'g'), `$1.${to}`)
    .replace(new RegExp(`\\b(item|form)\\[(['"])${escaped}\\2\\]`, 'g'), `$1[$2${to}$2]`);
}

/**
 * Renames a field's key in the whole procedure: the form, other fields' conditions and computations, the
 * field permissions of every step using the form, and assignee rules that take people from the field.
 */
export function renameFieldKey(
  definition: WorkflowDefinition,
  formId: string,
  from: string,
  to: string,
): WorkflowDefinition {
  if (from === to) return definition;
  const forms = (definition.forms ?? []).map((form) => {
    if (form.id !== formId) return form;
    return itemFieldsAfterKeys(
      {
        ...form,
        fields: form.fields.map((f) => {
          const next: FormField = f.key === from ? { ...f, key: to } : { ...f };
          if (next.visibleWhen) next.visibleWhen = renameInScript(next.visibleWhen, from, to);
          if (next.visibleIf) next.visibleIf = renameInCondition(next.visibleIf, from, to) as FormField['visibleIf'];
          if (next.compute) next.compute = renameInScript(next.compute, from, to);
          return next;
        }),
      },
      { from, to },
    );
  });
  const activities = definition.root.activities.map((a) => renameInActivity(a, formId, from, to));
  return { ...definition, forms, root: { ...definition.root, activities } };
}

/** A built condition with the rules on `from` now on `to` (groups followed down). */
export function renameInCondition(node: unknown, from: string, to: string): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  const o = node as Record<string, unknown>;
  if (Array.isArray(o.rules)) return { ...o, rules: o.rules.map((r) => renameInCondition(r, from, to)) };
  return o.field === from ? { ...o, field: to } : o;
}

function renameInActivity(activity: ActivityNode, formId: string, from: string, to: string): ActivityNode {
  let next = activity;
  for (const [formInput, permissionInput] of [
    ['form', 'fieldPermissions'],
    ['coForm', 'coFieldPermissions'],
  ]) {
    if (getLiteral(next, formInput) !== formId) continue;
    const permissions = getLiteral<Record<string, string>>(next, permissionInput);
    if (permissions && typeof permissions === 'object' && from in permissions) {
      const renamed = Object.fromEntries(Object.entries(permissions).map(([k, v]) => [k === from ? to : k, v]));
      next = setLiteral(next, permissionInput, renamed);
    }
  }
  const rule = getLiteral<{ type?: string; field?: string }>(next, 'assignee');
  if (rule && typeof rule === 'object' && FIELD_RULES.includes(rule.type ?? '') && rule.field === from) {
    next = setLiteral(next, 'assignee', { ...rule, field: to });
  }
  // 交办 units taken from a field ({ field: key }, decision 029).
  for (const input of ['lead', 'co']) {
    const units = getLiteral<{ field?: string }>(next, input);
    if (units && typeof units === 'object' && !Array.isArray(units) && units.field === from)
      next = setLiteral(next, input, { field: to });
  }
  return next;
}

/** Steps that show this form (for the preview's “as seen at step …” choice). */
export function stepsUsingForm(
  definition: WorkflowDefinition,
  formId: string,
): { id: string; name: string; permissions: Record<string, string> }[] {
  const out: { id: string; name: string; permissions: Record<string, string> }[] = [];
  for (const a of definition.root.activities) {
    for (const [formInput, permissionInput, suffix] of [
      ['form', 'fieldPermissions', ''],
      ['coForm', 'coFieldPermissions', '（协办）'],
    ]) {
      if (getLiteral(a, formInput) !== formId) continue;
      const permissions = getLiteral<Record<string, string>>(a, permissionInput);
      out.push({
        id: suffix ? `${a.id}:co` : a.id,
        name: `${a.name || a.id}${suffix}`,
        permissions: permissions && typeof permissions === 'object' ? permissions : {},
      });
    }
  }
  return out;
}

/** A new form id unique in the procedure. */
export function newFormId(definition: WorkflowDefinition): string {
  const taken = new Set((definition.forms ?? []).map((f) => f.id));
  for (let n = 1; ; n++) if (!taken.has(`form${n}`)) return `form${n}`;
}

/** Steps referring to a form (deleting it would break them). */
export function formUsedBy(definition: WorkflowDefinition, formId: string): string[] {
  return definition.root.activities
    .filter((a) => getLiteral(a, 'form') === formId || getLiteral(a, 'coForm') === formId)
    .map((a) => a.name || a.id);
}

// ------------------------------------------------------------------------------------------------------------
// Conditional visibility: simple rules an administrator picks from lists, written as the JavaScript condition
// the engine evaluates (`visibleWhen`), and read back when a condition has that shape.

export type VisibilityOperator =
  'eq' | 'ne' | 'in' | 'includes' | 'notEmpty' | 'empty' | 'gt' | 'lt' | 'true' | 'false';

export interface VisibilityRule {
  field: string;
  op: VisibilityOperator;
  /** eq / ne / gt / lt: one value; in: several; includes: one option of a multi-choice field. */
  value?: string | number | (string | number)[];
}

export const VISIBILITY_OPERATORS: { value: VisibilityOperator; label: string; needsValue: 'one' | 'many' | 'none' }[] =
  [
    { value: 'eq', label: '等于', needsValue: 'one' },
    { value: 'ne', label: '不等于', needsValue: 'one' },
    { value: 'in', label: '是其中之一', needsValue: 'many' },
    { value: 'includes', label: '包含选项', needsValue: 'one' },
    { value: 'gt', label: '大于', needsValue: 'one' },
    { value: 'lt', label: '小于', needsValue: 'one' },
    { value: 'notEmpty', label: '已填写', needsValue: 'none' },
    { value: 'empty', label: '未填写', needsValue: 'none' },
    { value: 'true', label: '已勾选', needsValue: 'none' },
    { value: 'false', label: '未勾选', needsValue: 'none' },
  ];

function literal(value: string | number): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** The JavaScript condition for a rule (reads `item`, the data as the user sees it while filling the form). */
export function buildVisibleWhen(rule: VisibilityRule): string {
  const ref = `item.${rule.field}`;
  const one = Array.isArray(rule.value) ? rule.value[0] : rule.value;
  switch (rule.op) {
    case 'eq':
      return `${ref} === ${literal(one ?? '')}`;
    case 'ne':
      return `${ref} !== ${literal(one ?? '')}`;
    case 'in':
      return `[${(Array.isArray(rule.value) ? rule.value : one !== undefined ? [one] : []).map(literal).join(', ')}].includes(${ref})`;
    case 'includes':
      return `(${ref} || []).includes(${literal(one ?? '')})`;
    case 'gt':
      return `${ref} > ${literal(Number(one ?? 0))}`;
    case 'lt':
      return `${ref} < ${literal(Number(one ?? 0))}`;
    case 'notEmpty':
      return `${ref} != null && ${ref} !== '' && !(Array.isArray(${ref}) && ${ref}.length === 0)`;
    case 'empty':
      return `${ref} == null || ${ref} === '' || (Array.isArray(${ref}) && ${ref}.length === 0)`;
    case 'true':
      return `${ref} === true`;
    case 'false':
      return `${ref} !== true`;
  }
}

const KEY = '([A-Za-z_][A-Za-z0-9_]*)';
const VALUE = '("(?:[^"\\\\]|\\\\.)*"|-?\\d+(?:\\.\\d+)?)';

function parseLiteral(text: string): string | number {
  return text.startsWith('"') ? (JSON.parse(text) as string) : Number(text);
}

/** Reads a condition written by buildVisibleWhen back into a rule; null for anything else (edited as a script). */
export function parseVisibleWhen(script: string | null | undefined): VisibilityRule | null {
  const s = (script ?? '').trim();
  if (s === '') return null;
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^item\\.${KEY} (===|!==) ${VALUE}$`).exec(s)))
    return { field: m[1], op: m[2] === '===' ? 'eq' : 'ne', value: parseLiteral(m[3]) };
  if ((m = new RegExp(`^item\\.${KEY} (>|<) (-?\\d+(?:\\.\\d+)?)$`).exec(s)))
    return { field: m[1], op: m[2] === '>' ? 'gt' : 'lt', value: Number(m[3]) };
  if ((m = new RegExp(`^\\[((?:${VALUE}(?:, )?)*)\\]\\.includes\\(item\\.${KEY}\\)$`).exec(s))) {
    const list = m[1].trim() === '' ? [] : (JSON.parse(`[${m[1]}]`) as (string | number)[]);
    return { field: m[m.length - 1], op: 'in', value: list };
  }
  if ((m = new RegExp(`^\\(item\\.${KEY} \\|\\| \\[\\]\\)\\.includes\\(${VALUE}\\)$`).exec(s)))
    return { field: m[1], op: 'includes', value: parseLiteral(m[2]) };
  if ((m = new RegExp(`^item\\.${KEY} === true$`).exec(s))) return { field: m[1], op: 'true' };
  if ((m = new RegExp(`^item\\.${KEY} !== true$`).exec(s))) return { field: m[1], op: 'false' };
  for (const op of ['notEmpty', 'empty'] as const) {
    const f = new RegExp(`^item\\.${KEY} `).exec(s)?.[1];
    if (f && s === buildVisibleWhen({ field: f, op })) return { field: f, op };
  }
  return null;
}

/** Operators that make sense for a field of this type. */
export function operatorsFor(field: FormField | undefined): VisibilityOperator[] {
  switch (field?.type) {
    case 'select':
    case 'radio':
      return ['eq', 'ne', 'in', 'notEmpty', 'empty'];
    case 'multiSelect':
      return ['includes', 'notEmpty', 'empty'];
    case 'checkbox':
      return field.options?.length ? ['includes', 'notEmpty', 'empty'] : ['true', 'false'];
    case 'number':
      return ['eq', 'ne', 'gt', 'lt', 'notEmpty', 'empty'];
    case 'text':
    case 'textarea':
    case 'date':
      return ['eq', 'ne', 'notEmpty', 'empty'];
    default:
      return ['notEmpty', 'empty'];
  }
}

export function optionLabel(options: FieldOption[] | null | undefined, value: unknown): string {
  return options?.find((o) => o.value === value)?.label ?? String(value);
}

/** The field's 显示条件 as the condition editor holds it; undefined when the field is always shown. */
export function visibilityValue(field: FormField): ConditionValue | undefined {
  const built = field.visibleIf ? readCondition(field.visibleIf) : undefined;
  if (built) return { kind: 'builder', group: built };
  const script = field.visibleWhen?.trim() ?? '';
  if (script === '') return undefined;
  const rule = parseVisibleWhen(script);
  if (rule) return { kind: 'builder', group: { match: 'all', rules: [ruleAsCondition(rule)] } };
  const simple = scriptToCondition(script);
  return simple ? { kind: 'builder', group: simple } : { kind: 'script', script };
}

/** A rule the former 显示条件 editor wrote as a script, as the condition it means (same answer on every value). */
function ruleAsCondition(rule: VisibilityRule): ConditionRule {
  switch (rule.op) {
    case 'includes':
      return { field: rule.field, op: 'contains', value: rule.value as JsonValue };
    case 'true':
      return { field: rule.field, op: 'eq', value: true };
    case 'false':
      return { field: rule.field, op: 'ne', value: true };
    default:
      return { field: rule.field, op: rule.op, value: rule.value as JsonValue };
  }
}
