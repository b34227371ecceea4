import { describe, expect, it } from 'vitest';
import { changeMode, describeDeadline, modeOf, normalizeDeadline, normalizeMonthDay, sortMonthDays } from './deadline';
import { describeDuration, formatDuration, parseSimpleDuration } from './duration';

describe('deadline specs', () => {
  it('reads the shorthand forms the engine accepts', () => {
    expect(normalizeDeadline(5)).toEqual({ kind: 'workingDays', amount: 5 });
    expect(normalizeDeadline('2026-12-31')).toEqual({ kind: 'date', date: '2026-12-31' });
    expect(normalizeDeadline('feedback')).toEqual({ preset: 'feedback' });
    expect(normalizeDeadline('itemDue')).toEqual({ kind: 'itemDue' });
    expect(normalizeDeadline(undefined)).toBeUndefined();
  });

  it('changes kind keeping what still applies', () => {
    const spec = { kind: 'workingDays', amount: 5, from: 'item', nextWorkingDay: false };
    expect(changeMode(spec, 'months')).toEqual({ kind: 'months', amount: 5, from: 'item', nextWorkingDay: false });
    expect(changeMode(spec, 'fixedDates')).toEqual({
      kind: 'fixedDates',
      dates: [],
      from: 'item',
      nextWorkingDay: false,
    });
    expect(changeMode(spec, 'preset')).toEqual({ preset: 'feedback' });
    expect(modeOf({ preset: 'done' })).toBe('preset');
  });

  it('describes a deadline in Chinese', () => {
    expect(describeDeadline({ kind: 'workingDays', amount: 5 })).toBe('5 个工作日');
    expect(describeDeadline({ kind: 'calendarDays', amount: 30, from: 'item' })).toBe('自立项起30 天');
    expect(describeDeadline({ kind: 'fixedDates', dates: ['07-15', '10-15'] })).toBe(
      '每年 07-15、10-15 前（依次取下一个）',
    );
    expect(describeDeadline({ kind: 'calendarDays', amount: 30, from: 'assign' })).toBe('自交办起30 天');
    expect(describeDeadline(undefined)).toBe('不限');
  });
});

describe('durations (dueIn, timers)', () => {
  it('reads and writes single-unit ISO durations and seconds', () => {
    expect(parseSimpleDuration('P10D')).toEqual({ amount: 10, unit: 'D' });
    expect(parseSimpleDuration('PT4H')).toEqual({ amount: 4, unit: 'H' });
    expect(parseSimpleDuration(7200)).toEqual({ amount: 2, unit: 'H' });
    expect(parseSimpleDuration('P1DT2H')).toBeNull();
    expect(parseSimpleDuration('P')).toBeNull();
    expect(formatDuration(3, 'D')).toBe('P3D');
    expect(formatDuration(30, 'M')).toBe('PT30M');
    expect(describeDuration('P2D')).toBe('2 天');
  });

  it('reads month-days the way people type them and keeps a series in calendar order', () => {
    expect(normalizeMonthDay('7-15')).toBe('07-15');
    expect(normalizeMonthDay('1月15日')).toBe('01-15');
    expect(normalizeMonthDay('02-29')).toBe('02-29');
    expect(normalizeMonthDay('02-30')).toBeNull();
    expect(normalizeMonthDay('13-01')).toBeNull();
    expect(normalizeMonthDay('下旬')).toBeNull();
    expect(sortMonthDays(['10-15', '07-15', '01-15', '07-15'])).toEqual(['01-15', '07-15', '10-15']);
  });
});
