import type { TaskDetail } from '../../api/types';
import { opinionDraftKey } from '../../shared/forms/logic';
import type { FormValues } from '../../shared/forms/types';

/**
 * The opinions typed into a step's form (意见 fields the step may write), for a send-back: the server keeps them with
 * the 退回 for the one who redoes the step and takes nothing else from the form. Null when none was typed.
 */
export function opinionValues(
  form: TaskDetail['form'] | null,
  values: FormValues,
  permissions: TaskDetail['permissions'],
): Record<string, string> | null {
  if (!form) return null;
  const found: Record<string, string> = {};
  for (const field of form.fields) {
    if (field.type !== 'opinion') continue;
    const permission = permissions[field.key] ?? 'editable';
    if (permission !== 'editable' && permission !== 'appendOnly') continue;
    // The new opinion is typed beside the field's history (see opinionDraftKey).
    const value = values[opinionDraftKey(field.key)];
    if (typeof value === 'string' && value.trim() !== '') found[field.key] = value.trim();
  }
  return Object.keys(found).length > 0 ? found : null;
}
