import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, InputNumber, Radio, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import type { FieldPermission, FormDefinition, JsonValue } from '../../../shared/flow';
import { ScriptEditor } from '../script/ScriptEditor';
import { DURATION_UNITS, formatDuration, parseSimpleDuration, type DurationUnit } from './duration';

/**
 * An ordered list of names (outcomes, fork branches). Renaming an entry reports `renamed[old] = new`, so the
 * connections leaving that port move with it.
 */
export function NameListEditor({
  value,
  onChange,
  addLabel,
  disabled,
  testId,
  minItems = 0,
}: {
  value: string[];
  onChange: (next: string[], renamed: Record<string, string>) => void;
  addLabel: string;
  disabled?: boolean;
  testId: string;
  minItems?: number;
}) {
  // Local text so a half-typed (empty or duplicate) name is not written into the definition.
  const [drafts, setDrafts] = useState<string[]>(value);
  // A new value from outside (undo, another node) replaces the drafts: adjusted while rendering, not in an effect.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setDrafts(value);
  }
  const duplicate = (i: number) =>
    drafts[i].trim() !== '' && drafts.findIndex((d) => d.trim() === drafts[i].trim()) !== i;
  return (
    <div className="name-list" data-testid={testId}>
      {drafts.map((draft, i) => (
        <div key={i} className="name-list__row">
          <Input
            aria-label={`${addLabel.replace('添加', '')}${i + 1}`}
            value={draft}
            disabled={disabled}
            status={draft.trim() === '' || duplicate(i) ? 'error' : undefined}
            onChange={(e) => {
              const next = [...drafts];
              next[i] = e.target.value;
              setDrafts(next);
              const name = e.target.value.trim();
              if (name === '' || next.filter((d) => d.trim() === name).length > 1) return;
              const written = [...value];
              const old = written[i];
              written[i] = name;
              onChange(written, old !== undefined && old !== name ? { [old]: name } : {});
            }}
          />
          <Button
            type="text"
            icon={<DeleteOutlined />}
            aria-label={`删除${draft}`}
            disabled={disabled || drafts.length <= minItems}
            onClick={() =>
              onChange(
                value.filter((_, j) => j !== i),
                {},
              )
            }
          />
        </div>
      ))}
      {drafts.some((_, i) => duplicate(i)) && <Typography.Text type="danger">名称不能重复</Typography.Text>}
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={disabled}
        onClick={() => {
          let n = value.length + 1;
          while (value.includes(`结果${n}`)) n++;
          onChange([...value, `结果${n}`], {});
        }}
      >
        {addLabel}
      </Button>
    </div>
  );
}

/** Simple duration: amount + unit; other ISO values are edited as text. Empty = no value. */
export function DurationInput({
  value,
  onChange,
  disabled,
  ariaLabel,
}: {
  value: unknown;
  onChange: (next: string | undefined) => void;
  disabled?: boolean;
  ariaLabel: string;
}) {
  const simple = parseSimpleDuration(value);
  const [unit, setUnit] = useState<DurationUnit>(simple?.unit ?? 'D');
  // The unit follows a value changed from outside (undo); an empty amount keeps the unit the user picked.
  const [shownUnit, setShownUnit] = useState(simple?.unit);
  if (simple && simple.unit !== shownUnit) {
    setShownUnit(simple.unit);
    setUnit(simple.unit);
  }
  if (value !== undefined && value !== null && !simple) {
    return (
      <Input
        aria-label={ariaLabel}
        value={typeof value === 'string' ? value : JSON.stringify(value)}
        disabled={disabled}
        placeholder="ISO 8601 时长，如 P3D、PT2H"
        onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : e.target.value.trim())}
      />
    );
  }
  return (
    <Space.Compact>
      <InputNumber
        aria-label={ariaLabel}
        min={0}
        precision={0}
        value={simple?.amount ?? null}
        disabled={disabled}
        placeholder="不限"
        onChange={(n) => onChange(n === null || n === undefined ? undefined : formatDuration(Number(n), unit))}
        style={{ width: 110 }}
      />
      <Select
        aria-label={`${ariaLabel}单位`}
        value={unit}
        disabled={disabled}
        options={DURATION_UNITS}
        onChange={(u: DurationUnit) => {
          setUnit(u);
          if (simple) onChange(formatDuration(simple.amount, u));
        }}
        style={{ width: 80 }}
      />
    </Space.Compact>
  );
}

export type ExpressionValue = { type: 'Literal'; value: JsonValue } | { type: 'JavaScript'; value: string };

/**
 * A value that is either fixed text or a script (titles, messages, timer moments, an End's result).
 */
export function TextOrScriptInput({
  value,
  onChange,
  disabled,
  ariaLabel,
  placeholder,
  scriptHint,
  id,
}: {
  value: ExpressionValue | undefined;
  onChange: (next: ExpressionValue | undefined) => void;
  disabled?: boolean;
  ariaLabel: string;
  placeholder?: string;
  scriptHint?: string;
  id: string;
}) {
  const mode = value?.type ?? 'Literal';
  const text =
    value === undefined || value.value === null
      ? ''
      : typeof value.value === 'string'
        ? value.value
        : JSON.stringify(value.value);
  return (
    <div className="text-or-script">
      <Radio.Group
        size="small"
        value={mode}
        disabled={disabled}
        optionType="button"
        options={[
          { value: 'Literal', label: '固定值' },
          { value: 'JavaScript', label: '脚本' },
        ]}
        onChange={(e) =>
          onChange(
            text === ''
              ? e.target.value === 'JavaScript'
                ? { type: 'JavaScript', value: '' }
                : undefined
              : ({ type: e.target.value, value: text } as ExpressionValue),
          )
        }
      />
      {mode === 'JavaScript' ? (
        <ScriptEditor
          id={id}
          aria-label={ariaLabel}
          value={text}
          hint={scriptHint}
          onChange={(v) => onChange({ type: 'JavaScript', value: v })}
          readOnly={disabled}
        />
      ) : (
        <Input
          aria-label={ariaLabel}
          value={text}
          disabled={disabled}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value === '' ? undefined : { type: 'Literal', value: e.target.value })}
        />
      )}
    </div>
  );
}

/** A JSON value edited as text; written only when it parses. */
export function JsonInput({
  value,
  onChange,
  disabled,
  ariaLabel,
  rows = 4,
}: {
  value: unknown;
  onChange: (next: JsonValue | undefined) => void;
  disabled?: boolean;
  ariaLabel: string;
  rows?: number;
}) {
  const format = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));
  const [text, setText] = useState(format(value));
  const [error, setError] = useState<string | null>(null);
  // Follow outside changes (undo) unless the text already means the same value (adjusted while rendering).
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText((current) => {
      try {
        if (current.trim() !== '' && JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        // fall through
      }
      return format(value);
    });
  }
  return (
    <>
      <Input.TextArea
        aria-label={ariaLabel}
        className="json-input"
        value={text}
        rows={rows}
        disabled={disabled}
        status={error ? 'error' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            const parsed = JSON.parse(e.target.value) as JsonValue;
            setError(null);
            onChange(parsed);
          } catch (err) {
            setError(`JSON 格式有误：${(err as Error).message}`);
          }
        }}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}

export const PERMISSION_OPTIONS: { value: FieldPermission; label: string }[] = [
  { value: 'editable', label: '可编辑' },
  { value: 'readOnly', label: '只读' },
  { value: 'hidden', label: '隐藏' },
  { value: 'appendOnly', label: '仅追加' },
];

/** Per-field permissions of a step on its form; fields not listed are editable (the engine's default). */
export function FieldPermissionsEditor({
  form,
  value,
  onChange,
  disabled,
}: {
  form: FormDefinition;
  value: Record<string, FieldPermission>;
  onChange: (next: Record<string, FieldPermission>) => void;
  disabled?: boolean;
}) {
  const setAll = (p: FieldPermission) => onChange(Object.fromEntries(form.fields.map((f) => [f.key, p])));
  const stale = Object.keys(value).filter((k) => !form.fields.some((f) => f.key === k));
  return (
    <div className="field-permissions" data-testid="field-permissions">
      <Space size={4} wrap className="field-permissions__all">
        <Typography.Text type="secondary">全部设为</Typography.Text>
        {PERMISSION_OPTIONS.slice(0, 3).map((o) => (
          <Button key={o.value} size="small" disabled={disabled} onClick={() => setAll(o.value)}>
            {o.label}
          </Button>
        ))}
      </Space>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={form.fields}
        columns={[
          { title: '字段', dataIndex: 'label', ellipsis: true },
          {
            title: '权限',
            width: 116,
            render: (_: unknown, field) => (
              <Select<FieldPermission>
                size="small"
                aria-label={`${field.label}权限`}
                data-testid={`permission-${field.key}`}
                value={value[field.key] ?? 'editable'}
                disabled={disabled}
                style={{ width: 100 }}
                options={PERMISSION_OPTIONS.filter(
                  (o) =>
                    o.value !== 'appendOnly' ||
                    field.type === 'opinion' ||
                    value[field.key] === 'appendOnly' ||
                    field.type === 'attachments' ||
                    field.type === 'table' ||
                    field.type === 'textarea',
                )}
                onChange={(p) => onChange({ ...value, [field.key]: p })}
              />
            ),
          },
        ]}
      />
      {stale.length > 0 && (
        <Space>
          <Typography.Text type="warning">表单中已没有字段：{stale.join('、')}</Typography.Text>
          <Button
            size="small"
            disabled={disabled}
            onClick={() => onChange(Object.fromEntries(Object.entries(value).filter(([k]) => !stale.includes(k))))}
          >
            清除
          </Button>
        </Space>
      )}
    </div>
  );
}
