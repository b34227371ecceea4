import { describe, expect, it } from 'vitest';
import { isFieldVisible, visibleFieldKeys } from '../../shared/forms/logic';
import type { FormDefinition, FormField } from '../../shared/forms/types';
import type { WorkflowDefinition } from '../../shared/flow';
import {
  addField,
  buildVisibleWhen,
  fieldKeyProblem,
  formUsedBy,
  moveField,
  newFormId,
  operatorsFor,
  parseVisibleWhen,
  removeField,
  renameFieldKey,
  stepsUsingForm,
  updateField,
  visibilityValue,
  type VisibilityRule,
} from './formModel';

const empty: FormDefinition = { id: 'f', name: '表', fields: [] };
const literal = (value: unknown) => ({ typeName: 'Object', expression: { type: 'Literal', value } });

describe('form model edits', () => {
  it('adds fields with unique keys and what their type needs, at the drop position', () => {
    let form = addField(empty, 'text').form;
    form = addField(form, 'text').form;
    const r = addField(form, 'select', 1);
    form = r.form;
    expect(r.key).toBe('select1');
    expect(form.fields.map((f) => f.key)).toEqual(['text1', 'select1', 'text2']);
    expect(form.fields[1].options).toHaveLength(2);
    expect(addField(empty, 'table').form.fields[0].columns).toHaveLength(1);
    expect(form.fields[0].label).toBe('单行文本');
  });

  it('reorders and removes', () => {
    let form = empty;
    for (const t of ['text', 'number', 'date']) form = addField(form, t).form;
    form = moveField(form, 0, 2);
    expect(form.fields.map((f) => f.key)).toEqual(['number1', 'date1', 'text1']);
    form = moveField(form, 2, 0);
    expect(form.fields.map((f) => f.key)).toEqual(['text1', 'number1', 'date1']);
    expect(removeField(form, 'number1').fields.map((f) => f.key)).toEqual(['text1', 'date1']);
  });

  it('sets rules and removes empty ones; changing the type drops what no longer applies', () => {
    let form = addField(empty, 'text').form;
    form = updateField(form, 'text1', {
      label: '办理情况',
      required: true,
      maxLength: 500,
      pattern: '^\\S',
      patternMessage: '不能以空格开头',
    });
    expect(form.fields[0]).toEqual({
      key: 'text1',
      label: '办理情况',
      type: 'text',
      required: true,
      maxLength: 500,
      pattern: '^\\S',
      patternMessage: '不能以空格开头',
    });
    form = updateField(form, 'text1', { required: false, patternMessage: '' });
    expect(form.fields[0]).not.toHaveProperty('required');
    expect(form.fields[0]).not.toHaveProperty('patternMessage');
    form = updateField(form, 'text1', { type: 'number', min: 1 });
    expect(form.fields[0]).toEqual({ key: 'text1', label: '办理情况', type: 'number', min: 1 });
    form = updateField(form, 'text1', { type: 'radio' });
    expect(form.fields[0].options).toEqual([{ value: 'option1', label: '选项1' }]);
    expect(form.fields[0]).not.toHaveProperty('min');
  });

  it('checks keys', () => {
    const form = addField(addField(empty, 'text').form, 'text').form;
    expect(fieldKeyProblem(form, 'text1', 'text2')).toMatch('已被');
    expect(fieldKeyProblem(form, 'text1', '2x')).toMatch('字母');
    expect(fieldKeyProblem(form, 'text1', 'report')).toBeNull();
  });

  it('renames a key everywhere the procedure refers to it', () => {
    const definition: WorkflowDefinition = {
      definitionId: 'p',
      name: 'p',
      forms: [
        {
          id: 'f',
          name: '表',
          fields: [
            { key: 'unit', label: '承办单位', type: 'unit' },
            { key: 'note', label: '说明', type: 'text', visibleWhen: 'item.unit === "jinan" && form["unit"] != null' },
          ],
        },
        { id: 'g', name: '另一表', fields: [{ key: 'unit', label: '单位', type: 'unit' }] },
      ],
      root: {
        activities: [
          {
            id: 's',
            type: 'Duban.Start',
            form: literal('f'),
            fieldPermissions: literal({ unit: 'editable', note: 'hidden' }),
          },
          { id: 't', type: 'Duban.UserTask', form: literal('f'), assignee: literal({ type: 'field', field: 'unit' }) },
          { id: 'u', type: 'Duban.UserTask', form: literal('g'), fieldPermissions: literal({ unit: 'readOnly' }) },
        ],
        connections: [],
      },
    };
    const next = renameFieldKey(definition, 'f', 'unit', 'handlingUnit');
    expect(next.forms![0].fields[0].key).toBe('handlingUnit');
    expect(next.forms![0].fields[1].visibleWhen).toBe('item.handlingUnit === "jinan" && form["handlingUnit"] != null');
    expect(next.forms![1].fields[0].key).toBe('unit');
    expect((next.root.activities[0].fieldPermissions as { expression: { value: unknown } }).expression.value).toEqual({
      handlingUnit: 'editable',
      note: 'hidden',
    });
    expect((next.root.activities[1].assignee as { expression: { value: unknown } }).expression.value).toEqual({
      type: 'field',
      field: 'handlingUnit',
    });
    expect((next.root.activities[2].fieldPermissions as { expression: { value: unknown } }).expression.value).toEqual({
      unit: 'readOnly',
    });
    expect(stepsUsingForm(next, 'f').map((s) => s.id)).toEqual(['s', 't']);
    expect(formUsedBy(next, 'g')).toEqual(['u']);
    expect(newFormId(next)).toBe('form1');
  });
});

describe('visibility rules', () => {
  const rules: [VisibilityRule, Record<string, unknown>, boolean][] = [
    [{ field: 'source', op: 'eq', value: 'meeting' }, { source: 'meeting' }, true],
    [{ field: 'source', op: 'eq', value: 'meeting' }, { source: 'other' }, false],
    [{ field: 'source', op: 'ne', value: 'meeting' }, { source: 'other' }, true],
    [{ field: 'source', op: 'in', value: ['a', 'b'] }, { source: 'b' }, true],
    [{ field: 'source', op: 'in', value: ['a', 'b'] }, { source: 'c' }, false],
    [{ field: 'tags', op: 'includes', value: 'x' }, { tags: ['y', 'x'] }, true],
    [{ field: 'tags', op: 'includes', value: 'x' }, {}, false],
    [{ field: 'amount', op: 'gt', value: 100 }, { amount: 150 }, true],
    [{ field: 'amount', op: 'lt', value: 100 }, { amount: 150 }, false],
    [{ field: 'report', op: 'notEmpty' }, { report: '已办' }, true],
    [{ field: 'report', op: 'notEmpty' }, { report: '' }, false],
    [{ field: 'report', op: 'empty' }, { report: [] }, true],
    [{ field: 'urgent', op: 'true' }, { urgent: true }, true],
    [{ field: 'urgent', op: 'false' }, { urgent: true }, false],
  ];

  it.each(rules)('%o on %o is %s, and reads back', (rule, item, expected) => {
    const script = buildVisibleWhen(rule);
    expect(isFieldVisible({ key: 'x', label: 'x', type: 'text', visibleWhen: script }, item, {})).toBe(expected);
    expect(parseVisibleWhen(script)).toEqual(rule);
  });

  it('shows and hides fields of a form as the user fills it', () => {
    const form: FormDefinition = {
      id: 'f',
      name: '表',
      fields: [
        {
          key: 'source',
          label: '来源',
          type: 'select',
          options: [
            { value: 'meeting', label: '会议' },
            { value: 'other', label: '其他' },
          ],
        },
        {
          key: 'otherSource',
          label: '其他来源说明',
          type: 'text',
          visibleWhen: buildVisibleWhen({ field: 'source', op: 'eq', value: 'other' }),
        },
      ],
    };
    expect([...visibleFieldKeys(form, { source: 'meeting' })]).toEqual(['source']);
    expect([...visibleFieldKeys(form, { source: 'other' })]).toEqual(['source', 'otherSource']);
  });

  it('leaves hand-written conditions as scripts', () => {
    expect(parseVisibleWhen('item.a === 1 && item.b')).toBeNull();
    expect(parseVisibleWhen('')).toBeNull();
    expect(parseVisibleWhen('item.title === "含\\"引号"')).toEqual({ field: 'title', op: 'eq', value: '含"引号' });
  });

  it('offers operators by field type', () => {
    expect(operatorsFor({ key: 'a', label: 'a', type: 'multiSelect' })).toEqual(['includes', 'notEmpty', 'empty']);
    expect(operatorsFor({ key: 'a', label: 'a', type: 'checkbox' })).toEqual(['true', 'false']);
    expect(operatorsFor({ key: 'a', label: 'a', type: 'number' })).toContain('gt');
  });
});

describe('显示条件 edited with the condition builder', () => {
  const fieldOf = (visibleWhen: string): FormField => ({ key: 'x', label: 'x', type: 'text', visibleWhen });
  const data: Record<string, unknown>[] = [
    {},
    { source: 'other', tags: ['a'], n: 5, ok: true },
    { source: 'meeting', tags: [], n: 20, ok: false },
    { source: '', tags: ['b', 'a'], n: '10', ok: null },
  ];
  it.each<VisibilityRule>([
    { field: 'source', op: 'eq', value: 'other' },
    { field: 'source', op: 'ne', value: 'other' },
    { field: 'source', op: 'in', value: ['other', 'meeting'] },
    { field: 'tags', op: 'includes', value: 'a' },
    { field: 'n', op: 'gt', value: 8 },
    { field: 'n', op: 'lt', value: 8 },
    { field: 'source', op: 'notEmpty' },
    { field: 'source', op: 'empty' },
    { field: 'ok', op: 'true' },
    { field: 'ok', op: 'false' },
  ])('an older script rule ($op) is shown as clicks that decide the same way', (rule) => {
    const script = buildVisibleWhen(rule);
    const value = visibilityValue(fieldOf(script));
    expect(value?.kind).toBe('builder');
    const built: FormField = {
      key: 'x',
      label: 'x',
      type: 'text',
      visibleIf: value?.kind === 'builder' ? (value.group as never) : null,
    };
    for (const item of data)
      expect(isFieldVisible(built, item as never, {}), JSON.stringify(item)).toBe(
        isFieldVisible(fieldOf(script), item as never, {}),
      );
  });

  it('keeps any other script as a script (「高级」), and a built condition as built', () => {
    expect(visibilityValue(fieldOf('user.roles.includes("领导")'))).toEqual({
      kind: 'script',
      script: 'user.roles.includes("领导")',
    });
    expect(visibilityValue({ key: 'x', label: 'x', type: 'text' })).toBeUndefined();
    const group = { match: 'any' as const, rules: [{ field: 'source', op: 'eq' as const, value: 'other' }] };
    expect(visibilityValue({ key: 'x', label: 'x', type: 'text', visibleIf: group })).toEqual({
      kind: 'builder',
      group,
    });
  });

  it('a renamed key is renamed in the built conditions of the form', () => {
    const definition = {
      definitionId: 'p',
      name: 'p',
      forms: [
        {
          id: 'f',
          name: 'f',
          fields: [
            { key: 'kind', label: '类别', type: 'select', options: [{ value: 'A', label: 'A' }] },
            {
              key: 'note',
              label: '说明',
              type: 'text',
              visibleIf: { match: 'all', rules: [{ match: 'any', rules: [{ field: 'kind', op: 'eq', value: 'A' }] }] },
            },
          ],
        },
      ],
      root: { type: 'Duban.Flowchart', id: 'flowchart', activities: [], connections: [] },
    };
    const renamed = renameFieldKey(definition as never, 'f', 'kind', 'category');
    expect(renamed.forms![0].fields[1].visibleIf).toEqual({
      match: 'all',
      rules: [{ match: 'any', rules: [{ field: 'category', op: 'eq', value: 'A' }] }],
    });
  });
});
