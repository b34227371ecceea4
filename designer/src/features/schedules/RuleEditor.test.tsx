import { StyleProvider } from '@ant-design/cssinjs';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../../app/AppProviders';
import { RuleEditor } from './RuleEditor';
import { addMonthDay, describeRule, monthDayLabel } from './ruleModel';
import type { ScheduleRule } from './schedulesApi';

function renderEditor(initial: ScheduleRule | null, errors?: string[]) {
  const spy = vi.fn<(rule: ScheduleRule) => void>();
  function Harness() {
    const [rule, setRule] = useState<ScheduleRule | null>(initial);
    return (
      <RuleEditor
        value={rule}
        errors={errors}
        onChange={(next) => {
          spy(next);
          setRule(next);
        }}
      />
    );
  }
  render(
    <StyleProvider mock="server">
      <AppProviders motion={false}>
        <Harness />
      </AppProviders>
    </StyleProvider>,
  );
  return spy;
}

/** The option of an open antd select (the selected value also carries its title). */
async function option(title: string): Promise<HTMLElement> {
  const found = (await screen.findAllByTitle(title)).filter((el) => el.classList.contains('ant-select-item-option'));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('RuleEditor', () => {
  it('builds every Monday from the kind select and the weekday boxes, and says it in words', async () => {
    const user = userEvent.setup({ delay: null });
    const spy = renderEditor(null);
    await user.click(screen.getByRole('combobox', { name: '重复方式' }));
    await user.click(await option('每周'));
    expect(spy).toHaveBeenLastCalledWith({ kind: 'weekly', weekdays: [1], shiftToWorkingDay: true });

    await user.click(screen.getByRole('checkbox', { name: '周四' }));
    expect(spy).toHaveBeenLastCalledWith({ kind: 'weekly', weekdays: [1, 4], shiftToWorkingDay: true });
    expect(screen.getByTestId('rule-text')).toHaveTextContent('每周周一、周四，遇节假日顺延至下一个工作日');

    await user.click(screen.getByRole('checkbox', { name: '遇节假日顺延至下一个工作日' }));
    expect(spy).toHaveBeenLastCalledWith({ kind: 'weekly', weekdays: [1, 4], shiftToWorkingDay: false });
    expect(screen.getByTestId('rule-text')).toHaveTextContent(/^规则：每周周一、周四$/);
  });

  it('takes the N of the N-th working day as a number between 1 and 15', async () => {
    const user = userEvent.setup({ delay: null });
    const spy = renderEditor({ kind: 'nthWorkingDay', n: 1 });
    const n = screen.getByRole('spinbutton', { name: '第几个工作日' });
    await user.clear(n);
    await user.type(n, '5');
    expect(spy).toHaveBeenLastCalledWith({ kind: 'nthWorkingDay', n: 5 });
    expect(screen.getByTestId('rule-text')).toHaveTextContent('每月第 5 个工作日');
    expect(n).toHaveAttribute('aria-valuemax', '15');
  });

  it('adds the month-days of a series from month and day pickers, once each, and removes them', async () => {
    const user = userEvent.setup({ delay: null });
    const spy = renderEditor({ kind: 'monthDays', monthDays: [], shiftToWorkingDay: true });
    const add = async (month: string, day: string) => {
      await user.click(screen.getByRole('combobox', { name: '月' }));
      await user.click(await option(month));
      await user.click(screen.getByRole('combobox', { name: '日' }));
      await user.click(await option(day));
      await user.click(screen.getByRole('button', { name: '添加日期' }));
    };
    await add('7月', '15日');
    await add('10月', '15日');
    await add('1月', '15日');
    await add('10月', '15日');
    expect(spy).toHaveBeenLastCalledWith({
      kind: 'monthDays',
      monthDays: ['07-15', '10-15', '01-15'],
      shiftToWorkingDay: true,
    });
    expect(screen.getByTestId('rule-text')).toHaveTextContent(
      '每年 7月15日、10月15日、1月15日，遇节假日顺延至下一个工作日',
    );

    await user.click(screen.getByText('10月15日').parentElement!.querySelector('.ant-tag-close-icon')!);
    expect(spy).toHaveBeenLastCalledWith({ kind: 'monthDays', monthDays: ['07-15', '01-15'], shiftToWorkingDay: true });
  });

  it('offers only the days a month has', async () => {
    const user = userEvent.setup({ delay: null });
    renderEditor({ kind: 'monthDays', monthDays: [], shiftToWorkingDay: true });
    await user.click(screen.getByRole('combobox', { name: '月' }));
    await user.click(await option('2月'));
    await user.click(screen.getByRole('combobox', { name: '日' }));
    expect(await option('28日')).toBeInTheDocument();
    expect(screen.queryByTitle('29日')).not.toBeInTheDocument();
  });

  it('shows the server’s messages about the rule', () => {
    renderEditor({ kind: 'weekly', weekdays: [] }, ['请选择每周哪几天发起']);
    expect(screen.getByRole('alert')).toHaveTextContent('请选择每周哪几天发起');
  });
});

describe('rule words', () => {
  it('say the quarter window and an unset rule the way the server does', () => {
    expect(describeRule({ kind: 'quarterLastTwoWeeks' })).toBe('每季度最后两周（在其第一个工作日发起）');
    expect(describeRule(null)).toBe('（未设置）');
    expect(monthDayLabel('01-15')).toBe('1月15日');
    expect(addMonthDay(['07-15'], '07-15')).toEqual(['07-15']);
  });
});
