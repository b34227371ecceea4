import { getLiteral, getLiteralString } from '../../shared/flow/inputs';
import type { WorkflowDefinition } from '../../shared/flow/types';
import type { FieldPermissions, FormDefinition } from '../../shared/forms/types';

export const START_TYPE = 'Duban.Start';

export interface StartForm {
  /** The start form, or null when the procedure starts without one. */
  form: FormDefinition | null;
  permissions: FieldPermissions;
}

/** What 发起 shows: the form and field permissions of the procedure's start activity (StartActivity.AcceptStartForm). */
export function startFormOf(definition: WorkflowDefinition): StartForm {
  const start = definition.root.activities.find((a) => a.type === START_TYPE);
  if (!start) return { form: null, permissions: {} };
  const formId = getLiteralString(start, 'form');
  const form = formId ? ((definition.forms ?? []).find((f) => f.id === formId) ?? null) : null;
  const permissions = getLiteral<FieldPermissions>(start, 'fieldPermissions') ?? {};
  return { form, permissions: permissions && typeof permissions === 'object' ? permissions : {} };
}
