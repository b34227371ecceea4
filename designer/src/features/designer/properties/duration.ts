/** ISO 8601 durations as the engine reads them (XmlConvert.ToTimeSpan): P10D, PT4H, PT30M, P1DT2H. */
export type DurationUnit = 'D' | 'H' | 'M';

export const DURATION_UNITS: { value: DurationUnit; label: string }[] = [
  { value: 'D', label: '天' },
  { value: 'H', label: '小时' },
  { value: 'M', label: '分钟' },
];

/** A duration with one component (what the simple editor shows), or null when it has several or is not ISO. */
export function parseSimpleDuration(value: unknown): { amount: number; unit: DurationUnit } | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    if (value % 86400 === 0) return { amount: value / 86400, unit: 'D' };
    if (value % 3600 === 0) return { amount: value / 3600, unit: 'H' };
    if (value % 60 === 0) return { amount: value / 60, unit: 'M' };
    return null;
  }
  if (typeof value !== 'string') return null;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(value.trim());
  if (!m || value.trim() === 'P' || value.trim().endsWith('T')) return null;
  const parts = [m[1], m[2], m[3]].map((x) => (x === undefined ? undefined : Number(x)));
  const set = parts.map((p, i) => (p !== undefined ? i : -1)).filter((i) => i >= 0);
  if (set.length !== 1) return null;
  const unit = (['D', 'H', 'M'] as const)[set[0]];
  return { amount: parts[set[0]]!, unit };
}

export function formatDuration(amount: number, unit: DurationUnit): string {
  const n = Math.max(0, Math.floor(amount));
  return unit === 'D' ? `P${n}D` : `PT${n}${unit}`;
}

export function describeDuration(value: unknown): string {
  const simple = parseSimpleDuration(value);
  if (!simple) return typeof value === 'string' ? value : JSON.stringify(value);
  return `${simple.amount} ${DURATION_UNITS.find((u) => u.value === simple.unit)!.label}`;
}
