import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { WorkflowDefinition } from '../../shared/flow';
import { ProcedureRules } from './ProcedureRules';

const definition = (options: WorkflowDefinition['options']): WorkflowDefinition =>
  ({
    definitionId: 'p',
    name: '督办',
    options,
    root: {
      type: 'Duban.Flowchart',
      id: 'flowchart',
      activities: [
        { id: 'start', type: 'Duban.Start', name: '登记' },
        { id: 'approve', type: 'Duban.UserTask', name: '领导审定' },
      ],
      connections: [],
    },
  }) as unknown as WorkflowDefinition;

describe('督办规则', () => {
  it('shows the defaults of the extension rules, and numbering only where the procedure numbers its items', () => {
    const { unmount } = render(<ProcedureRules definition={definition(null)} onChange={vi.fn()} />);
    expect(screen.getByText('申请单位及其协办单位（默认）')).toBeInTheDocument();
    expect(screen.getByText('照填，并提醒审批人（默认）')).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: '编号时机' })).not.toBeInTheDocument();
    unmount();

    render(
      <ProcedureRules
        definition={definition({ numbering: { pattern: '鲁司督〔{year}〕{seq}号', assignAt: 'approval' } })}
        onChange={vi.fn()}
      />,
    );
    expect(screen.getByText('审定同意时')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: '审定环节' })).toBeInTheDocument();
  });

  it('writes the choice into the options, keeping what else they hold', () => {
    const onChange = vi.fn();
    render(
      <ProcedureRules
        definition={definition({ extensions: { approval: ['office', 'leader'] } })}
        onChange={onChange}
      />,
    );
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '延期适用范围' }));
    fireEvent.click(screen.getByText('事项的全部承办单位'));
    expect(onChange).toHaveBeenCalledWith({ extensions: { approval: ['office', 'leader'], units: 'all' } });
  });
});
