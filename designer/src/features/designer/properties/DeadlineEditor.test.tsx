import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { DeadlineEditor } from './DeadlineEditor';

describe('the deadline editor', () => {
  it('edits a fixed-date series as month and day pickers, kept in calendar order', () => {
    const onChange = vi.fn();
    render(
      <DeadlineEditor
        value={{ kind: 'fixedDates', dates: ['10-15', '7-15'] }}
        onChange={onChange}
        forms={[]}
        presets={null}
      />,
    );
    // 7-15 as typed in an older definition reads as July 15th.
    expect(screen.getByRole('combobox', { name: '第2个日期的月份' }).closest('.ant-select')).toHaveTextContent('7月');
    fireEvent.click(screen.getByRole('button', { name: '添加日期' }));
    // The next date after the last row (7-15) is a month on: 8-15 is offered; the list is sorted.
    expect(onChange).toHaveBeenLastCalledWith({ kind: 'fixedDates', dates: ['07-15', '08-15', '10-15'] });
    fireEvent.click(screen.getAllByRole('button', { name: /删\s*除/ })[0]!);
    expect(onChange).toHaveBeenLastCalledWith({ kind: 'fixedDates', dates: ['07-15'] });
  });

  it('counts the item deadline from the registration by default and offers the 交办', () => {
    render(
      <DeadlineEditor
        value={{ kind: 'calendarDays', amount: 30 }}
        onChange={vi.fn()}
        forms={[]}
        presets={null}
        label="事项完成时限"
        forItem
      />,
    );
    expect(screen.getByText('事项完成时限')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: '起算时间' }).closest('.ant-select')).toHaveTextContent('事项登记时');
  });
});
