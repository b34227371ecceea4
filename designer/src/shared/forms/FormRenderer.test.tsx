import { StyleProvider } from '@ant-design/cssinjs';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../../app/AppProviders';
import { mockFetch } from '../../test/fetchMock';
import { resetDirectory } from './directory';
import { FormRenderer, type FormRendererProps } from './FormRenderer';
import { opinionDraftKey } from './logic';
import type { FormDefinition, FormValues } from './types';

const form: FormDefinition = {
  id: 'supervision',
  name: '督查事项表',
  fields: [
    { key: 'title', label: '事项名称', type: 'text', required: true },
    {
      key: 'source',
      label: '立项依据',
      type: 'select',
      options: [
        { value: 'meeting', label: '会议议定事项' },
        { value: 'other', label: '其他' },
      ],
    },
    { key: 'otherSource', label: '其他依据', type: 'text', visibleWhen: "item.source == 'other'" },
    { key: 'handlingUnit', label: '承办单位', type: 'unit' },
    { key: 'secret', label: '内部意见', type: 'textarea' },
    { key: 'report', label: '办理情况', type: 'textarea', required: true },
    { key: 'reviewOpinion', label: '审核意见', type: 'opinion' },
  ],
};

function Harness(props: Partial<FormRendererProps> & { initial: FormValues; spy?: (v: FormValues) => void }) {
  const { initial, spy, ...rest } = props;
  const [values, setValues] = useState(initial);
  return (
    <FormRenderer
      form={form}
      values={values}
      onChange={(v) => {
        spy?.(v);
        setValues(v);
      }}
      {...rest}
    />
  );
}

function renderForm(props: Partial<FormRendererProps> & { initial: FormValues; spy?: (v: FormValues) => void }) {
  resetDirectory();
  mockFetch({
    'GET /api/units': {
      body: [{ id: 'fazhi', name: '法制处', parentId: null, sortOrder: 1, leaderUserId: null, kind: null }],
    },
    'GET /api/users': { body: [] },
    'GET /api/attachments/limits': { body: { maxBytes: 1024, allowedExtensions: ['.pdf'] } },
  });
  return render(
    <StyleProvider mock="server">
      <AppProviders motion={false}>
        <Harness {...props} />
      </AppProviders>
    </StyleProvider>,
  );
}

describe('FormRenderer', () => {
  it('applies the step permissions: hidden fields are absent, read-only ones are text', async () => {
    renderForm({
      initial: {
        title: '营商环境',
        source: 'meeting',
        handlingUnit: 'fazhi',
        reviewOpinion: [{ text: '请补充材料', userName: '王督查', step: '审核', at: '2026-03-01T02:00:00Z' }],
      },
      permissions: {
        title: 'readOnly',
        source: 'readOnly',
        handlingUnit: 'readOnly',
        secret: 'hidden',
        reviewOpinion: 'readOnly',
      },
    });
    expect(screen.queryByText('内部意见')).not.toBeInTheDocument();
    expect(screen.getByText('营商环境')).toBeInTheDocument();
    expect(screen.getByText('会议议定事项')).toBeInTheDocument();
    expect(await screen.findByText('法制处')).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: '事项名称' })).not.toBeInTheDocument();
    // The opinion history is shown, signed and time-stamped, with no box to write in.
    const history = screen.getByRole('list', { name: '历史意见' });
    expect(within(history).getByText('请补充材料')).toBeInTheDocument();
    expect(within(history).getByText(/王督查/)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: '办理情况' })).toBeInTheDocument();
  });

  it('reports edits through onChange and shows a conditional field when its condition holds', async () => {
    const spy = vi.fn();
    const user = userEvent.setup({ delay: null });
    renderForm({ initial: { source: 'meeting' }, spy });
    expect(screen.queryByText('其他依据')).not.toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: '事项名称' }), '甲');
    expect(spy).toHaveBeenLastCalledWith(expect.objectContaining({ title: '甲' }));

    await user.click(screen.getByRole('combobox', { name: '立项依据' }));
    await user.click(await screen.findByTitle('其他'));
    expect(await screen.findByRole('textbox', { name: '其他依据' })).toBeInTheDocument();
  });

  it('shows errors beside the fields they concern, and errors of unknown fields above the form', () => {
    renderForm({ initial: {}, errors: { report: ['「办理情况」为必填项'], outcome: ['请选择办理结果'] } });
    const item = screen.getByRole('textbox', { name: '办理情况' }).closest('.ant-form-item')!;
    expect(within(item as HTMLElement).getByText('「办理情况」为必填项')).toBeInTheDocument();
    expect(item).toHaveClass('ant-form-item-has-error');
    expect(screen.getByRole('alert')).toHaveTextContent('请选择办理结果');
  });

  it('writes a new opinion under its draft key and keeps the history', async () => {
    const spy = vi.fn();
    const user = userEvent.setup({ delay: null });
    renderForm({ initial: { reviewOpinion: [{ text: '旧意见' }] }, spy, permissions: { reviewOpinion: 'appendOnly' } });
    await user.type(screen.getByRole('textbox', { name: '审核意见' }), '同意');
    expect(spy).toHaveBeenLastCalledWith(
      expect.objectContaining({ reviewOpinion: [{ text: '旧意见' }], [opinionDraftKey('reviewOpinion')]: '同意' }),
    );
  });

  it('renders nothing editable when disabled', () => {
    renderForm({ initial: { title: '甲' }, disabled: true });
    expect(screen.getByRole('textbox', { name: '事项名称' })).toBeDisabled();
  });
});
