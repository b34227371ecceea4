import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ReadsPanel } from './ReadsPanel';
import type { ReadsView } from './supervisionApi';
import { renderWithApp } from './testUtils';

const reads: ReadsView = {
  total: 3,
  read: 1,
  unread: 2,
  circulations: [
    {
      activityId: 'circulate',
      activityName: '传阅',
      round: 1,
      sentAt: '2026-03-02T01:00:00Z',
      message: '请各单位阅知。',
      total: 3,
      read: 1,
      recipients: [
        {
          taskId: 'a',
          unitId: 'jinan',
          unitName: '济南市司法局',
          userId: null,
          userName: null,
          role: null,
          status: 'read',
          readAt: '2026-03-02T03:00:00Z',
          readById: 'u9',
          readByName: '刘联络',
          comment: '已组织学习',
        },
        {
          taskId: 'b',
          unitId: 'qingdao',
          unitName: '青岛市司法局',
          userId: null,
          userName: null,
          role: null,
          status: 'unread',
          readAt: null,
          readById: null,
          readByName: null,
          comment: null,
        },
        {
          taskId: 'c',
          unitId: 'sft',
          unitName: '司法厅',
          userId: 'lingdao',
          userName: '李厅长',
          role: null,
          status: 'unread',
          readAt: null,
          readById: null,
          readByName: null,
          comment: null,
        },
      ],
    },
  ],
};

describe('阅知情况', () => {
  it('lists who has and has not read each circulation', () => {
    renderWithApp(<ReadsPanel reads={reads} />);
    const panel = screen.getByTestId('reads-panel');
    expect(within(panel).getByTestId('reads-summary')).toHaveTextContent('已阅 1 / 3');
    expect(panel).toHaveTextContent('2 未阅');
    const rows = within(panel).getAllByTestId('reads-row');
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['read', 'unread', 'unread']);
    expect(rows[0]).toHaveTextContent('已阅济南市司法局刘联络 · 2026-03-02');
    expect(rows[0]).toHaveTextContent('留言：已组织学习');
    expect(rows[1]).toHaveTextContent('未阅青岛市司法局');
    expect(rows[2]).toHaveTextContent('司法厅 · 李厅长');
  });

  it('is not there when the item circulated nothing', () => {
    const { container } = renderWithApp(<ReadsPanel reads={{ total: 0, read: 0, unread: 0, circulations: [] }} />);
    expect(container.textContent).toBe('');
    renderWithApp(<ReadsPanel reads={null} />);
    expect(screen.queryByTestId('reads-panel')).not.toBeInTheDocument();
  });
});
