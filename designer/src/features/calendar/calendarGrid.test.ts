import { describe, expect, it } from 'vitest';
import type { CalendarDay } from './calendarApi';
import {
  classify,
  defaultChange,
  holidayRuns,
  monthGrid,
  parseYearFile,
  weekdayIndex,
  workingDaysInMonth,
} from './calendarGrid';
import { formatScore, keptPercent } from '../scores/scoresApi';

// 2026: 元旦 1-1..1-3 off, Sunday 1-4 worked (国办发明电〔2025〕7号).
const days: CalendarDay[] = [
  { date: '2026-01-01', kind: 'holiday', name: '元旦', weekday: '周四' },
  { date: '2026-01-02', kind: 'holiday', name: '元旦', weekday: '周五' },
  { date: '2026-01-03', kind: 'holiday', name: '元旦', weekday: '周六' },
  { date: '2026-01-04', kind: 'workday', name: '元旦调休上班', weekday: '周日' },
  { date: '2026-02-14', kind: 'workday', name: '春节调休上班', weekday: '周六' },
  { date: '2026-02-15', kind: 'holiday', name: '春节', weekday: '周日' },
  { date: '2026-02-16', kind: 'holiday', name: '春节', weekday: '周一' },
];

describe('work calendar grid', () => {
  it('puts each day under its weekday, Monday first', () => {
    expect(weekdayIndex(2026, 1, 1)).toBe(3); // Thursday
    const january = monthGrid(2026, 1, days);
    expect(january[0].slice(0, 3)).toEqual([null, null, null]);
    expect(january[0][3]?.date).toBe('2026-01-01');
    expect(january.every((week) => week.length === 7)).toBe(true);
    expect(january.flat().filter(Boolean)).toHaveLength(31);
    // February 2026 starts on a Sunday.
    expect(
      monthGrid(2026, 2, days)[0]
        .filter(Boolean)
        .map((c) => c!.date),
    ).toEqual(['2026-02-01']);
  });

  it('tells holidays, make-up working days, weekends and ordinary days apart', () => {
    const special = new Map(days.map((d) => [d.date, d]));
    expect(classify(2026, 1, 1, special)).toMatchObject({ kind: 'holiday', working: false, name: '元旦' });
    expect(classify(2026, 1, 4, special)).toMatchObject({ kind: 'workday', working: true });
    expect(classify(2026, 1, 10, special)).toMatchObject({ kind: 'weekend', working: false });
    expect(classify(2026, 1, 5, special)).toMatchObject({ kind: 'normal', working: true });
  });

  it('counts working days with the make-up Sunday and without the holidays', () => {
    // January 2026 has 22 weekdays; 1-1 and 1-2 are off, Sunday 1-4 is worked: 21.
    expect(workingDaysInMonth(2026, 1, days)).toBe(21);
    expect(workingDaysInMonth(2026, 1, [])).toBe(22);
  });

  it('proposes the likely change for a clicked day', () => {
    const special = new Map(days.map((d) => [d.date, d]));
    expect(defaultChange(classify(2026, 1, 1, special))).toBe('normal');
    expect(defaultChange(classify(2026, 1, 10, special))).toBe('workday');
    expect(defaultChange(classify(2026, 1, 5, special))).toBe('holiday');
  });

  it('groups holidays into named runs', () => {
    expect(holidayRuns(days)).toEqual([
      { name: '元旦', from: '2026-01-01', to: '2026-01-03', count: 3 },
      { name: '春节', from: '2026-02-15', to: '2026-02-16', count: 2 },
    ]);
  });

  it('reads a year file and says in Chinese what is wrong with a bad one', () => {
    const file = parseYearFile(
      JSON.stringify({ year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }] }),
      2027,
    );
    expect(file).toEqual({
      year: 2027,
      source: null,
      holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }],
      workdays: [],
    });
    expect(() => parseYearFile('{', 2027)).toThrow('不是有效的 JSON');
    expect(() => parseYearFile(JSON.stringify({ year: 2026, holidays: [] }), 2027)).toThrow('不一致');
    expect(() => parseYearFile(JSON.stringify({ year: 2027 }), 2027)).toThrow('holidays');
  });
});

describe('score display', () => {
  it('shows two decimals without floating-point noise and the share kept', () => {
    expect(formatScore(3 - 0.1 - 0.2)).toBe('2.70');
    expect(formatScore(0)).toBe('0.00');
    expect(keptPercent(2.7, 3)).toBe(90);
    expect(keptPercent(0, 3)).toBe(0);
    expect(keptPercent(3, 0)).toBe(0);
  });
});
