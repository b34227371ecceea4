import { Checkbox, DatePicker, Input, InputNumber, Radio, Select, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { AttachmentsEditor } from './AttachmentsEditor';
import type { Directory } from './directory';
import { unitTree } from './directory';
import { FieldDisplay } from './FieldDisplay';
import { TableEditor } from './TableEditor';
import type { AttachmentRef, FormField } from './types';

export interface EditorProps {
  field: FormField;
  /** DOM id of the input, for the label. */
  id: string;
  value: unknown;
  onChange: (value: unknown) => void;
  disabled?: boolean;
  invalid?: boolean;
  directory: Directory;
  directoryLoading?: boolean;
  /** Entries (list items, rows, attachments) that were there before and must stay (append-only). */
  locked?: unknown;
  instanceId?: string;
  /** Errors under this field by path, for sub-tables. */
  errors?: Record<string, string[]>;
  /** Path prefix of this value in the errors (`rows[1].unit`). */
  path: string;
}

const DATE = 'YYYY-MM-DD';

function toDay(value: unknown): Dayjs | null {
  if (typeof value !== 'string' || value === '') return null;
  const d = dayjs(value, DATE);
  return d.isValid() ? d : null;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Keeps locked (append-only) entries in a list the user edits. */
function withLocked(next: string[], locked: unknown): string[] {
  const keep = asStrings(locked);
  return [...keep, ...next.filter((v) => !keep.includes(v))];
}

/** The input for one writable field. */
export function FieldEditor(props: EditorProps) {
  const { field, id, value, onChange, disabled, invalid, directory, directoryLoading, locked } = props;
  const status = invalid ? 'error' : undefined;
  const placeholder = field.placeholder ?? undefined;
  const options = field.options ?? [];
  const tree = useMemo(() => (field.type === 'unit' ? unitTree(directory.units) : []), [field.type, directory.units]);

  switch (field.type) {
    case 'text':
      return (
        <Input
          id={id}
          value={typeof value === 'string' ? value : value == null ? '' : String(value)}
          onChange={(e) => onChange(e.target.value)}
          disabled={disabled}
          status={status}
          placeholder={placeholder}
          maxLength={field.maxLength ?? undefined}
          showCount={!!field.maxLength && field.maxLength <= 500}
          allowClear
        />
      );
    case 'textarea':
      return (
        <Input.TextArea
          id={id}
          value={typeof value === 'string' ? value : value == null ? '' : String(value)}
          onChange={(e) => onChange(e.target.value)}
          disabled={disabled}
          status={status}
          placeholder={placeholder}
          autoSize={{ minRows: 3, maxRows: 12 }}
          maxLength={field.maxLength ?? undefined}
          showCount={!!field.maxLength}
        />
      );
    case 'number':
      return (
        <InputNumber
          id={id}
          className="form-input-number"
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange(v === null || v === undefined ? null : Number(v))}
          disabled={disabled}
          status={status}
          placeholder={placeholder}
          min={field.min ?? undefined}
          max={field.max ?? undefined}
        />
      );
    case 'date':
      return (
        <DatePicker
          id={id}
          className="form-input-date"
          value={toDay(value)}
          onChange={(d) => onChange(d ? d.format(DATE) : null)}
          disabled={disabled}
          status={status}
          placeholder={placeholder ?? (field.defaultToday ? '不填即为当天' : '选择日期')}
          format={DATE}
        />
      );
    case 'dateRange': {
      const range = Array.isArray(value) ? value : [];
      return (
        <DatePicker.RangePicker
          id={id}
          className="form-input-date-range"
          value={[toDay(range[0]), toDay(range[1])]}
          onChange={(days) =>
            onChange(days && days[0] && days[1] ? [days[0].format(DATE), days[1].format(DATE)] : null)
          }
          disabled={disabled}
          status={status}
          format={DATE}
        />
      );
    }
    case 'select':
      return (
        <Select
          id={id}
          className="form-input-select"
          value={typeof value === 'string' ? value : undefined}
          onChange={(v: string | undefined) => onChange(v ?? null)}
          options={options}
          disabled={disabled}
          status={status}
          placeholder={placeholder ?? '请选择'}
          allowClear
          showSearch
          optionFilterProp="label"
        />
      );
    case 'multiSelect':
      return (
        <Select
          id={id}
          className="form-input-select"
          mode="multiple"
          value={asStrings(value)}
          onChange={(v: string[]) => onChange(withLocked(v, locked))}
          options={options.map((o) => ({ ...o, disabled: asStrings(locked).includes(o.value) }))}
          disabled={disabled}
          status={status}
          placeholder={placeholder ?? '请选择'}
          allowClear
          optionFilterProp="label"
        />
      );
    case 'radio':
      return (
        <Radio.Group
          id={id}
          value={typeof value === 'string' ? value : undefined}
          onChange={(e) => onChange(e.target.value as string)}
          disabled={disabled}
          options={options}
        />
      );
    case 'checkbox':
      if (options.length > 0) {
        return (
          <div id={id} role="group" aria-label={field.label}>
            <Checkbox.Group
              value={asStrings(value)}
              onChange={(v) => onChange(withLocked(v as string[], locked))}
              disabled={disabled}
              options={options.map((o) => ({ ...o, disabled: asStrings(locked).includes(o.value) }))}
            />
          </div>
        );
      }
      return (
        <Checkbox id={id} checked={value === true} onChange={(e) => onChange(e.target.checked)} disabled={disabled}>
          是
        </Checkbox>
      );
    case 'unit':
      return (
        <TreeSelect
          id={id}
          className="form-input-select"
          treeData={tree}
          value={field.multiple ? asStrings(value) : typeof value === 'string' ? value : undefined}
          onChange={(v: string | string[] | undefined) =>
            onChange(field.multiple ? withLocked(asStrings(v), locked) : (v ?? null))
          }
          multiple={!!field.multiple}
          treeDefaultExpandAll
          showSearch
          treeNodeFilterProp="title"
          allowClear
          loading={directoryLoading}
          disabled={disabled}
          status={status}
          placeholder={placeholder ?? '选择单位'}
          notFoundContent={directoryLoading ? '加载中…' : '没有单位'}
        />
      );
    case 'person': {
      const byUnit = new Map<string, { label: string; value: string }[]>();
      for (const user of directory.users) {
        const group = user.unitName ?? '未分配单位';
        const list = byUnit.get(group) ?? [];
        list.push({ label: user.displayName, value: user.id });
        byUnit.set(group, list);
      }
      const personOptions = [...byUnit.entries()].map(([label, list]) => ({ label, options: list }));
      return (
        <Select
          id={id}
          className="form-input-select"
          mode={field.multiple ? 'multiple' : undefined}
          value={field.multiple ? asStrings(value) : typeof value === 'string' ? value : undefined}
          onChange={(v: string | string[] | undefined) =>
            onChange(field.multiple ? withLocked(asStrings(v), locked) : (v ?? null))
          }
          options={personOptions}
          showSearch
          optionFilterProp="label"
          allowClear
          loading={directoryLoading}
          disabled={disabled}
          status={status}
          placeholder={placeholder ?? '选择人员'}
          notFoundContent={directoryLoading ? '加载中…' : '没有人员'}
        />
      );
    }
    case 'attachments':
      return (
        <AttachmentsEditor
          id={id}
          value={Array.isArray(value) ? (value as AttachmentRef[]) : []}
          locked={Array.isArray(locked) ? (locked as AttachmentRef[]) : []}
          onChange={onChange}
          disabled={disabled}
          instanceId={props.instanceId}
          label={field.label}
        />
      );
    case 'table':
      return <TableEditor {...props} />;
    case 'computed':
      return <FieldDisplay field={field} value={value} directory={directory} />;
    default:
      return <span className="form-unsupported">不支持的字段类型「{field.type}」</span>;
  }
}
