import { describe, expect, it } from 'vitest';
import {
  errorsAfterEdit,
  errorsUnder,
  isEmpty,
  keepsExisting,
  opinionDraftKey,
  splitErrors,
  submission,
  validateForm,
  visibleFieldKeys,
  visibleSubmission,
} from './logic';
import type { FormDefinition, FormField } from './types';

function form(...fields: FormField[]): FormDefinition {
  return { id: 'f', name: '表单', fields };
}

const text = (key: string, extra: Partial<FormField> = {}): FormField => ({
  key,
  label: key.toUpperCase(),
  type: 'text',
  ...extra,
});

describe('isEmpty', () => {
  it('treats null, blank text and empty lists as empty', () => {
    expect([null, undefined, '', '  ', []].every(isEmpty)).toBe(true);
    expect([0, false, 'a', [1], {}].some(isEmpty)).toBe(false);
  });
});

describe('必填与规则校验（与服务端一致）', () => {
  it('reports a required field that is empty, with the server message', () => {
    const f = form(text('title', { label: '事项名称', required: true }));
    expect(validateForm(f, { title: '  ' })).toEqual({ title: ['「事项名称」为必填项'] });
    expect(validateForm(f, { title: '有内容' })).toEqual({});
  });

  it('skips read-only and hidden fields, and computed ones', () => {
    const f = form(text('a', { required: true }), text('b', { required: true }), {
      key: 'c',
      label: 'C',
      type: 'computed',
      compute: '1',
    });
    expect(validateForm(f, {}, { permissions: { a: 'readOnly', b: 'hidden' } })).toEqual({});
  });

  it('checks length, pattern and custom pattern messages', () => {
    const f = form(
      text('code', { label: '编码', pattern: '^[A-Z]{2}\\d+$', patternMessage: '编码应为两个大写字母加数字' }),
      text('name', { label: '名称', minLength: 2, maxLength: 4 }),
      text('plain', { label: '普通', pattern: '^\\d+$' }),
    );
    expect(validateForm(f, { code: 'ab1', name: '张', plain: 'x' })).toEqual({
      code: ['编码应为两个大写字母加数字'],
      name: ['「名称」不能少于2个字'],
      plain: ['「普通」格式不正确'],
    });
    expect(validateForm(f, { name: '五个字太长' }).name).toEqual(['「名称」不能超过4个字']);
    // Length counts characters (code points), not UTF-16 units.
    expect(validateForm(f, { name: '𠀀𠀀𠀀𠀀' })).toEqual({});
  });

  it('checks numbers against min and max', () => {
    const f = form({ key: 'n', label: '数量', type: 'number', min: 1, max: 10 });
    expect(validateForm(f, { n: 0 }).n).toEqual(['「数量」不能小于1']);
    expect(validateForm(f, { n: 11 }).n).toEqual(['「数量」不能大于10']);
    expect(validateForm(f, { n: '5' }).n).toEqual(['「数量」应为数字']);
    expect(validateForm(f, { n: 5 })).toEqual({});
  });

  it('checks dates and date ranges', () => {
    const f = form({ key: 'd', label: '日期', type: 'date' }, { key: 'r', label: '期间', type: 'dateRange' });
    expect(validateForm(f, { d: '2026-02-30' }).d).toEqual(['「日期」应为日期（yyyy-MM-dd）']);
    expect(validateForm(f, { r: ['2026-03-02', '2026-03-01'] }).r).toEqual(['「期间」的开始日期不能晚于结束日期']);
    expect(validateForm(f, { d: '2026-02-28', r: ['2026-03-01', '2026-03-01'] })).toEqual({});
  });

  it('checks options of selects, multi-selects and checkbox groups', () => {
    const options = [
      { value: 'a', label: '甲' },
      { value: 'b', label: '乙' },
    ];
    const f = form(
      { key: 's', label: '单选', type: 'select', options },
      { key: 'm', label: '多选', type: 'multiSelect', options },
      { key: 'c', label: '勾选', type: 'checkbox', options },
      { key: 'yes', label: '同意', type: 'checkbox' },
    );
    expect(validateForm(f, { s: 'z', m: ['a', 'x'], c: 'a', yes: 'true' })).toEqual({
      s: ['「单选」的选项「z」不存在'],
      m: ['「多选」的选项「x」不存在'],
      c: ['「勾选」应为选项列表'],
      yes: ['「同意」应为是或否'],
    });
  });

  it('checks unit and person references when a lookup is given', () => {
    const f = form(
      { key: 'u', label: '单位', type: 'unit' },
      { key: 'p', label: '人员', type: 'person', multiple: true },
    );
    expect(validateForm(f, { u: ['x'], p: 'y' })).toEqual({ u: ['「单位」应为单个单位'], p: ['「人员」应为人员列表'] });
    expect(validateForm(f, { u: 'nope', p: ['u1'] }, { unitExists: () => false, userExists: () => true })).toEqual({
      u: ['单位「nope」不存在'],
    });
  });

  it('checks sub-table cells with their paths', () => {
    const f = form({
      key: 'rows',
      label: '分解表',
      type: 'table',
      columns: [text('task', { label: '任务', required: true }), { key: 'n', label: '数量', type: 'number', max: 3 }],
    });
    expect(
      validateForm(f, {
        rows: [
          { task: '一', n: 1 },
          { task: '', n: 9 },
        ],
      }),
    ).toEqual({
      'rows[1].task': ['「任务」为必填项'],
      'rows[1].n': ['「数量」不能大于3'],
    });
  });

  it('checks the shape of attachments', () => {
    const f = form({ key: 'files', label: '附件', type: 'attachments' });
    expect(validateForm(f, { files: [{ id: 'a', name: 'a.pdf', size: 1 }, { id: 'b' }] })).toEqual({
      'files[1]': ['「附件」的第2个附件格式不正确'],
    });
  });

  it('requires an opinion only when the field is required, and limits its length', () => {
    const f = form({ key: 'op', label: '审核意见', type: 'opinion', required: true, maxLength: 5 });
    expect(validateForm(f, { op: [{ text: '旧意见' }] })).toEqual({ op: ['「审核意见」为必填项'] });
    expect(validateForm(f, { op: [], [opinionDraftKey('op')]: '太长的一段意见' })).toEqual({
      op: ['「审核意见」不能超过5个字'],
    });
    expect(validateForm(f, { [opinionDraftKey('op')]: '同意' })).toEqual({});
  });

  it('keeps append-only entries', () => {
    const f = form({ key: 'files', label: '附件', type: 'attachments' }, text('note', { label: '备注' }));
    const current = { files: [{ id: 'a', name: 'a.pdf' }], note: '原有' };
    const permissions = { files: 'appendOnly' as const, note: 'appendOnly' as const };
    expect(
      validateForm(
        f,
        {
          files: [
            { id: 'a', name: 'a.pdf' },
            { id: 'b', name: 'b.pdf' },
          ],
          note: '原有',
        },
        { permissions, currentData: current },
      ),
    ).toEqual({});
    expect(
      validateForm(f, { files: [{ id: 'b', name: 'b.pdf' }], note: '改了' }, { permissions, currentData: current }),
    ).toEqual({
      files: ['「附件」只能追加，不能修改或删除已有内容'],
      note: ['「备注」只能追加，不能修改或删除已有内容'],
    });
    expect(validateForm(f, { files: null, note: '原有' }, { permissions, currentData: current }).files).toEqual([
      '「附件」只能追加，不能修改或删除已有内容',
    ]);
  });

  it('uses stored data for a required field that is not submitted', () => {
    const f = form(text('a', { label: 'A', required: true }));
    expect(validateForm(f, {}, { currentData: { a: '已有' } })).toEqual({});
    expect(validateForm(f, {}, { currentData: {} })).toEqual({ a: ['「A」为必填项'] });
  });

  it('lets a required date that defaults to today be left empty: the server fills it in', () => {
    const f = form({ key: 'on', label: '收文日期', type: 'date', required: true, defaultToday: true });
    expect(validateForm(f, { on: null }, { currentData: {} })).toEqual({});
    const plain = form({ key: 'on', label: '收文日期', type: 'date', required: true });
    expect(validateForm(plain, { on: null }, { currentData: {} })).toEqual({ on: ['「收文日期」为必填项'] });
  });
});

describe('显示条件', () => {
  const f = form(
    {
      key: 'kind',
      label: '类型',
      type: 'select',
      options: [
        { value: 'x', label: 'X' },
        { value: 'y', label: 'Y' },
      ],
    },
    text('reason', { label: '理由', required: true, visibleWhen: "item.kind == 'y'" }),
    text('secret', { label: '密', visibleWhen: 'user.roles.includes("领导")' }),
  );

  it('shows a conditional field only when its condition holds', () => {
    expect(visibleFieldKeys(f, { kind: 'x' }).has('reason')).toBe(false);
    expect(visibleFieldKeys(f, { kind: 'y' }).has('reason')).toBe(true);
  });

  it('does not require a field its condition hides, and does not submit it', () => {
    expect(validateForm(f, { kind: 'x' })).toEqual({});
    expect(validateForm(f, { kind: 'y' })).toEqual({ reason: ['「理由」为必填项'] });
    expect(visibleSubmission(f, { kind: 'x', reason: '旧' })).toEqual({ kind: 'x' });
  });

  it('reads read-only fields from the stored data, not from edits', () => {
    const options = { permissions: { kind: 'readOnly' as const }, currentData: { kind: 'x' } };
    expect(visibleFieldKeys(f, { kind: 'y' }, options).has('reason')).toBe(false);
  });

  it('shows a field whose condition cannot be evaluated in the browser (the server decides)', () => {
    expect(visibleFieldKeys(f, {}).has('secret')).toBe(true);
    expect(visibleFieldKeys(f, {}, { user: { roles: ['督查员'] } }).has('secret')).toBe(false);
  });

  it('never shows a hidden field', () => {
    expect(visibleFieldKeys(f, { kind: 'y' }, { permissions: { reason: 'hidden' } }).has('reason')).toBe(false);
  });
});

describe('提交内容', () => {
  it('sends writable fields only, opinions as their new text, empties as null', () => {
    const f = form(
      text('a'),
      text('b'),
      text('c'),
      { key: 'op', label: '意见', type: 'opinion' },
      { key: 'calc', label: '合计', type: 'computed', compute: '1' },
    );
    const values = { a: '甲', b: '乙', c: '', op: [{ text: '旧' }], [opinionDraftKey('op')]: '  新意见 ', calc: 3 };
    expect(submission(f, values, { b: 'readOnly' })).toEqual({ a: '甲', c: null, op: '新意见' });
  });
});

describe('错误路径', () => {
  it('collects errors under a field, case-insensitively', () => {
    const errors = { Rows: ['x'], 'rows[0].task': ['y'], rowsOther: ['z'] };
    expect(errorsUnder(errors, 'rows')).toEqual(['x', 'y']);
  });

  it('splits errors into field errors and the rest', () => {
    const f = form(text('a'));
    expect(splitErrors(f, { a: ['1'], outcome: ['2'], 'a[0]': ['3'] })).toEqual({
      fields: { a: ['1'], 'a[0]': ['3'] },
      other: ['2'],
    });
  });

  it('keepsExisting compares lists as multisets', () => {
    expect(keepsExisting([1, 1], [1, 2, 1])).toBe(true);
    expect(keepsExisting([1, 1], [1, 2])).toBe(false);
    expect(keepsExisting('a', 'a')).toBe(true);
    expect(keepsExisting(null, 'b')).toBe(true);
  });
});

describe('errorsAfterEdit', () => {
  it('drops the errors of the fields the user changed, and keeps the rest', () => {
    const errors = { title: ['a'], 'rows[0].task': ['b'], report: ['c'], outcome: ['d'] };
    expect(errorsAfterEdit(errors, { title: '', rows: [] }, { title: '甲', rows: [{ task: 'x' }] })).toEqual({
      report: ['c'],
      outcome: ['d'],
    });
    expect(errorsAfterEdit(errors, { report: '' }, { report: '', [opinionDraftKey('report')]: '意见' })).toEqual({
      title: ['a'],
      'rows[0].task': ['b'],
      outcome: ['d'],
    });
    expect(errorsAfterEdit(errors, { title: 'x' }, { title: 'x' })).toBe(errors);
  });
});
