import { render, screen } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlowView } from './FlowView';
import type { WorkflowDefinition } from './types';

beforeAll(() => {
  // jsdom has no ResizeObserver / DOMMatrixReadOnly; React Flow needs both to mount.
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
  class DOMMatrixStub {
    m22 = 1;
    constructor(_transform?: string) {}
  }
  (globalThis as Record<string, unknown>).DOMMatrixReadOnly ??= DOMMatrixStub;
});

const definition: WorkflowDefinition = {
  definitionId: 'v',
  name: '查看',
  root: {
    activities: [
      { id: 'start', type: 'Duban.Start', name: '登记' },
      {
        id: 'review',
        type: 'Duban.UserTask',
        name: '审核',
        outcomes: { typeName: 'Object', expression: { type: 'Literal', value: ['通过', '退回'] } },
      },
      { id: 'end', type: 'Duban.End', name: '办结' },
    ],
    connections: [
      { source: { activity: 'start', port: 'Done' }, target: { activity: 'review' } },
      { source: { activity: 'review', port: '通过' }, target: { activity: 'end' } },
      { source: { activity: 'review', port: '退回' }, target: { activity: 'start' } },
    ],
  },
};

describe('FlowView', () => {
  it('shows every step with its ports and marks where the item is', () => {
    render(<FlowView definition={definition} activeActivityIds={['review']} doneActivityIds={['start']} />);
    expect(screen.getByTestId('flow-node-review')).toHaveAttribute('data-run-state', 'active');
    expect(screen.getByTestId('flow-node-start')).toHaveAttribute('data-run-state', 'done');
    expect(screen.getByTestId('flow-node-end')).not.toHaveAttribute('data-run-state');
    expect(screen.getByText('当前')).toBeInTheDocument();
    expect(screen.getByTestId('port-review-退回')).toHaveTextContent('退回');
    expect(screen.getByTestId('port-start-Done')).toHaveTextContent('完成');
    expect(screen.getByText('人工办理')).toBeInTheDocument();
  });
});
