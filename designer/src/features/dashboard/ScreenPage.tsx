import { Button, Space } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import { EChart } from './EChart';
import { dashboardApi, ledgerLink, type DashboardFigure } from './dashboardApi';
import {
  LIGHT_COLORS,
  SCREEN_THEME,
  STATUS_COLORS,
  barOption,
  figureOf,
  headline,
  onTimeRateOption,
  overdueByUnit,
  ringOption,
  trendOption,
} from './dashboardCharts';
import { filterFrom, filterParams } from './DashboardPage';
import './dashboard.css';

/** How often the meeting room's screen reloads its figures. */
export const SCREEN_REFRESH_MS = 60_000;

function Kpi({
  label,
  figure,
  color,
  text,
}: {
  label: string;
  figure?: DashboardFigure | undefined;
  color?: string;
  text?: string;
}) {
  const body = (
    <>
      <div className="dash-screen-kpi-label">{label}</div>
      <div className="dash-screen-kpi-value" style={color ? { color } : undefined}>
        {text ?? figure?.count ?? '—'}
      </div>
    </>
  );
  return figure ? (
    <Link to={ledgerLink(figure)} className="dash-screen-kpi">
      {body}
    </Link>
  ) : (
    <div className="dash-screen-kpi">{body}</div>
  );
}

/** 大屏 (decision 041): the dashboard for the meeting room — over the whole window, dark, large type, reloaded every minute. */
export default function ScreenPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const filter = useMemo(() => filterFrom(params), [params]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((t) => t + 1), SCREEN_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);
  const loaded = useQuery(['dashboard-screen', filter, tick], (signal) => dashboardApi.get(filter, signal));
  const view = loaded.data;
  const charts = useMemo(() => {
    if (!view) return null;
    return {
      status: ringOption(view.byStatus, SCREEN_THEME, STATUS_COLORS),
      rate: onTimeRateOption(view, SCREEN_THEME),
      overdue: barOption(overdueByUnit(view), SCREEN_THEME, { horizontal: true, color: LIGHT_COLORS.red }),
      source: ringOption(view.bySource, SCREEN_THEME),
      light: barOption(view.byLight, SCREEN_THEME, { colors: LIGHT_COLORS }),
      trend: trendOption(view, SCREEN_THEME),
    };
  }, [view]);
  const top = view ? headline(view) : null;
  const drill = (data: unknown) => {
    const figure = figureOf(data);
    if (figure) navigate(ledgerLink(figure));
  };
  const fullScreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.();
  };

  return (
    <div className="dash-screen" data-testid="dash-screen">
      <div className="dash-screen-header">
        <h1 className="dash-screen-title">督查督办工作大屏</h1>
        <Space size="large">
          <span className="dash-screen-time">
            {view
              ? `数据更新于 ${new Date(view.generatedAt).toLocaleTimeString('zh-CN', { hour12: false })}，每分钟自动刷新`
              : ''}
            {loaded.error !== null ? `  刷新失败：${errorMessage(loaded.error)}` : ''}
          </span>
          <Button ghost onClick={fullScreen}>
            全屏
          </Button>
          <Link to={`/cockpit?${filterParams(filter).toString()}`}>
            <Button ghost>退出大屏</Button>
          </Link>
        </Space>
      </div>
      {top && charts && view && (
        <>
          <div className="dash-screen-kpis">
            <Kpi label="事项总数" figure={top.total} />
            <Kpi label="办理中" figure={top.open} color="#69b1ff" />
            <Kpi label="超期" figure={top.overdue} color="#ff7875" />
            <Kpi label="临期" figure={top.dueSoon} color="#ffd666" />
            <Kpi label="已办结" figure={top.completed} color="#95de64" />
            <Kpi label="按期办结率" text={top.onTimeRate === null ? '—' : `${top.onTimeRate}%`} />
          </div>
          <div className="dash-screen-grid">
            <section className="dash-screen-panel">
              <h2>办理状态</h2>
              <EChart option={charts.status} height={320} onPointClick={drill} label="办理状态" />
            </section>
            <section className="dash-screen-panel">
              <h2>各单位按期办结率</h2>
              {view.units.some((u) => u.onTimeRate !== null && u.onTimeRate !== undefined) ? (
                <EChart option={charts.rate} height={320} onPointClick={drill} label="各单位按期办结率" />
              ) : (
                <div className="dash-screen-empty">暂无办结事项</div>
              )}
            </section>
            <section className="dash-screen-panel">
              <h2>各单位超期事项</h2>
              {overdueByUnit(view).length > 0 ? (
                <EChart option={charts.overdue} height={320} onPointClick={drill} label="各单位超期事项" />
              ) : (
                <div className="dash-screen-empty">没有超期事项</div>
              )}
            </section>
            <section className="dash-screen-panel">
              <h2>在办事项状态灯</h2>
              <EChart option={charts.light} height={320} onPointClick={drill} label="在办事项状态灯" />
            </section>
            <section className="dash-screen-panel">
              <h2>事项来源</h2>
              <EChart option={charts.source} height={320} onPointClick={drill} label="事项来源" />
            </section>
            <section className="dash-screen-panel">
              <h2>月度趋势</h2>
              <EChart option={charts.trend} height={320} onPointClick={drill} label="月度趋势" />
            </section>
          </div>
        </>
      )}
    </div>
  );
}
