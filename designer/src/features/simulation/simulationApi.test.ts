import { describe, expect, it } from 'vitest';
import { eventColor, newRow, stopText, toBehaviours, toRows } from './simulationApi';

describe('simulation scenario rows', () => {
  it('sends only what the chosen behaviour uses', () => {
    const late = { ...newRow('fzc', 'a'), kind: 'late' as const, days: 4 };
    const extension = {
      ...newRow('jinan', 'b'),
      kind: 'extension' as const,
      days: 3,
      approved: false,
      stepId: 'handle',
    };
    const returned = { ...newRow('qingdao', 'c'), kind: 'returned' as const, times: 2 };
    expect(toBehaviours([late, extension, returned, newRow('yjs', 'd')])).toEqual([
      { unitId: 'fzc', stepId: null, kind: 'late', days: 4, approved: null, times: null },
      { unitId: 'jinan', stepId: 'handle', kind: 'extension', days: 3, approved: false, times: null },
      { unitId: 'qingdao', stepId: null, kind: 'returned', days: null, approved: null, times: 2 },
      { unitId: 'yjs', stepId: null, kind: 'onTime', days: null, approved: null, times: null },
    ]);
  });

  it('colours deductions and rungs, and says why a walk stopped', () => {
    expect(eventColor('deduction', null)).toBe('red');
    expect(eventColor('chased', null)).toBe('orange');
    expect(eventColor('stepDone', 'red')).toBe('red');
    expect(eventColor('stepDone', 'green')).toBe('green');
    expect(stopText('max-days')).toBe('已到模拟天数上限，事项仍未办结');
  });

  it('turns a saved scenario back into the rows it was made of', () => {
    const late = { ...newRow('fzc', 'r0'), kind: 'late' as const, days: 4 };
    const extension = {
      ...newRow('jinan', 'r1'),
      kind: 'extension' as const,
      days: 3,
      approved: false,
      stepId: 'handle',
    };
    const rows = toRows(
      { startDate: '2026-03-02', units: ['fzc', 'jinan', 'yjs'], behaviours: toBehaviours([late, extension]) },
      (i) => `r${i}`,
    );
    expect(rows).toEqual([late, extension, newRow('yjs', 'r2')]);
  });
});
