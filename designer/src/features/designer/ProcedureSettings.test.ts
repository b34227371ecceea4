import { describe, expect, it } from 'vitest';
import { withItemDeadline } from './ProcedureSettings';

describe('the item deadline in the procedure settings', () => {
  it('sets options.deadlines.item and keeps the other options and presets', () => {
    const options = { lights: { yellowWorkingDays: 2 }, deadlines: { feedback: { kind: 'workingDays', amount: 5 } } };
    expect(withItemDeadline(options, { kind: 'calendarDays', amount: 30, from: 'assign' })).toEqual({
      lights: { yellowWorkingDays: 2 },
      deadlines: {
        feedback: { kind: 'workingDays', amount: 5 },
        item: { kind: 'calendarDays', amount: 30, from: 'assign' },
      },
    });
  });

  it('removes it, and the empty objects it leaves', () => {
    expect(withItemDeadline({ deadlines: { item: 5 } }, undefined)).toBeNull();
    expect(withItemDeadline({ lights: { yellowPercent: 20 }, deadlines: { item: 5 } }, undefined)).toEqual({
      lights: { yellowPercent: 20 },
    });
  });
});
