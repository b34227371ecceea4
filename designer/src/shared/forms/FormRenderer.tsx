import { Form, Input } from 'antd';
import { useMemo, useState } from 'react';
import { useDirectory } from './directory';
import { FieldDisplay, OpinionHistory } from './FieldDisplay';
import { FieldEditor } from './FieldEditor';
import {
  errorsAt,
  errorsUnder,
  isEmpty,
  OPINION_MAX_LENGTH,
  opinionDraftKey,
  permissionOf,
  visibleFieldKeys,
  WIDE_TYPES,
} from './logic';
import type { FieldErrors, FieldPermission, FormDefinition, FormField, FormValues } from './types';
import './forms.css';

export interface FormRendererProps {
  form: FormDefinition;
  /**
   * The values shown: the item's data overlaid with the user's edits. An opinion field's value is its history;
   * the new opinion being written is kept under `opinionDraftKey(key)` (see logic.ts, which also turns values
   * into what a step submits).
   */
  values: FormValues;
  onChange: (values: FormValues) => void;
  /** This step's permission per field key; fields not listed are editable. */
  permissions?: Record<string, FieldPermission>;
  /** Messages by field path (`report`, `rows[1].unit`), e.g. the server's 400 `errors`. */
  errors?: FieldErrors;
  /** Everything read-only (a task that is not yours, a finished item). */
  disabled?: boolean;
  /**
   * The data as stored, before this user's edits: what append-only fields must keep and what conditions read.
   * Defaults to `values` as first rendered.
   */
  original?: FormValues;
  /** The item the form belongs to; uploaded attachments are tied to it. None on a start form. */
  instanceId?: string;
  /** The signed-in user, for conditions that read `user`. */
  user?: unknown;
}

function needsDirectory(fields: FormField[]): boolean {
  return fields.some(
    (f) => f.type === 'unit' || f.type === 'person' || (f.type === 'table' && needsDirectory(f.columns ?? [])),
  );
}

/**
 * Renders a form as a step may see it: hidden fields are left out, read-only fields are shown as text, append-only
 * fields keep what is there and take additions, opinions show their signed history with a box for a new one.
 * Conditional fields appear and disappear as the user types. Errors appear beside the fields they concern.
 */
export function FormRenderer({
  form,
  values,
  onChange,
  permissions,
  errors,
  disabled,
  original,
  instanceId,
  user,
}: FormRendererProps) {
  // What the form held when it opened: visibility rules that look at stored data read this, not the edits.
  const [firstValues] = useState(values);
  const stored = original ?? firstValues;
  const { directory, loading: directoryLoading } = useDirectory(needsDirectory(form.fields));

  const visible = useMemo(
    () => visibleFieldKeys(form, values, { permissions, currentData: stored, user }),
    [form, values, permissions, stored, user],
  );

  const set = (key: string, value: unknown) => onChange({ ...values, [key]: value });

  // Errors for paths that name no visible field (e.g. "data", an unknown key) still have to be seen.
  const knownKeys = new Set(form.fields.filter((f) => visible.has(f.key)).map((f) => f.key.toLowerCase()));
  const orphanErrors = Object.entries(errors ?? {})
    .filter(([path]) => {
      const head = path.replace(/^\$\./, '').split(/[.[]/)[0].toLowerCase();
      return !knownKeys.has(head);
    })
    .flatMap(([, messages]) => messages);

  return (
    <Form layout="vertical" component="div" className="form-renderer" requiredMark disabled={disabled}>
      {orphanErrors.length > 0 && (
        <div className="form-orphan-errors" role="alert">
          {orphanErrors.map((m, i) => (
            <div key={i}>{m}</div>
          ))}
        </div>
      )}
      <div className="form-grid">
        {form.fields.map((field, index) => {
          if (!visible.has(field.key)) return null;
          // A duplicate key is a definition error; the first field wins, as on the server.
          if (form.fields.findIndex((f) => f.key === field.key) !== index) return null;
          return (
            <FieldRow
              key={field.key}
              field={field}
              permission={permissionOf(permissions, field.key)}
              values={values}
              stored={stored}
              errors={errors}
              disabled={!!disabled}
              directory={directory}
              directoryLoading={directoryLoading}
              instanceId={instanceId}
              onSet={set}
            />
          );
        })}
      </div>
    </Form>
  );
}

interface FieldRowProps {
  field: FormField;
  permission: FieldPermission;
  values: FormValues;
  stored: FormValues;
  errors?: FieldErrors;
  disabled: boolean;
  directory: ReturnType<typeof useDirectory>['directory'];
  directoryLoading: boolean;
  instanceId?: string;
  onSet: (key: string, value: unknown) => void;
}

function FieldRow({
  field,
  permission,
  values,
  stored,
  errors,
  disabled,
  directory,
  directoryLoading,
  instanceId,
  onSet,
}: FieldRowProps) {
  const id = `field-${field.key}`;
  const fieldErrors = field.type === 'table' ? errorsAt(errors, field.key) : errorsUnder(errors, field.key);
  const invalid = fieldErrors.length > 0;
  const value = values[field.key];
  const storedValue = stored[field.key];
  const wide = WIDE_TYPES.has(field.type);

  let writable = field.type !== 'computed' && (permission === 'editable' || permission === 'appendOnly');
  // Append-only on a single value: it may be filled once, then it stays.
  const listLike =
    ['attachments', 'table', 'multiSelect', 'opinion'].includes(field.type) ||
    (field.type === 'checkbox' && (field.options?.length ?? 0) > 0) ||
    ((field.type === 'unit' || field.type === 'person') && !!field.multiple);
  if (writable && permission === 'appendOnly' && !listLike && !isEmpty(storedValue)) writable = false;

  const help = invalid ? fieldErrors.join('；') : undefined;
  // Help is for whoever fills the field; a value shown read-only needs none.
  const extra =
    field.type === 'computed'
      ? (field.help ?? '自动计算')
      : writable && !disabled
        ? (field.help ?? undefined)
        : undefined;

  let control;
  if (field.type === 'opinion') {
    const draftKey = opinionDraftKey(field.key);
    const max = Math.min(field.maxLength ?? OPINION_MAX_LENGTH, OPINION_MAX_LENGTH);
    control = (
      <div className="form-opinion">
        <OpinionHistory value={value} />
        {writable && (
          <Input.TextArea
            id={id}
            className="opinion-draft"
            value={typeof values[draftKey] === 'string' ? (values[draftKey] as string) : ''}
            onChange={(e) => onSet(draftKey, e.target.value)}
            disabled={disabled}
            status={invalid ? 'error' : undefined}
            placeholder={field.placeholder ?? '填写新意见（提交后签名并记录时间，不可修改）'}
            autoSize={{ minRows: 2, maxRows: 8 }}
            maxLength={max}
            showCount
          />
        )}
      </div>
    );
  } else if (writable) {
    control = (
      <FieldEditor
        field={field}
        id={id}
        value={value}
        onChange={(v) => onSet(field.key, v)}
        disabled={disabled}
        invalid={invalid}
        directory={directory}
        directoryLoading={directoryLoading}
        locked={permission === 'appendOnly' ? storedValue : undefined}
        instanceId={instanceId}
        errors={errors}
        path={field.key}
      />
    );
  } else {
    control = (
      <div id={id} className="form-readonly">
        <FieldDisplay field={field} value={value} directory={directory} />
      </div>
    );
  }

  return (
    <Form.Item
      className={`form-field form-field-${field.type}${wide ? ' form-field-wide' : ''}`}
      data-field={field.key}
      label={field.label}
      htmlFor={id}
      required={!!field.required && writable && !disabled}
      validateStatus={invalid ? 'error' : undefined}
      help={help}
      extra={extra}
    >
      {control}
    </Form.Item>
  );
}

export default FormRenderer;
