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

/**
 * Puts an error's per-field messages beside the form's fields (names matched case-insensitively, nested names and
 * list indexes included), and clears the earlier messages of the fields it knows. Returns what belongs to no field —
 * the messages of unknown fields, or the error's own message when it is not a validation problem — for an alert.
 */
export function mapServerErrors(form: FormInstance, error: unknown, options: MapServerErrorsOptions = {}): string[] {
  if (!isApiError(error)) return [error instanceof Error && error.message ? error.message : '发生未知错误'];
  if (!error.hasFieldErrors) return [error.message];

  const known = new Map<string, NamePath>();
  for (const { name } of form.getFieldsError()) known.set(pathKey(name), name as NamePath);
  for (const f of options.fields ?? []) {
    const name = typeof f === 'string' ? toNamePath(f) : f;
    if (!known.has(pathKey(name))) known.set(pathKey(name), name);
  }

  const placed = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: string[] = [];
  const prefix = options.stripPrefix?.toLowerCase();
  for (const [key, messages] of Object.entries(error.fieldErrors)) {
    let serverName = key.replace(/^\$\.?/, '');
    if (prefix && serverName.toLowerCase().startsWith(prefix)) serverName = serverName.slice(prefix.length);
    const name = known.get(pathKey(toNamePath(serverName)));
    if (!name) {
      rest.push(...messages);
      continue;
    }
    const entry = placed.get(pathKey(name)) ?? { name, errors: [] };
    entry.errors.push(...messages);
    placed.set(pathKey(name), entry);
  }
  form.setFields([
    ...[...known.values()].filter((name) => !placed.has(pathKey(name))).map((name) => ({ name, errors: [] })),
    ...placed.values(),
  ]);
  return [...new Set(rest)];
}
