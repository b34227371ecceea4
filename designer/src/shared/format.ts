import dayjs from 'dayjs';

/** Placeholder for a missing value in tables and cards. */
export const EMPTY = '—';

/** ISO date-time → "YYYY-MM-DD HH:mm" in the browser's time zone; null/invalid → "—". */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return EMPTY;
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : EMPTY;
}

export function orEmpty(value: string | null | undefined): string {
  return value === null || value === undefined || value.trim() === '' ? EMPTY : value;
}
