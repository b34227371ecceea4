import type { DashboardFigure, DashboardView } from './dashboardApi';

/**
 * ECharts options for the dashboard, built from the server's figures (pure: tested without a canvas). Every data point
 * carries its figure, so a click opens the ledger with that figure's filter.
 */

export interface Theme {
  text: string;
  muted: string;
  split: string;
  /** Base font size of labels and axes. */
  font: number;
}

export const LIGHT_THEME: Theme = { text: '#1f1f1f', muted: '#8c8c8c', split: '#f0f0f0', font: 12 };
/** 大屏: dark, large type. */
export const SCREEN_THEME: Theme = { text: '#e6f4ff', muted: '#8fb3d9', split: '#1d3a5c', font: 20 };

export const STATUS_COLORS: Record<string, string> = {
  open: '#1677ff',
  completed: '#52c41a',
  cancelled: '#bfbfbf',
  faulted: '#ff4d4f',
};
export const LIGHT_COLORS: Record<string, string> = { red: '#f5222d', yellow: '#faad14', green: '#52c41a' };

/** A data point that remembers the figure it shows. */
export interface FigurePoint {
  value: number;
  name: string;
  figure: DashboardFigure;
  itemStyle?: { color: string };
}

function point(figure: DashboardFigure, color?: string, value = figure.count, name = figure.label): FigurePoint {
  return { value, name, figure, ...(color ? { itemStyle: { color } } : {}) };
}

/** The figure behind a clicked data point, if it has one. */
export function figureOf(data: unknown): DashboardFigure | undefined {
  if (data && typeof data === 'object' && 'figure' in data) return (data as FigurePoint).figure;
  return undefined;
}

function textStyle(theme: Theme) {
  return { color: theme.text, fontSize: theme.font };
}

function axis(theme: Theme) {
  return {
    axisLabel: { color: theme.muted, fontSize: theme.font },
    axisLine: { lineStyle: { color: theme.split } },
    splitLine: { lineStyle: { color: theme.split } },
  };
}

/** A ring of figures (status, 来源): the empty ones left out, so the ring does not list what is not there. */
export function ringOption(figures: readonly DashboardFigure[], theme: Theme, colors?: Record<string, string>) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { bottom: 0, textStyle: textStyle(theme) },
    series: [
      {
        type: 'pie',
        radius: ['45%', '70%'],
        center: ['50%', '45%'],
        // Counts on the ring, names in the legend: long 来源 names would be cut off beside a small ring.
        label: { color: theme.text, fontSize: theme.font, formatter: '{c}' },
        data: figures.filter((f) => f.count > 0).map((f) => point(f, colors?.[f.key])),
      },
    ],
  };
}

/** Bars of figures, horizontal when the names are long (units, procedure types). */
export function barOption(
  figures: readonly DashboardFigure[],
  theme: Theme,
  options: { colors?: Record<string, string>; color?: string; horizontal?: boolean } = {},
) {
  const names = figures.map((f) => f.label);
  const categoryAxis = { type: 'category', data: names, ...axis(theme) };
  const valueAxis = { type: 'value', minInterval: 1, ...axis(theme) };
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    xAxis: options.horizontal ? valueAxis : categoryAxis,
    yAxis: options.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: [
      {
        type: 'bar',
        barMaxWidth: 36,
        label: { show: true, position: options.horizontal ? 'right' : 'top', color: theme.text, fontSize: theme.font },
        itemStyle: options.color ? { color: options.color } : undefined,
        data: figures.map((f) => point(f, options.colors?.[f.key])),
      },
    ],
  };
}

/**
 * 按期办结率 per unit (only units with something completed have a rate): the bar's value is the rate, a click opens the
 * unit's on-time items.
 */
export function onTimeRateOption(view: DashboardView, theme: Theme) {
  const units = view.units.filter((u) => u.onTimeRate !== null && u.onTimeRate !== undefined);
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { data: FigurePoint & { completed: number } }) =>
        `${p.data.name}<br/>按期办结 ${p.data.figure.count} / 已办结 ${p.data.completed}（${p.data.value}%）`,
    },
    grid: { left: 8, right: 48, top: 16, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      max: 100,
      axisLabel: { color: theme.muted, fontSize: theme.font, formatter: '{value}%' },
      splitLine: { lineStyle: { color: theme.split } },
    },
    yAxis: { type: 'category', inverse: true, data: units.map((u) => u.unitName), ...axis(theme) },
    series: [
      {
        type: 'bar',
        barMaxWidth: 28,
        label: { show: true, position: 'right', color: theme.text, fontSize: theme.font, formatter: '{c}%' },
        data: units.map((u) => ({
          ...point(u.onTime, rateColor(u.onTimeRate ?? 0), u.onTimeRate ?? 0, u.unitName),
          completed: u.completed.count,
        })),
      },
    ],
  };
}

/** Green from 90 %, yellow from 70 %, red below. */
export function rateColor(rate: number): string {
  if (rate >= 90) return LIGHT_COLORS.green;
  if (rate >= 70) return LIGHT_COLORS.yellow;
  return LIGHT_COLORS.red;
}

/** 超期 by unit: the units with an overdue item, most first. */
export function overdueByUnit(view: DashboardView): DashboardFigure[] {
  return view.units
    .filter((u) => u.overdue.count > 0)
    .map((u) => ({ ...u.overdue, label: u.unitName }))
    .sort((a, b) => b.count - a.count);
}

/** The twelve months: 登记 and 办结 lines. */
export function trendOption(view: DashboardView, theme: Theme) {
  const months = view.months.map((m) => m.month.slice(2).replace('-', '/'));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: textStyle(theme) },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months, ...axis(theme) },
    yAxis: { type: 'value', minInterval: 1, ...axis(theme) },
    series: [
      {
        name: '登记',
        type: 'line',
        smooth: true,
        symbolSize: 8,
        data: view.months.map((m) => point(m.registered, '#1677ff')),
      },
      {
        name: '办结',
        type: 'line',
        smooth: true,
        symbolSize: 8,
        data: view.months.map((m) => point(m.closed, '#52c41a')),
      },
    ],
  };
}

/** The headline numbers: total, open, overdue, completed, and the overall on-time rate. */
export function headline(view: DashboardView) {
  const byKey = (list: readonly DashboardFigure[], key: string) => list.find((f) => f.key === key);
  const completed = view.units.reduce((n, u) => n + u.completed.count, 0);
  const onTime = view.units.reduce((n, u) => n + u.onTime.count, 0);
  return {
    total: view.total,
    open: byKey(view.byStatus, 'open'),
    overdue: byKey(view.byLight, 'red'),
    dueSoon: byKey(view.byLight, 'yellow'),
    completed: byKey(view.byStatus, 'completed'),
    /** Over the units' completed items (an item of two units counts for each). */
    onTimeRate: completed === 0 ? null : Math.round((1000 * onTime) / completed) / 10,
  };
}
