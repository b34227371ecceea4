import type { JsonObject, JsonValue } from '../../../shared/flow';

/**
 * The procedure options 流程设置 edits as forms (decision 029), read and written one part at a time so that whatever
 * else the options hold (parts this build does not know) is kept. Pure.
 */

export function objectAt(options: JsonObject | null | undefined, key: string): JsonObject | undefined {
  const value = options?.[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** options with `key` set to `value` (undefined removes it); null when nothing is left. */
export function withPart(
  options: JsonObject | null | undefined,
  key: string,
  value: JsonValue | undefined,
): JsonObject | null {
  const next: JsonObject = { ...(options ?? {}) };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return Object.keys(next).length ? next : null;
}

/** A part's object with `field` set (undefined removes it); undefined when the part is left empty. */
export function withField(
  part: JsonObject | undefined,
  field: string,
  value: JsonValue | undefined,
): JsonObject | undefined {
  const next: JsonObject = { ...(part ?? {}) };
  if (value === undefined) delete next[field];
  else next[field] = value;
  return Object.keys(next).length ? next : undefined;
}

export function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

// ───────────── numbering ─────────────

export interface NumberingDraft {
  /** Text before the year, e.g. 督. */
  prefix: string;
  /** Whether the year appears, in 〔〕. */
  year: boolean;
  /** Whether the month appears after the year. */
  month: boolean;
  /** Digits of the running number (0: as many as needed). */
  digits: number;
  /** Text between the year and the number, e.g. 第. */
  middle: string;
  /** Text after the number, e.g. 号. */
  suffix: string;
}

const SIMPLE = /^([^{}]*?)(〔\{year\}(\{month\})?〕)?([^{}]*?)\{seq(?::(\d+))?\}([^{}]*)$/;

/** The pattern as the simple form shows it, or null when it is shaped otherwise (then it is edited as text). */
export function parsePattern(pattern: string): NumberingDraft | null {
  const m = SIMPLE.exec(pattern);
  if (!m) return null;
  const year = !!m[2];
  return {
    prefix: year ? m[1] : m[1] + m[4],
    year,
    month: !!m[3],
    middle: year ? m[4] : '',
    digits: m[5] ? Number(m[5]) : 0,
    suffix: m[6],
  };
}

export function patternOf(d: NumberingDraft): string {
  const seq = d.digits > 0 ? `{seq:${d.digits}}` : '{seq}';
  const date = d.year ? `〔{year}${d.month ? '{month}' : ''}〕` : '';
  return `${d.prefix}${date}${d.year ? d.middle : ''}${seq}${d.suffix}`;
}

/** What the number looks like, e.g. 督〔2026〕12号, without asking the server (for the form's own echo). */
export function samplePattern(pattern: string, at: Date, seq: number): string {
  return pattern
    .replace('{year}', String(at.getFullYear()))
    .replace('{month}', String(at.getMonth() + 1).padStart(2, '0'))
    .replace(/\{seq(?::(\d+))?\}/, (_, pad: string | undefined) => String(seq).padStart(pad ? Number(pad) : 0, '0'));
}

// ───────────── variables ─────────────

export interface VariableRow {
  name: string;
  typeName: string;
  value: JsonValue;
}

export const VARIABLE_TYPES = [
  { value: 'String', label: '文本', empty: '' as JsonValue },
  { value: 'Number', label: '数字', empty: 0 as JsonValue },
  { value: 'Boolean', label: '是/否', empty: false as JsonValue },
] as const;

export function variableProblem(rows: readonly VariableRow[], index: number): string | null {
  const name = rows[index].name;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return '变量名只能用字母、数字和下划线，且不以数字开头';
  if (rows.findIndex((r) => r.name === name) !== index) return '变量名重复';
  return null;
}
