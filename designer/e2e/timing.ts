/**
 * How much longer the browser tests may wait than on an idle machine. test.sh runs them beside the .NET tests and
 * vitest on two cores, where a wait of 3 s alone took over 60 s; it sets DUBAN_E2E_TIME_SCALE (default 3 there, 1 when a
 * spec is run by hand). Timeouts guard against hangs; they are not speed checks.
 */
export const timeScale = Math.max(1, Number(process.env.DUBAN_E2E_TIME_SCALE) || 1);

/** A timeout in milliseconds, stretched by {@link timeScale}. */
export function scaled(ms: number): number {
  return Math.round(ms * timeScale);
}
