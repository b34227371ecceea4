import type { FormInstance } from 'antd';
import { isApiError } from '../../api/client';

/**
 * Puts a 400's per-field messages beside the form's fields. Returns the messages that belong to no field of the
 * form (to show in a general alert), or the error's own message when it is not a validation problem.
 */
export function showFieldErrors(form: FormInstance, error: unknown, fieldNames: readonly string[]): string[] {
  if (!isApiError(error) || !error.hasFieldErrors)
    return [isApiError(error) || error instanceof Error ? error.message : '发生未知错误'];
  const placed = new Set<string>();
  form.setFields(
    fieldNames.map((name) => {
      const errors = error.errorsFor(name);
      if (errors.length > 0) placed.add(name.toLowerCase());
      return { name, errors };
    }),
  );
  const rest: string[] = [];
  for (const [key, messages] of Object.entries(error.fieldErrors))
    if (!placed.has(key.toLowerCase().replace(/^\$\./, ''))) rest.push(...messages);
  return rest;
}
