import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/flow';
import { removeField, renameFieldKey } from './formModel';
import { defaultSourceField, defaultTitleField, itemFieldsWith, titleField } from './itemFields';

const form: FormDefinition = {
  id: 'f',
  name: '登记',
  fields: [
    { key: 'amount', label: '金额', type: 'number' },
    { key: 'text1', label: '来文单位', type: 'text' },
    { key: 'text2', label: '事项名称', type: 'text' },
    { key: 'date1', label: '完成时限', type: 'date' },
  ],
};

describe('the start form says what the item is', () => {
  it('names the item by the first single-line text unless a field is marked', () => {
    expect(defaultTitleField(form)?.label).toBe('来文单位');
    expect(titleField(itemFieldsWith(form, { title: 'text2' }))?.label).toBe('事项名称');
  });

  it('follows a renamed key and forgets a removed field', () => {
    const marked = itemFieldsWith(form, { title: 'text2', deadline: 'date1' });
    const definition = {
      definitionId: 'p',
      name: 'p',
      forms: [marked],
      root: { type: 'Duban.Flowchart', id: 'flowchart', activities: [], connections: [] },
    };
    expect(renameFieldKey(definition as never, 'f', 'text2', 'subject').forms![0].itemFields).toEqual({
      title: 'subject',
      deadline: 'date1',
    });
    expect(removeField(marked, 'date1').itemFields).toEqual({ title: 'text2' });
    expect(removeField(removeField(marked, 'date1'), 'text2').itemFields).toBeUndefined();
  });

  it('takes the ledger 来源 from the marked field, else a field keyed source, else a choice named 来源 or 依据', () => {
    const choice = { key: 'select1', label: '立项依据', type: 'select', options: [{ value: '会议', label: '会议' }] };
    expect(defaultSourceField(form)).toBeUndefined();
    expect(defaultSourceField({ ...form, fields: [...form.fields, choice] })?.key).toBe('select1');
    expect(
      defaultSourceField({ ...form, fields: [...form.fields, choice, { key: 'source', label: '来文', type: 'text' }] })
        ?.key,
    ).toBe('source');
    // A text field named 来源 is not taken by default (only a choice is): 来文单位 stays an ordinary field.
    expect(defaultSourceField({ ...form, fields: [{ key: 'from', label: '来源说明', type: 'text' }] })).toBeUndefined();
    const marked = itemFieldsWith(form, { source: 'text1' });
    expect(marked.itemFields).toEqual({ source: 'text1' });
    expect(removeField(marked, 'text1').itemFields).toBeUndefined();
  });
});
