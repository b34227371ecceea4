/**
 * Pure form logic for the browser: permissions, conditional visibility, what a step submits, and validation that
 * mirrors the server's FormValidator (src/Duban.Engine/Forms/FormValidator.cs) message for message, so the user
 * sees the same errors before sending. The server validates again and has the last word (unit and person ids, for
 * instance, are checked only there).
 */
import { evaluateCondition, readCondition } from '../flow/conditions';
import { evaluate, truthy, UnsupportedExpression } from './expression';
import type {
  AttachmentRef,
  FieldErrors,
  FieldPermission,
  FieldPermissions,
  FormDefinition,
  FormField,
  FormValues,
  OpinionEntry,
} from './types';

export const OPINION_MAX_LENGTH = 2000;

/** Field types shown across the whole width of the form. */
export const WIDE_TYPES = new Set(['textarea', 'table', 'opinion', 'attachments']);

/** The step's permission for a field; fields not listed are editable (FormContext.DefaultPermission). */
export function permissionOf(permissions: FieldPermissions | undefined, key: string): FieldPermission {
  return permissions?.[key] ?? 'editable';
}

/** May the user type into this field at this step? (Computed fields never.) */
export function isWritable(field: FormField, permissions: FieldPermissions | undefined): boolean {
  if (field.type === 'computed') return false;
  const permission = permissionOf(permissions, field.key);
  return permission === 'editable' || permission === 'appendOnly';
}

/**
 * Where the draft of a new opinion lives in the form's values. The value under the field's own key stays the
 * history (as the item's data holds it); `#` cannot occur in a field key, so the two never collide.
 */
export function opinionDraftKey(key: string): string {
  return `${key}#draft`;
}

/** Missing, null, blank text or an empty list (FormValidator.IsEmpty). */
export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'string') return value.trim() === '';
  return false;
}

/** The opinion history kept under an opinion field (a non-list value counts as one entry, as on the server). */
export function opinionHistory(value: unknown): OpinionEntry[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) =>
    entry && typeof entry === 'object' && typeof (entry as OpinionEntry).text === 'string'
      ? (entry as OpinionEntry)
      : { text: typeof entry === 'string' ? entry : JSON.stringify(entry) },
  );
}

export function attachmentList(value: unknown): AttachmentRef[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (a): a is AttachmentRef =>
      !!a &&
      typeof a === 'object' &&
      typeof (a as AttachmentRef).id === 'string' &&
      typeof (a as AttachmentRef).name === 'string',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Visibility

export interface VisibilityOptions {
  permissions?: FieldPermissions;
  /** The item's data as stored (defaults to `values`). */
  currentData?: FormValues;
  /** Process variables (`vars` in scripts), when known. */
  vars?: FormValues;
  /** The signed-in user (`user` in scripts), when known. */
  user?: unknown;
}

/**
 * The data a condition sees: the stored data overlaid with what the user may write (FormValidator.VisibilityData).
 * `item` in a script is this; `form` is the submission.
 */
export function visibilityData(form: FormDefinition, values: FormValues, options: VisibilityOptions = {}): FormValues {
  const data: FormValues = { ...(options.currentData ?? values) };
  for (const field of form.fields) {
    if (field.type === 'computed' || field.type === 'opinion') continue;
    const permission = permissionOf(options.permissions, field.key);
    if (permission === 'readOnly' || permission === 'hidden') continue;
    if (Object.hasOwn(values, field.key)) data[field.key] = values[field.key];
  }
  return data;
}

/** Whether the field is shown only under a condition (built or script), as the engine's FieldVisibility.IsConditional. */
export function isConditional(field: FormField): boolean {
  return (field.visibleIf !== undefined && field.visibleIf !== null) || !!field.visibleWhen?.trim();
}

/**
 * Is the field shown? A field without a condition always is. A condition built by clicking (visibleIf) is evaluated by
 * the engine's rules (evaluateCondition), so the browser and the server agree. A script outside what the browser can
 * evaluate (see expression.ts), or any condition that fails, counts as true: the field stays on screen and the server
 * decides.
 */
export function isFieldVisible(
  field: FormField,
  item: FormValues,
  submission: FormValues,
  options: VisibilityOptions = {},
): boolean {
  if (field.visibleIf) {
    const built = readCondition(field.visibleIf);
    try {
      return built ? evaluateCondition(built, item) : true;
    } catch {
      return true;
    }
  }
  const condition = field.visibleWhen?.trim();
  if (!condition) return true;
  try {
    return truthy(
      evaluate(condition, { item, form: submission, vars: options.vars ?? {}, user: options.user ?? null }),
    );
  } catch (error) {
    if (error instanceof UnsupportedExpression || error instanceof Error) return true;
    throw error;
  }
}

/** Keys of the fields shown at this step: not hidden by permission, and their condition (if any) holds. */
export function visibleFieldKeys(
  form: FormDefinition,
  values: FormValues,
  options: VisibilityOptions = {},
): Set<string> {
  const submitted = submission(form, values, options.permissions);
  const item = visibilityData(form, values, options);
  const keys = new Set<string>();
  for (const field of form.fields) {
    if (permissionOf(options.permissions, field.key) === 'hidden') continue;
    if (!isFieldVisible(field, item, submitted, options)) continue;
    keys.add(field.key);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------------------
// Submission

/**
 * What the step sends as `data`: the values of the fields it may write (editable and append-only; not computed,
 * read-only or hidden). An opinion sends only the new text (from {@link opinionDraftKey}), trimmed, or nothing.
 * Keys the user never touched are still sent so that the server sees the whole form.
 */
export function submission(form: FormDefinition, values: FormValues, permissions?: FieldPermissions): FormValues {
  const out: FormValues = {};
  const seen = new Set<string>();
  for (const field of form.fields) {
    if (seen.has(field.key)) continue;
    seen.add(field.key);
    if (!isWritable(field, permissions)) continue;
    if (field.type === 'opinion') {
      const draft = values[opinionDraftKey(field.key)];
      if (typeof draft === 'string' && draft.trim() !== '') out[field.key] = draft.trim();
      continue;
    }
    if (Object.hasOwn(values, field.key)) out[field.key] = normalise(values[field.key]);
  }
  return out;
}

/** Empty text and empty lists travel as null, as the server stores them. */
function normalise(value: unknown): unknown {
  return value === undefined || isEmpty(value) ? null : value;
}

/**
 * What the step sends, without the fields hidden by their condition: the server ignores (and does not store) a
 * hidden field's value, so there is no point in sending it.
 */
export function visibleSubmission(
  form: FormDefinition,
  values: FormValues,
  options: VisibilityOptions = {},
): FormValues {
  const visible = visibleFieldKeys(form, values, options);
  const all = submission(form, values, options.permissions);
  return Object.fromEntries(Object.entries(all).filter(([key]) => visible.has(key)));
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (mirrors FormValidator)

export interface ValidationOptions extends VisibilityOptions {
  /** Check unit and person ids (the server always does). */
  unitExists?: (id: string) => boolean;
  userExists?: (id: string) => boolean;
}

/**
 * Validates what the step would submit. Returns every problem found, keyed by field path (`report`,
 * `rows[1].unit`, `attachments[0]`); an empty object means valid. Messages are the server's.
 */
export function validateForm(form: FormDefinition, values: FormValues, options: ValidationOptions = {}): FieldErrors {
  const errors: FieldErrors = {};
  const add = (path: string, message: string) => {
    (errors[path] ??= []).push(message);
  };
  const current = options.currentData ?? values;
  const submitted = submission(form, values, options.permissions);
  const item = visibilityData(form, values, options);
  const seen = new Set<string>();

  for (const field of form.fields) {
    if (seen.has(field.key)) continue;
    seen.add(field.key);
    if (field.type === 'computed') continue;
    const permission = permissionOf(options.permissions, field.key);
    if (permission === 'readOnly' || permission === 'hidden') continue;
    if (isConditional(field) && !isFieldVisible(field, item, submitted, options)) continue;

    const has = Object.hasOwn(submitted, field.key);
    const value = submitted[field.key];

    if (field.type === 'opinion') {
      if (!has) {
        if (field.required) add(field.key, requiredMessage(field));
      } else {
        checkLength(
          field,
          String(value),
          field.key,
          add,
          Math.min(field.maxLength ?? OPINION_MAX_LENGTH, OPINION_MAX_LENGTH),
        );
      }
      continue;
    }

    // A date field that defaults to today is filled in by the server when it is left empty.
    const required = field.required && !(field.type === 'date' && field.defaultToday);
    if (!has) {
      if (required && isEmpty(current[field.key])) add(field.key, requiredMessage(field));
      continue;
    }

    if (isEmpty(value)) {
      if (required) add(field.key, requiredMessage(field));
      else if (permission === 'appendOnly' && !isEmpty(current[field.key])) add(field.key, appendOnlyMessage(field));
      continue;
    }

    const before = countMessages(errors);
    validateValue(field, value, field.key, add, options);
    if (countMessages(errors) > before) continue;

    if (permission === 'appendOnly' && !keepsExisting(current[field.key], value))
      add(field.key, appendOnlyMessage(field));
  }
  return errors;
}

function countMessages(errors: FieldErrors): number {
  return Object.values(errors).reduce((n, list) => n + list.length, 0);
}

type Add = (path: string, message: string) => void;

export function requiredMessage(field: FormField): string {
  return `「${field.label}」为必填项`;
}

function appendOnlyMessage(field: FormField): string {
  return `「${field.label}」只能追加，不能修改或删除已有内容`;
}

/** Checks a non-empty value against the field's type and constraints (FormValidator.ValidateValue). */
function validateValue(field: FormField, value: unknown, path: string, add: Add, options: ValidationOptions): void {
  const label = field.label;
  switch (field.type) {
    case 'text':
    case 'textarea':
      if (typeof value !== 'string') {
        add(path, `「${label}」应为文本`);
        return;
      }
      checkLength(field, value, path, add, field.maxLength ?? undefined);
      if (field.pattern) checkPattern(field, value, path, add);
      return;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        add(path, `「${label}」应为数字`);
        return;
      }
      if (field.min !== null && field.min !== undefined && value < field.min)
        add(path, `「${label}」不能小于${field.min}`);
      if (field.max !== null && field.max !== undefined && value > field.max)
        add(path, `「${label}」不能大于${field.max}`);
      return;
    }
    case 'date':
      if (typeof value !== 'string' || !isDate(value)) add(path, `「${label}」应为日期（yyyy-MM-dd）`);
      return;
    case 'dateRange': {
      if (!Array.isArray(value) || value.length !== 2) {
        add(path, `「${label}」应为日期范围（开始日期和结束日期）`);
        return;
      }
      const [start, end] = value;
      if (typeof start !== 'string' || !isDate(start) || typeof end !== 'string' || !isDate(end)) {
        add(path, `「${label}」应为日期（yyyy-MM-dd）`);
        return;
      }
      if (start > end) add(path, `「${label}」的开始日期不能晚于结束日期`);
      return;
    }
    case 'select':
    case 'radio':
      if (typeof value !== 'string') add(path, `「${label}」应为单个选项`);
      else checkOption(field, value, path, add);
      return;
    case 'multiSelect':
      checkChoices(field, value, path, add);
      return;
    case 'checkbox':
      if (field.options && field.options.length > 0) checkChoices(field, value, path, add);
      else if (typeof value !== 'boolean') add(path, `「${label}」应为是或否`);
      return;
    case 'unit':
      checkReferences(field, value, path, add, '单位', options.unitExists);
      return;
    case 'person':
      checkReferences(field, value, path, add, '人员', options.userExists);
      return;
    case 'attachments':
      if (!Array.isArray(value)) {
        add(path, `「${label}」应为附件列表`);
        return;
      }
      value.forEach((item, i) => {
        if (!isAttachment(item)) add(`${path}[${i}]`, `「${label}」的第${i + 1}个附件格式不正确`);
      });
      return;
    case 'table':
      checkTable(field, value, path, add, options);
      return;
    case 'computed':
      add(path, `「${label}」为计算字段，不可填写`);
      return;
    default:
      add(path, `「${label}」的字段类型「${field.type}」不受支持`);
  }
}

function checkLength(field: FormField, text: string, path: string, add: Add, maxLength: number | undefined): void {
  const length = [...text].length; // code points, as .NET's EnumerateRunes
  if (field.minLength !== null && field.minLength !== undefined && length < field.minLength) {
    add(path, `「${field.label}」不能少于${field.minLength}个字`);
  }
  if (maxLength !== undefined && maxLength !== null && length > maxLength)
    add(path, `「${field.label}」不能超过${maxLength}个字`);
}

/** .NET and JavaScript regular expressions agree on the common subset; a pattern JavaScript cannot read is left to the server. */
function checkPattern(field: FormField, text: string, path: string, add: Add): void {
  let regex: RegExp;
  try {
    regex = new RegExp(field.pattern!, 'u');
  } catch {
    try {
      regex = new RegExp(field.pattern!);
    } catch {
      return;
    }
  }
  if (!regex.test(text)) {
    add(path, field.patternMessage?.trim() ? field.patternMessage : `「${field.label}」格式不正确`);
  }
}

function checkOption(field: FormField, choice: string, path: string, add: Add): void {
  if (!field.options?.some((o) => o.value === choice)) add(path, `「${field.label}」的选项「${choice}」不存在`);
}

function checkChoices(field: FormField, value: unknown, path: string, add: Add): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    add(path, `「${field.label}」应为选项列表`);
    return;
  }
  for (const choice of value as string[]) checkOption(field, choice, path, add);
}

function checkReferences(
  field: FormField,
  value: unknown,
  path: string,
  add: Add,
  kind: string,
  exists: ((id: string) => boolean) | undefined,
): void {
  let ids: string[];
  if (field.multiple) {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      add(path, `「${field.label}」应为${kind}列表`);
      return;
    }
    ids = value as string[];
  } else {
    if (typeof value !== 'string' || value === '') {
      add(path, `「${field.label}」应为单个${kind}`);
      return;
    }
    ids = [value];
  }
  if (!exists) return;
  for (const id of new Set(ids)) if (!exists(id)) add(path, `${kind}「${id}」不存在`);
}

function isAttachment(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const a = value as Record<string, unknown>;
  if (typeof a.id !== 'string' || a.id === '' || typeof a.name !== 'string' || a.name === '') return false;
  return Object.entries(a).every(([key, v]) => {
    switch (key) {
      case 'id':
      case 'name':
        return true;
      case 'size':
        return v === null || typeof v === 'number';
      case 'contentType':
        return v === null || typeof v === 'string';
      default:
        return false;
    }
  });
}

function checkTable(field: FormField, value: unknown, path: string, add: Add, options: ValidationOptions): void {
  if (!Array.isArray(value)) {
    add(path, `「${field.label}」应为表格行的列表`);
    return;
  }
  const columns = field.columns ?? [];
  const keys = new Set(columns.map((c) => c.key));
  value.forEach((row, i) => {
    const rowPath = `${path}[${i}]`;
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      add(rowPath, `「${field.label}」第${i + 1}行格式不正确`);
      return;
    }
    for (const key of Object.keys(row)) if (!keys.has(key)) add(`${rowPath}.${key}`, `未知字段「${key}」`);
    for (const column of columns) {
      const cellPath = `${rowPath}.${column.key}`;
      const cell = (row as Record<string, unknown>)[column.key];
      if (isEmpty(cell)) {
        if (column.required && column.type !== 'computed') add(cellPath, requiredMessage(column));
        continue;
      }
      validateValue(column, cell, cellPath, add, options);
    }
  });
}

/** Append-only: every existing list entry is still there, unchanged; any other value must not change. */
export function keepsExisting(current: unknown, value: unknown): boolean {
  if (isEmpty(current)) return true;
  if (!Array.isArray(current) || !Array.isArray(value)) return deepEqual(current, value);
  const remaining = [...value];
  for (const entry of current) {
    const index = remaining.findIndex((v) => deepEqual(v, entry));
    if (index < 0) return false;
    remaining.splice(index, 1);
  }
  return true;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b as object, k) &&
        deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors from the server

/**
 * Errors of one field: its own path and every path under it (`rows[1].unit`, `attachments[0]`). Field names from
 * the server are matched case-insensitively (ASP.NET may capitalise the first letter).
 */
export function errorsUnder(errors: FieldErrors | undefined, key: string): string[] {
  if (!errors) return [];
  const wanted = key.toLowerCase();
  const out: string[] = [];
  for (const [path, messages] of Object.entries(errors)) {
    const p = path.toLowerCase().replace(/^\$\./, '');
    if (p === wanted || p.startsWith(`${wanted}[`) || p.startsWith(`${wanted}.`)) out.push(...messages);
  }
  return out;
}

/** Errors of exactly this path (no children). */
export function errorsAt(errors: FieldErrors | undefined, path: string): string[] {
  if (!errors) return [];
  const wanted = path.toLowerCase();
  const out: string[] = [];
  for (const [p, messages] of Object.entries(errors))
    if (p.toLowerCase().replace(/^\$\./, '') === wanted) out.push(...messages);
  return out;
}

/** Errors whose path names a form field, and the rest (shown above the form). */
export function splitErrors(
  form: FormDefinition | null | undefined,
  errors: FieldErrors,
): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  const keys = (form?.fields ?? []).map((f) => f.key.toLowerCase());
  for (const [path, messages] of Object.entries(errors)) {
    const p = path.toLowerCase().replace(/^\$\./, '');
    if (keys.some((k) => p === k || p.startsWith(`${k}[`) || p.startsWith(`${k}.`))) fields[path] = messages;
    else other.push(...messages);
  }
  return { fields, other };
}

/**
 * The errors that still stand after an edit: those under a field whose value changed are dropped (the user is
 * fixing it; the next submit checks again). An opinion's draft counts as its field.
 */
export function errorsAfterEdit(errors: FieldErrors, before: FormValues, after: FormValues): FieldErrors {
  const changed = new Set<string>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!deepEqual(before[key], after[key])) changed.add(key.replace(/#draft$/, '').toLowerCase());
  }
  if (changed.size === 0) return errors;
  const out: FieldErrors = {};
  let dropped = false;
  for (const [path, messages] of Object.entries(errors)) {
    const head = path.replace(/^\$\./, '').split(/[.[]/)[0].toLowerCase();
    if (changed.has(head)) dropped = true;
    else out[path] = messages;
  }
  return dropped ? out : errors;
}
