import type { NamedValue, ScoringRules } from '../scores/scoresApi';
import type { SaveScoringRules } from './settingsApi';

/** Pure helpers of the 督查设置 page. */

export const SETTINGS_TABS = ['ladder', 'extensions', 'rules', 'bulletins'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export function tabOf(value: string | null): SettingsTab {
  return (SETTINGS_TABS as readonly string[]).includes(value ?? '') ? (value as SettingsTab) : 'ladder';
}

/** The year in the URL when it is sensible (2000–2100), else `fallback`. */
export function yearOf(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 2000 && n <= 2100 ? n : fallback;
}

/** Years to choose from: two back and one ahead of this year, and the chosen one. */
export function yearOptions(chosen: number, now = new Date().getFullYear()): { value: number; label: string }[] {
  const years = new Set([now - 2, now - 1, now, now + 1, chosen]);
  return [...years].sort((a, b) => b - a).map((y) => ({ value: y, label: `${y}年` }));
}

export interface RulesFormValues {
  startScore: number | null;
  floor: number | null;
  redoThreshold: number | null;
  deductions: Record<string, number | null>;
}

export function rulesFormValues(rules: ScoringRules): RulesFormValues {
  const deductions: Record<string, number | null> = {};
  for (const t of rules.eventTypes) deductions[t.value] = rules.deductions[t.value] ?? 0;
  return { startScore: rules.startScore, floor: rules.floor, redoThreshold: rules.redoThreshold, deductions };
}

/** Every event type is sent, so a saved year is complete and does not lean on the default table. */
export function rulesFromForm(values: RulesFormValues, eventTypes: readonly NamedValue[]): SaveScoringRules {
  const deductions: Record<string, number> = {};
  for (const t of eventTypes) deductions[t.value] = roundPoints(values.deductions?.[t.value] ?? 0);
  return {
    startScore: roundPoints(values.startScore ?? 0),
    floor: roundPoints(values.floor ?? 0),
    redoThreshold: Math.round(values.redoThreshold ?? 0),
    deductions,
  };
}

/** Points carry two decimals at most (0.1-point deductions), without float noise. */
export function roundPoints(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Today as yyyy-MM-dd in the browser's calendar. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
