/**
 * The form model, mirroring src/Duban.Engine/Forms/FormDefinition.cs (JSON, camelCase).
 * A form is versioned with the workflow definition that carries it (`definition.forms`);
 * each step names a form and gives every field a permission.
 */

/** Field types the engine supports (FieldTypes in FormDefinition.cs). */
export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'dateRange',
  'select',
  'multiSelect',
  'radio',
  'checkbox',
  'unit',
  'person',
  'attachments',
  'table',
  'opinion',
  'computed',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldOption {
  value: string;
  label: string;
}

/** A condition group as stored (shared/flow ConditionGroup; kept structural here so forms need not import the flow). */
export interface VisibleCondition {
  match?: string | null;
  rules?: VisibleCondition[] | null;
  field?: string | null;
  op?: string | null;
  value?: unknown;
}

export interface FormField {
  /** Key of the value in the item's data (letters, digits, underscore). */
  key: string;
  label: string;
  /** One of FIELD_TYPES; an unknown type is rendered as an error, never silently dropped. */
  type: FieldType | (string & {});
  required?: boolean;
  /** Unit and person pickers: several values allowed. */
  multiple?: boolean;
  options?: FieldOption[] | null;
  /** A regular expression a text value must match (.NET syntax; the common subset matches JavaScript's). */
  pattern?: string | null;
  patternMessage?: string | null;
  min?: number | null;
  max?: number | null;
  minLength?: number | null;
  maxLength?: number | null;
  /**
   * 显示条件 built by clicking (the engine's Condition: `{ match, rules }`): the field is shown (and validated) only when it
   * holds. Evaluated by the same rules here and on the server (evaluateCondition / ConditionEvaluator); wins over
   * visibleWhen.
   */
  visibleIf?: VisibleCondition | null;
  /** 显示条件 as JavaScript (「高级」); the field is shown (and validated) only when it is true. */
  visibleWhen?: string | null;
  /** JavaScript expression of a read-only computed field (evaluated by the server). */
  compute?: string | null;
  /** Columns of a sub-table (type table). */
  columns?: FormField[] | null;
  placeholder?: string | null;
  help?: string | null;
  /** A date field: today when a form with it is submitted and it is still empty. */
  defaultToday?: boolean;
  /** A date field: the id of the step that writes the date it reaches (交办日期 by the 交办 step). */
  stampedBy?: string | null;
  /** When the step writes it: 'start' (the default) or 'done'. */
  stampWhen?: string | null;
}

export interface FormDefinition {
  id: string;
  name: string;
  fields: FormField[];
  /** On a start form: the fields that name the item and give its 完成时限 (FormItemFields; decision 029). */
  itemFields?: { title?: string | null; deadline?: string | null; source?: string | null } | null;
}

/** What a step may do with a field (FieldPermission, camelCase). */
export type FieldPermission = 'editable' | 'readOnly' | 'hidden' | 'appendOnly';

/** Field key → permission; fields not listed are editable (the engine's default). */
export type FieldPermissions = Record<string, FieldPermission>;

/** Field path (`report`, `rows[1].unit`) → messages. */
export type FieldErrors = Record<string, string[]>;

/** The item's data: field key → JSON value. */
export type FormValues = Record<string, unknown>;

/** An opinion history entry, as FormDataMerger writes it. */
export interface OpinionEntry {
  text: string;
  userId?: string | null;
  userName?: string | null;
  unitName?: string | null;
  step?: string | null;
  /** ISO 8601 instant. */
  at?: string | null;
}

/** An attachment reference kept in an attachments field: `{ id, name, size?, contentType? }`. */
export interface AttachmentRef {
  id: string;
  name: string;
  size?: number | null;
  contentType?: string | null;
}

/** Units and people the pickers offer and show by name. */
export interface DirectoryUnit {
  id: string;
  name: string;
  parentId: string | null;
}

export interface DirectoryUser {
  id: string;
  displayName: string;
  unitId: string | null;
  unitName: string | null;
}
