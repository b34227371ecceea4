import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Divider, Form, Input, InputNumber, Radio, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { emptyCondition } from '../../shared/flow';
import type { FieldOption, FormDefinition, FormField, VisibleCondition } from '../../shared/forms/types';
import { ConditionEditor, type ConditionValue } from '../designer/properties/ConditionEditor';
import { ScriptEditor } from '../designer/script/ScriptEditor';
import {
  fieldKeyProblem,
  FIELD_KEY_PATTERN,
  FIELD_TYPE_INFO,
  LENGTH_TYPES,
  MULTIPLE_TYPES,
  OPTION_TYPES,
  PATTERN_TYPES,
  RANGE_TYPES,
  visibilityValue,
} from './formModel';

const PATTERN_PRESETS = [
  { label: '手机号码', pattern: '^1[3-9]\\d{9}$', message: '请输入 11 位手机号码' },
  { label: '固定电话', pattern: '^0\\d{2,3}-?\\d{7,8}$', message: '请输入正确的固定电话，如 0531-12345678' },
  { label: '电子邮箱', pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', message: '请输入正确的电子邮箱' },
  {
    label: '统一社会信用代码',
    pattern: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$',
    message: '请输入 18 位统一社会信用代码',
  },
];

export interface FieldPropertiesProps {
  form: FormDefinition;
  field: FormField;
  onChange: (patch: Partial<FormField>) => void;
  /** Renames the key across the procedure; returns a problem or null. */
  onRenameKey: (key: string) => string | null;
  onRemove: () => void;
  /** The procedure's steps (id and name), for a date field a step stamps. */
  steps?: readonly { id: string; name: string }[];
  /** The fields a 显示条件 may test (every form of the procedure); this form's when not given. */
  conditionFieldsFor?: readonly FormField[];
}

/** The selected field's properties: name, key, type, required, options, rules, visibility. */
export function FieldProperties({
  form,
  field,
  onChange,
  onRenameKey,
  onRemove,
  steps = [],
  conditionFieldsFor,
}: FieldPropertiesProps) {
  return (
    <Form layout="vertical" size="small" component="div" className="field-properties">
      <Form.Item label="字段名称" required validateStatus={field.label.trim() === '' ? 'error' : undefined}>
        <Input
          aria-label="字段名称"
          value={field.label}
          maxLength={100}
          onChange={(e) => onChange({ label: e.target.value })}
        />
      </Form.Item>
      <KeyInput key={field.key} form={form} field={field} onRenameKey={onRenameKey} />
      <Form.Item label="类型">
        <Select
          aria-label="字段类型"
          value={field.type}
          options={FIELD_TYPE_INFO.map((t) => ({ value: t.type, label: t.label }))}
          onChange={(type: string) => onChange({ type })}
        />
      </Form.Item>
      {field.type !== 'computed' && (
        <Form.Item label="必填">
          <Switch aria-label="必填" checked={field.required === true} onChange={(required) => onChange({ required })} />
        </Form.Item>
      )}
      {MULTIPLE_TYPES.has(field.type) && (
        <Form.Item label="可多选">
          <Switch
            aria-label="可多选"
            checked={field.multiple === true}
            onChange={(multiple) => onChange({ multiple })}
          />
        </Form.Item>
      )}
      {!['attachments', 'table', 'computed', 'opinion', 'checkbox', 'radio'].includes(field.type) && (
        <Form.Item label="占位提示">
          <Input
            aria-label="占位提示"
            value={field.placeholder ?? ''}
            onChange={(e) => onChange({ placeholder: e.target.value })}
          />
        </Form.Item>
      )}
      <Form.Item label="填写说明">
        <Input aria-label="填写说明" value={field.help ?? ''} onChange={(e) => onChange({ help: e.target.value })} />
      </Form.Item>

      {OPTION_TYPES.has(field.type) && (
        <>
          <Divider plain orientation="left">
            选项
          </Divider>
          {field.type === 'checkbox' && (
            <Typography.Paragraph type="secondary">不设选项时为单个“是/否”勾选框。</Typography.Paragraph>
          )}
          <OptionsEditor
            options={field.options ?? []}
            onChange={(options) => onChange({ options: options.length ? options : null })}
          />
        </>
      )}

      {(LENGTH_TYPES.has(field.type) || RANGE_TYPES.has(field.type)) && (
        <Divider plain orientation="left">
          校验规则
        </Divider>
      )}
      {RANGE_TYPES.has(field.type) && (
        <Space>
          <Form.Item label="最小值">
            <InputNumber
              aria-label="最小值"
              value={field.min ?? null}
              onChange={(v) => onChange({ min: v === null ? null : Number(v) })}
            />
          </Form.Item>
          <Form.Item
            label="最大值"
            validateStatus={field.min != null && field.max != null && field.min > field.max ? 'error' : undefined}
          >
            <InputNumber
              aria-label="最大值"
              value={field.max ?? null}
              onChange={(v) => onChange({ max: v === null ? null : Number(v) })}
            />
          </Form.Item>
        </Space>
      )}
      {LENGTH_TYPES.has(field.type) && (
        <Space>
          <Form.Item label="最少字数">
            <InputNumber
              aria-label="最少字数"
              min={0}
              precision={0}
              value={field.minLength ?? null}
              onChange={(v) => onChange({ minLength: v === null ? null : Number(v) })}
            />
          </Form.Item>
          <Form.Item
            label="最多字数"
            validateStatus={
              field.minLength != null && field.maxLength != null && field.minLength > field.maxLength
                ? 'error'
                : undefined
            }
          >
            <InputNumber
              aria-label="最多字数"
              min={0}
              precision={0}
              value={field.maxLength ?? null}
              onChange={(v) => onChange({ maxLength: v === null ? null : Number(v) })}
            />
          </Form.Item>
        </Space>
      )}
      {PATTERN_TYPES.has(field.type) && <PatternEditor field={field} onChange={onChange} />}
      {field.type === 'date' && <DateFieldOptions field={field} steps={steps} onChange={onChange} />}

      {field.type === 'table' && (
        <>
          <Divider plain orientation="left">
            表格列
          </Divider>
          <ColumnsEditor columns={field.columns ?? []} onChange={(columns) => onChange({ columns })} />
        </>
      )}
      {field.type === 'computed' && (
        <Form.Item label="计算表达式" required help="由服务器在保存时计算，如 (item.amount || 0) * 2">
          <ScriptEditor
            id="compute"
            aria-label="计算表达式"
            value={field.compute ?? ''}
            onChange={(compute) => onChange({ compute })}
          />
        </Form.Item>
      )}

      <Divider plain orientation="left">
        显示条件
      </Divider>
      <VisibilityEditor
        key={field.key}
        field={field}
        fields={conditionFieldsFor ?? form.fields}
        onChange={(patch) => onChange(patch)}
      />

      <Divider />
      <Button danger icon={<DeleteOutlined />} onClick={onRemove} block>
        删除字段
      </Button>
    </Form>
  );
}

function KeyInput({
  form,
  field,
  onRenameKey,
}: {
  form: FormDefinition;
  field: FormField;
  onRenameKey: (key: string) => string | null;
}) {
  const [text, setText] = useState(field.key);
  // Mounted per field (its key): another field starts with its own key and no problem.
  const [problem, setProblem] = useState<string | null>(null);
  const apply = () => {
    if (text === field.key) return;
    const p = fieldKeyProblem(form, field.key, text.trim());
    setProblem(p ?? onRenameKey(text.trim()));
  };
  return (
    <Form.Item
      label="字段标识"
      validateStatus={problem || !FIELD_KEY_PATTERN.test(text) ? 'error' : undefined}
      help={problem ?? '数据中保存该字段的键；改名时各环节的字段权限与条件随之更新'}
    >
      <Input
        aria-label="字段标识"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onPressEnter={apply}
      />
    </Form.Item>
  );
}

function OptionsEditor({ options, onChange }: { options: FieldOption[]; onChange: (options: FieldOption[]) => void }) {
  const dupValue = (i: number) => options.findIndex((o) => o.value === options[i].value) !== i;
  const move = (i: number, d: number) => {
    const next = [...options];
    const [o] = next.splice(i, 1);
    next.splice(i + d, 0, o);
    onChange(next);
  };
  return (
    <div className="options-editor" data-testid="options-editor">
      <div className="options-editor__head">
        <span>显示名称</span>
        <span>保存的值</span>
      </div>
      {options.map((o, i) => (
        <div key={i} className="options-editor__row">
          <Input
            aria-label={`选项${i + 1}名称`}
            value={o.label}
            status={o.label.trim() === '' ? 'error' : undefined}
            onChange={(e) =>
              onChange(
                options.map((x, j) =>
                  j === i
                    ? {
                        ...x,
                        label: e.target.value,
                        value: x.value === x.label || /^option\d+$/.test(x.value) ? e.target.value : x.value,
                      }
                    : x,
                ),
              )
            }
          />
          <Input
            aria-label={`选项${i + 1}值`}
            value={o.value}
            status={o.value === '' || dupValue(i) ? 'error' : undefined}
            onChange={(e) => onChange(options.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowUpOutlined />}
            aria-label="上移"
            disabled={i === 0}
            onClick={() => move(i, -1)}
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            aria-label="下移"
            disabled={i === options.length - 1}
            onClick={() => move(i, 1)}
          />
          <Button
            type="text"
            size="small"
            icon={<DeleteOutlined />}
            aria-label={`删除选项${i + 1}`}
            onClick={() => onChange(options.filter((_, j) => j !== i))}
          />
        </div>
      ))}
      {options.some((_, i) => dupValue(i)) && <Typography.Text type="danger">选项的值不能重复</Typography.Text>}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          let n = options.length + 1;
          while (options.some((o) => o.value === `option${n}`)) n++;
          onChange([...options, { value: `option${n}`, label: `选项${n}` }]);
        }}
      >
        添加选项
      </Button>
    </div>
  );
}

function PatternEditor({ field, onChange }: { field: FormField; onChange: (patch: Partial<FormField>) => void }) {
  let invalid: string | null = null;
  if (field.pattern) {
    try {
      new RegExp(field.pattern);
    } catch (e) {
      invalid = (e as Error).message;
    }
  }
  return (
    <>
      <Form.Item
        label="格式（正则表达式）"
        validateStatus={invalid ? 'error' : undefined}
        help={invalid ? `不是有效的正则表达式：${invalid}` : undefined}
      >
        <Space.Compact block>
          <Input
            aria-label="格式"
            value={field.pattern ?? ''}
            placeholder="例如 ^1[3-9]\d{9}$"
            onChange={(e) => onChange({ pattern: e.target.value })}
          />
          <Select
            aria-label="常用格式"
            placeholder="常用"
            value={null}
            style={{ width: 96 }}
            popupMatchSelectWidth={false}
            options={PATTERN_PRESETS.map((p) => ({ value: p.label, label: p.label }))}
            onChange={(label: string) => {
              const preset = PATTERN_PRESETS.find((p) => p.label === label)!;
              onChange({ pattern: preset.pattern, patternMessage: preset.message });
            }}
          />
        </Space.Compact>
      </Form.Item>
      {field.pattern && (
        <Form.Item label="格式不符时的提示">
          <Input
            aria-label="格式提示"
            value={field.patternMessage ?? ''}
            onChange={(e) => onChange({ patternMessage: e.target.value })}
          />
        </Form.Item>
      )}
    </>
  );
}

const COLUMN_TYPES = FIELD_TYPE_INFO.filter((t) => !['table', 'opinion', 'computed'].includes(t.type));

function ColumnsEditor({ columns, onChange }: { columns: FormField[]; onChange: (columns: FormField[]) => void }) {
  return (
    <div className="columns-editor" data-testid="columns-editor">
      {columns.map((c, i) => (
        <div key={i} className="columns-editor__row">
          <Input
            aria-label={`列${i + 1}名称`}
            value={c.label}
            placeholder="列名"
            onChange={(e) => onChange(columns.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))}
          />
          <Input
            aria-label={`列${i + 1}标识`}
            value={c.key}
            placeholder="标识"
            status={
              !FIELD_KEY_PATTERN.test(c.key) || columns.some((x, j) => j !== i && x.key === c.key) ? 'error' : undefined
            }
            onChange={(e) => onChange(columns.map((x, j) => (j === i ? { ...x, key: e.target.value.trim() } : x)))}
          />
          <Select
            aria-label={`列${i + 1}类型`}
            value={c.type}
            popupMatchSelectWidth={false}
            options={COLUMN_TYPES.map((t) => ({ value: t.type, label: t.label }))}
            onChange={(type: string) =>
              onChange(
                columns.map((x, j) => {
                  if (j !== i) return x;
                  const next: FormField = { ...x, type };
                  if (OPTION_TYPES.has(type) && type !== 'checkbox' && !next.options?.length)
                    next.options = [{ value: 'option1', label: '选项1' }];
                  if (!OPTION_TYPES.has(type)) delete next.options;
                  return next;
                }),
              )
            }
          />
          <Switch
            size="small"
            aria-label={`列${i + 1}必填`}
            checked={c.required === true}
            checkedChildren="必填"
            unCheckedChildren="选填"
            onChange={(required) =>
              onChange(columns.map((x, j) => (j === i ? { ...x, required: required || undefined } : x)))
            }
          />
          <Button
            type="text"
            size="small"
            icon={<DeleteOutlined />}
            aria-label={`删除列${i + 1}`}
            disabled={columns.length <= 1}
            onClick={() => onChange(columns.filter((_, j) => j !== i))}
          />
          {OPTION_TYPES.has(c.type) && (
            <div className="columns-editor__options">
              <Input
                aria-label={`列${i + 1}选项`}
                size="small"
                placeholder="选项，用逗号分隔"
                value={(c.options ?? []).map((o) => o.label).join('，')}
                onChange={(e) =>
                  onChange(
                    columns.map((x, j) =>
                      j === i
                        ? {
                            ...x,
                            options: e.target.value
                              .split(/[,，]/)
                              .map((s) => s.trim())
                              .filter(Boolean)
                              .map((label) => ({ value: label, label })),
                          }
                        : x,
                    ),
                  )
                }
              />
            </div>
          )}
        </div>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          let n = columns.length + 1;
          while (columns.some((c) => c.key === `col${n}`)) n++;
          onChange([...columns, { key: `col${n}`, label: `列${n}`, type: 'text' }]);
        }}
      >
        添加列
      </Button>
    </div>
  );
}

/**
 * 显示条件: always shown, or shown when a condition holds — built with the same editor as a branch's condition (field by
 * label, operator, value from the field's options, units and people by name), or a script as 「高级」. A built condition
 * is stored as `visibleIf` (evaluated by the same rules in the browser and on the server); a script stays `visibleWhen`.
 * An older script of a simple shape is shown as clicks and written as a built condition once changed.
 */
function VisibilityEditor({
  field,
  fields,
  onChange,
}: {
  field: FormField;
  /** The fields a condition may test: the procedure's, this one left out. */
  fields: readonly FormField[];
  onChange: (patch: Pick<FormField, 'visibleIf' | 'visibleWhen'>) => void;
}) {
  const value = visibilityValue(field);
  const [conditional, setConditional] = useState(value !== undefined);
  const others = fields.filter((f) => f.key !== field.key);
  const write = (next: ConditionValue | undefined) => {
    if (!next) return onChange({ visibleIf: undefined, visibleWhen: undefined });
    if (next.kind === 'script')
      return onChange({ visibleIf: undefined, visibleWhen: next.script.trim() === '' ? undefined : next.script });
    onChange({ visibleIf: next.group as unknown as VisibleCondition, visibleWhen: undefined });
  };
  return (
    <div className="visibility-editor" data-testid="visibility-editor">
      <Radio.Group
        size="small"
        optionType="button"
        aria-label="显示方式"
        value={conditional ? 'rule' : 'always'}
        options={[
          { value: 'always', label: '始终显示' },
          { value: 'rule', label: '满足条件时显示', disabled: others.length === 0 },
        ]}
        onChange={(e) => {
          const on = e.target.value === 'rule';
          setConditional(on);
          if (!on) write(undefined);
        }}
      />
      {conditional && (
        <ConditionEditor
          id="visible"
          label="显示条件"
          value={value ?? { kind: 'builder', group: emptyCondition() }}
          fields={others}
          scriptHint="为真时显示。item：填写中的事项数据；form：本次提交；user：当前用户"
          onChange={(next) => write(next ?? { kind: 'builder', group: emptyCondition() })}
        />
      )}
    </div>
  );
}

/** A date field's automatic values: today by default, or the day a step of the procedure reaches it (时限可自此起算). */
function DateFieldOptions({
  field,
  steps,
  onChange,
}: {
  field: FormField;
  steps: readonly { id: string; name: string }[];
  onChange: (patch: Partial<FormField>) => void;
}) {
  return (
    <>
      <Divider plain orientation="left">
        自动填写
      </Divider>
      <Form.Item label="默认今天" help="提交时仍为空则填入当天日期">
        <Switch
          aria-label="默认今天"
          checked={field.defaultToday === true}
          onChange={(on) => onChange({ defaultToday: on ? true : undefined })}
        />
      </Form.Item>
      <Form.Item label="由环节记录日期" help="流程到达该环节时记下当天日期（只记第一次），时限可自此字段起算">
        <Select
          aria-label="由环节记录日期"
          allowClear
          placeholder="不记录"
          value={field.stampedBy ?? undefined}
          options={steps.map((s) => ({ value: s.id, label: s.name }))}
          onChange={(stampedBy: string | undefined) =>
            onChange(stampedBy ? { stampedBy } : { stampedBy: undefined, stampWhen: undefined })
          }
        />
      </Form.Item>
      {field.stampedBy && (
        <Form.Item label="记录时机">
          <Radio.Group
            aria-label="记录时机"
            value={field.stampWhen ?? 'start'}
            options={[
              { value: 'start', label: '环节开始时' },
              { value: 'done', label: '环节完成时' },
            ]}
            onChange={(e) => onChange({ stampWhen: e.target.value === 'start' ? undefined : e.target.value })}
          />
        </Form.Item>
      )}
    </>
  );
}
