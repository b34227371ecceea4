import type { FormInstance } from 'antd';
import { isApiError } from '../api/client';

type NamePath = (string | number)[];

/**
 * A server field name as an antd name path: "record.phone" → ["record", "phone"], "rungs[2].name" →
 * ["rungs", 2, "name"]; System.Text.Json's "$." prefix is dropped.
 */
export function toNamePath(serverName: string): NamePath {
  const path: NamePath = [];
  for (const part of serverName.replace(/^\$\.?/, '').split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      path.push(part);
      continue;
    }
    if (match[1]) path.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

const pathKey = (path: readonly (string | number)[]) => path.map((p) => String(p).toLowerCase()).join('.');

export interface MapServerErrorsOptions {
  /**
   * The form's field names that may receive messages, when not every field is registered yet (a field inside a
   * collapsed panel). Registered fields are always matched.
   */
  fields?: readonly (string | NamePath)[];
  /** A server prefix the form does not have: "record." makes "record.phone" land on "phone". */
  stripPrefix?: string;
}

export interface MatchedServerErrors {
  /** Messages per field, keyed by the name as given (a name path joined with "."). */
  fields: Record<string, string[]>;
  /** Messages of fields not given. */
  rest: string[];
}

/**
 * Sorts a validation problem's messages onto the given field names (case-insensitively, nested names and list indexes
 * included, after dropping `stripPrefix`); what matches no name goes to `rest`. The one matching rule for every form,
 * antd's (mapServerErrors) and the hand-held ones of the record dialogs.
 */
export function matchServerErrors(
  fieldErrors: Readonly<Record<string, string[]>>,
  names: readonly (string | NamePath)[],
  stripPrefix?: string,
): MatchedServerErrors {
  const known = new Map(
    names.map((n) => {
      const path = typeof n === 'string' ? toNamePath(n) : n;
      return [pathKey(path), path.join('.')] as const;
    }),
  );
  const fields: Record<string, string[]> = {};
  const rest: string[] = [];
  const prefix = stripPrefix?.toLowerCase();
  for (const [key, messages] of Object.entries(fieldErrors)) {
    let serverName = key.replace(/^\$\.?/, '');
    if (prefix && serverName.toLowerCase().startsWith(prefix)) serverName = serverName.slice(prefix.length);
    const name = known.get(pathKey(toNamePath(serverName)));
    if (name === undefined) rest.push(...messages);
    else fields[name] = [...(fields[name] ?? []), ...messages];
  }
  return { fields, rest };
}

/**
 * Puts an error's per-field messages beside the form's fields (names matched case-insensitively, nested names and
 * list indexes included), and clears the earlier messages of the fields it knows. Returns what belongs to no field —
 * the messages of unknown fields, or the error's own message when it is not a validation problem — for an alert.
 */
export function mapServerErrors(form: FormInstance, error: unknown, options: MapServerErrorsOptions = {}): string[] {
  if (!isApiError(error)) return [error instanceof Error && error.message ? error.message : '发生未知错误'];
  if (!error.hasFieldErrors) return [error.message];

  const names = new Map<string, NamePath>();
  for (const { name } of form.getFieldsError()) names.set(pathKey(name), name as NamePath);
  for (const f of options.fields ?? []) {
    const name = typeof f === 'string' ? toNamePath(f) : f;
    if (!names.has(pathKey(name))) names.set(pathKey(name), name);
  }
  const { fields, rest } = matchServerErrors(error.fieldErrors, [...names.values()], options.stripPrefix);
  form.setFields([...names.values()].map((name) => ({ name, errors: fields[name.join('.')] ?? [] })));
  return [...new Set(rest)];
}
