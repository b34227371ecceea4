import { describe, expect, it } from 'vitest';
import { describeSchedule, reportLinks } from './reportsApi';

describe('reports', () => {
  it('describes a schedule as the office says it', () => {
    expect(describeSchedule({ frequency: 'weekly', day: 1 })).toBe('每星期一');
    expect(describeSchedule({ frequency: 'monthly', day: 5 })).toBe('每月 5 日');
    expect(describeSchedule({ frequency: 'quarterly', day: 3 })).toBe('每季度首月 3 日');
  });

  it('links a report as Word or PDF', () => {
    expect(reportLinks.file('a b')).toBe('/api/reports/a%20b');
    expect(reportLinks.file('x', true)).toBe('/api/reports/x?format=pdf');
  });
});
