import type { components } from '../../api/schema';

type BreakdownTask = components['schemas']['BreakdownTaskView'];

/**
 * 挂图作战 (001 第二十条: 任务书、路线图、时间表，挂图上墙，动态推进): each task of a decision breakdown as a bar on a time
 * line — from when it started to its deadline (or when it was done) — coloured by its light, with how far it has got.
 */

export const TASK_COLORS = {
  red: '#f5222d',
  yellow: '#faad14',
  green: '#52c41a',
  done: '#8c8c8c',
  late: '#ad4e00',
  cancelled: '#d9d9d9',
  none: '#1677ff',
} as const;

/** The colour of a task's bar: its light while open; grey when done (brown when late); pale when cancelled. */
export function taskColor(task: Pick<BreakdownTask, 'state' | 'light' | 'timeliness'>): string {
  if (task.state === 'cancelled') return TASK_COLORS.cancelled;
  if (task.state === 'done') return task.timeliness === 'late' ? TASK_COLORS.late : TASK_COLORS.done;
  if (task.light === 'red' || task.light === 'yellow' || task.light === 'green') return TASK_COLORS[task.light];
  return TASK_COLORS.none;
}

export interface TimelineBar {
  /** Row: the task's position. */
  row: number;
  start: number;
  end: number;
  /** The task's deadline (ms), when it has one. */
  due: number | null;
  /** 0–100, as last reported (done counts as 100). */
  percent: number;
  color: string;
  name: string;
  task: BreakdownTask;
}

/**
 * One bar per task: from when it started (or its deadline, if that was earlier) to its deadline — and on to today while
 * it is open past it, or to when it was done if that was later.
 */
export function timelineBars(tasks: readonly BreakdownTask[], now: number): TimelineBar[] {
  return tasks.map((task, row) => {
    const created = Date.parse(task.createdAt);
    const due = task.dueAt ? Date.parse(task.dueAt) : null;
    const finished = task.finishedAt ? Date.parse(task.finishedAt) : null;
    const start = Math.min(created, due ?? created);
    const reached = task.state === 'open' ? now : (finished ?? created);
    const end = Math.max(start + 86_400_000, due ?? reached, task.state === 'cancelled' ? 0 : reached);
    const percent = task.state === 'done' ? 100 : Math.max(0, Math.min(100, Number(task.percent ?? 0)));
    return {
      row,
      start,
      end,
      due,
      percent,
      color: taskColor(task),
      name: task.leadUnitName ? `${task.title}（${task.leadUnitName}）` : task.title,
      task,
    };
  });
}

interface RenderApi {
  value: (dimension: number) => number;
  coord: (point: [number, number]) => [number, number];
  size: (value: [number, number]) => [number, number];
}

/** The ECharts option of the 时间表: tasks down, time across, today marked. */
export function timelineOption(tasks: readonly BreakdownTask[], now: number, fontSize = 12) {
  const bars = timelineBars(tasks, now);
  const min = Math.min(now, ...bars.map((b) => b.start));
  const max = Math.max(now, ...bars.map((b) => b.end));
  const pad = Math.max(86_400_000 * 2, (max - min) * 0.04);
  return {
    tooltip: {
      formatter: (p: { data: { bar: TimelineBar } }) => {
        const { task, percent } = p.data.bar;
        const due = task.dueAt ? new Date(task.dueAt).toLocaleDateString('zh-CN') : '无';
        return [
          `<b>${escapeHtml(task.title)}</b>`,
          `牵头单位：${escapeHtml(task.leadUnitName ?? '—')}`,
          `办理期限：${due}`,
          `当前阶段：${escapeHtml(task.currentPhase ?? '—')}  完成进度：${percent}%`,
        ].join('<br/>');
      },
    },
    grid: { left: 8, right: 24, top: 24, bottom: 40, containLabel: true },
    xAxis: {
      type: 'time',
      min: min - pad,
      max: max + pad,
      axisLabel: { fontSize, hideOverlap: true, formatter: '{MM}-{dd}' },
      splitLine: { show: true, lineStyle: { color: '#f0f0f0' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map((b) => b.name),
      axisLabel: { fontSize, width: 260, overflow: 'truncate' },
    },
    series: [
      {
        type: 'custom',
        encode: { x: [1, 2], y: 0 },
        renderItem: (_: unknown, api: RenderApi) => {
          const row = api.value(0);
          const [x0, y] = api.coord([api.value(1), row]);
          const [x1] = api.coord([api.value(2), row]);
          const height = api.size([0, 1])[1] * 0.5;
          const width = Math.max(2, x1 - x0);
          const percent = api.value(3);
          const color = bars[row]?.color ?? TASK_COLORS.none;
          const due = bars[row]?.due;
          const [dueX] = due === null || due === undefined ? [null] : api.coord([due, row]);
          return {
            type: 'group',
            children: [
              {
                type: 'rect',
                shape: { x: x0, y: y - height / 2, width, height, r: 4 },
                style: { fill: color, opacity: 0.3 },
              },
              {
                type: 'rect',
                shape: { x: x0, y: y - height / 2, width: (width * percent) / 100, height, r: 4 },
                style: { fill: color },
              },
              // The deadline: a dark tick across the bar.
              ...(dueX === null
                ? []
                : [
                    {
                      type: 'rect',
                      shape: { x: dueX - 1.5, y: y - height * 0.8, width: 3, height: height * 1.6 },
                      style: { fill: '#262626' },
                    },
                  ]),
              {
                type: 'text',
                style: {
                  text: `${percent}%`,
                  x: x0 + width + 6,
                  y,
                  verticalAlign: 'middle',
                  fontSize,
                  fill: '#595959',
                },
              },
            ],
          };
        },
        data: bars.map((bar) => ({ value: [bar.row, bar.start, bar.end, bar.percent], bar })),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#1677ff', type: 'dashed' },
          // The task axis is inverted: the line starts at the top.
          label: { formatter: '今天', color: '#1677ff', position: 'start' },
          data: [{ xAxis: now }],
        },
      },
    ],
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
