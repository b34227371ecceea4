import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { components } from '../../api/schema';
import { resetDirectory } from '../../shared/forms/directory';
import type { FormDefinition } from '../../shared/forms/types';
import { mockFetch } from '../../test/fetchMock';
import { TaskOperationNotices } from './TaskOperations';

type Operations = components['schemas']['TaskOperationsView'];

const form: FormDefinition = {
  id: 'f',
  name: '督办事项',
  fields: [
    { key: 'title', label: '事项', type: 'text' },
    { key: 'report', label: '办理情况', type: 'textarea' },
    { key: 'unit', label: '配合单位', type: 'unit' },
  ],
};

const returned: Operations = {
  canRecall: false,
  canWithdrawItem: false,
  canDelegate: false,
  signers: null,
  onBehalfOf: null,
  delegation: {
    delegatorName: '张联络',
    delegateName: '赵处长',
    isDelegate: false,
    returned: {
      byName: '赵处长',
      at: '2026-03-02T01:00:00Z',
      comment: '已核实，可以上报',
      values: { report: '已在门户网站公示', unit: 'fzc', title: '', other: 'x' },
    },
  },
};

describe('委派办理意见', () => {
  it('shows the opinion and what the delegate filled in, labelled, and hands those values to the delegator', async () => {
    resetDirectory();
    mockFetch({
      'GET /api/units': { body: [{ id: 'fzc', name: '法制处', parentId: null }] },
      'GET /api/users': { body: [] },
    });
    const onAdopt = vi.fn();
    render(<TaskOperationNotices ops={returned} form={form} onAdopt={onAdopt} />);
    const card = screen.getByTestId('delegation-returned');
    expect(card).toHaveTextContent('赵处长：已核实，可以上报');
    expect(card).toHaveTextContent('办理情况已在门户网站公示');
    expect(await screen.findByText('法制处')).toBeInTheDocument();
    // An empty value and a key the form does not have are not shown.
    expect(card).not.toHaveTextContent('事项');
    expect(card).not.toHaveTextContent('other');

    await userEvent.setup().click(screen.getByRole('button', { name: '采用填写内容' }));
    expect(onAdopt).toHaveBeenCalledWith({ report: '已在门户网站公示', unit: 'fzc' });
  });

  it('offers no 采用 to someone who cannot act on the task', async () => {
    render(<TaskOperationNotices ops={returned} form={form} />);
    expect(await screen.findByText('法制处')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '采用填写内容' })).not.toBeInTheDocument();
  });

  it('tells a delegate how to give the task back, and a deputy for whom he acts', () => {
    render(
      <TaskOperationNotices
        ops={{
          ...returned,
          onBehalfOf: { userId: 'u-li', name: '李厅长' },
          delegation: { ...returned.delegation!, isDelegate: true, returned: null },
        }}
        form={form}
      />,
    );
    expect(screen.getByText('您正在代李厅长办理（代理）')).toBeInTheDocument();
    expect(screen.getByText('张联络委派您办理：办理后请填写交还意见，点「交还委派人」')).toBeInTheDocument();
  });
});
