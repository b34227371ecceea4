import { describe, expect, it } from 'vitest';
import { formatDateTime, orEmpty } from './format';

describe('formatDateTime', () => {
  it('formats ISO date-times as YYYY-MM-DD HH:mm in local time (Asia/Shanghai in tests)', () => {
    expect(formatDateTime('2026-03-15T18:00:00+08:00')).toBe('2026-03-15 18:00');
    expect(formatDateTime('2026-03-15T10:00:00Z')).toBe('2026-03-15 18:00');
  });

  it('shows — for missing or invalid values', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime(undefined)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
});

describe('orEmpty', () => {
  it('replaces null and blank with —', () => {
    expect(orEmpty(null)).toBe('—');
    expect(orEmpty('  ')).toBe('—');
    expect(orEmpty('法制处')).toBe('法制处');
  });
});
