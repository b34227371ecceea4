import type { FormDefinition, FormField } from '../../shared/flow';

/** The field the engine names an item by when none is marked (StartActivity.TitleField): key title, else the first text. */
export function defaultTitleField(form: FormDefinition): FormField | undefined {
  return form.fields.find((f) => f.key === 'title') ?? form.fields.find((f) => f.type === 'text');
}

/** The field that names the item, marked or by default. */
export function titleField(form: FormDefinition): FormField | undefined {
  const marked = form.itemFields?.title;
  return (marked ? form.fields.find((f) => f.key === marked) : undefined) ?? defaultTitleField(form);
}

/** Field types a source may be (the engine's ItemSource.Types): a choice, or short text. */
export const SOURCE_TYPES = new Set(['select', 'radio', 'multiSelect', 'text', 'textarea']);

/**
 * The field the ledger's 来源 takes when none is marked (the engine's ItemSource.Field): a field keyed source, else the
 * first choice field named 来源 or 依据.
 */
export function defaultSourceField(form: FormDefinition): FormField | undefined {
  return (
    form.fields.find((f) => f.key === 'source' && SOURCE_TYPES.has(f.type)) ??
    form.fields.find((f) => (f.type === 'select' || f.type === 'radio') && /来源|依据/.test(f.label))
  );
}

/** The form with its item fields changed; null parts are removed, and an empty object too. */
export function itemFieldsWith(
  form: FormDefinition,
  patch: { title?: string | null; deadline?: string | null; source?: string | null },
): FormDefinition {
  const next = { ...(form.itemFields ?? {}), ...patch };
  const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== null && v !== undefined));
  const { itemFields: _drop, ...rest } = form;
  void _drop;
  return Object.keys(clean).length ? { ...rest, itemFields: clean } : rest;
}

/** After a field key changed or a field was removed: the item fields follow (a removed field is unmarked). */
export function itemFieldsAfterKeys(form: FormDefinition, renamed?: { from: string; to: string }): FormDefinition {
  if (!form.itemFields) return form;
  const keys = new Set(form.fields.map((f) => f.key));
  const fix = (key: string | null | undefined) =>
    key && renamed && key === renamed.from ? renamed.to : key && keys.has(key) ? key : null;
  return itemFieldsWith(form, {
    title: fix(form.itemFields.title),
    deadline: fix(form.itemFields.deadline),
    source: fix(form.itemFields.source),
  });
}
