import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, CustomChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  DataZoomComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  CustomChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export interface EChartProps {
  option: echarts.EChartsCoreOption;
  height: number;
  /** A data point was clicked: its data as given in the option. */
  onPointClick?: (data: unknown) => void;
  /** For tests and screen readers: what the chart shows. */
  label: string;
  testId?: string;
}

/** One ECharts chart: drawn into a div, redrawn when the option changes, resized with its box, disposed on unmount. */
export function EChart({ option, height, onPointClick, label, testId }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onPointClick);
  useEffect(() => {
    click.current = onPointClick;
  });

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => click.current?.(params.data));
    // data-drawn: the chart has finished drawing, entry animation included — what a screenshot or a click waits for.
    instance.on('finished', () => element.setAttribute('data-drawn', 'true'));
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    box.current?.setAttribute('data-drawn', 'false');
    chart.current?.setOption(option, true);
  }, [option]);

  return (
    <div
      ref={box}
      role="img"
      aria-label={label}
      data-testid={testId}
      className="dash-chart"
      style={{ height, width: '100%' }}
    />
  );
}
