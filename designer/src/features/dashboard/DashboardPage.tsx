import { Alert, Button, Card, Col, DatePicker, Row, Select, Space, Spin, Statistic, Typography } from 'antd';
import { FullscreenOutlined, InboxOutlined, FundProjectionScreenOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { can } from '../../app/navigation';
import { useCurrentUser } from '../auth/AuthContext';
import { useQuery } from '../../shared/useQuery';
import { EChart } from './EChart';
import { dashboardApi, ledgerLink, type DashboardFilter, type DashboardFigure } from './dashboardApi';
import {
  LIGHT_COLORS,
  LIGHT_THEME,
  STATUS_COLORS,
  barOption,
  figureOf,
  headline,
  onTimeRateOption,
  overdueByUnit,
  ringOption,
  trendOption,
} from './dashboardCharts';
import './dashboard.css';

/** The dashboard's filter as it stands in the URL (so a filtered dashboard can be bookmarked, and 大屏 keeps it). */
export function filterFrom(params: URLSearchParams): DashboardFilter {
  const date = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  return {
    definitionId: params.get('definitionId') || undefined,
    unitId: params.get('unitId') || undefined,
    source: params.get('source') || undefined,
    from: date(params.get('from')),
    to: date(params.get('to')),
  };
}

export function filterParams(filter: DashboardFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value as string);
  return params;
}

/** A headline number that opens the ledger. */
function Headline({
  title,
  figure,
  suffix,
  color,
}: {
  title: string;
  figure: DashboardFigure | undefined;
  suffix?: string;
  color?: string;
}) {
  if (!figure) return null;
  return (
    <Link to={ledgerLink(figure)} className="dash-kpi" aria-label={`${title} ${figure.count}${suffix ?? ''}，查看台账`}>
      <Statistic title={title} value={figure.count} suffix={suffix} valueStyle={color ? { color } : undefined} />
    </Link>
  );
}

/**
 * 领导驾驶舱 / 督查室 dashboard (decision 041): the items the viewer's ledger shows him, counted by status, light, unit,
 * 来源, procedure type and month. Every number and chart element opens the ledger with the filter it was counted by.
 */
export default function DashboardPage() {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFrom(params), [params]);
  const loaded = useQuery(['dashboard', filter], (signal) => dashboardApi.get(filter, signal));
  const view = loaded.data;
  const office = can(user, 'supervise');
  const leader = can(user, 'seeAllItems');
  const title = leader && !office ? '领导驾驶舱' : office ? '督查室工作台' : '本单位督办概况';

  const drill = (data: unknown) => {
    const figure = figureOf(data);
    if (figure) navigate(ledgerLink(figure));
  };
  const set = (patch: DashboardFilter) => setParams(filterParams({ ...filter, ...patch }));

  const charts = useMemo(() => {
    if (!view) return null;
    return {
      status: ringOption(view.byStatus, LIGHT_THEME, STATUS_COLORS),
      light: barOption(view.byLight, LIGHT_THEME, { colors: LIGHT_COLORS }),
      rate: onTimeRateOption(view, LIGHT_THEME),
      overdue: barOption(overdueByUnit(view), LIGHT_THEME, { horizontal: true, color: LIGHT_COLORS.red }),
      source: ringOption(view.bySource, LIGHT_THEME),
      types: barOption(view.byDefinition, LIGHT_THEME, { horizontal: true, color: '#1677ff' }),
      trend: trendOption(view, LIGHT_THEME),
    };
  }, [view]);
  const top = view ? headline(view) : null;
  const overdueUnits = view ? overdueByUnit(view) : [];
  const rated = view ? view.units.filter((u) => u.onTimeRate !== null && u.onTimeRate !== undefined) : [];

  return (
    <div className="dash-page">
      <div className="dash-header">
        <Typography.Title level={4} className="dash-heading">
          {title}
        </Typography.Title>
        <Space wrap>
          <Link to="/">
            <Button icon={<InboxOutlined />}>我的待办</Button>
          </Link>
          <Link to="/battle">
            <Button icon={<FundProjectionScreenOutlined />}>挂图作战</Button>
          </Link>
          {office && (
            <Link to="/warnings">
              <Button icon={<WarningOutlined />}>预警</Button>
            </Link>
          )}
          <Link to={`/cockpit/screen?${filterParams(filter).toString()}`}>
            <Button type="primary" icon={<FullscreenOutlined />}>
              大屏
            </Button>
          </Link>
        </Space>
      </div>

      <div className="dash-filters">
        <Select
          allowClear
          placeholder="全部流程类型"
          aria-label="流程类型"
          className="dash-filter"
          value={filter.definitionId}
          onChange={(definitionId?: string) => set({ definitionId })}
          options={view?.byDefinition.map((d) => ({ value: d.key, label: d.label })) ?? []}
        />
        <Select
          allowClear
          placeholder="全部来源"
          aria-label="来源"
          className="dash-filter"
          value={filter.source}
          onChange={(source?: string) => set({ source })}
          options={view?.bySource.map((d) => ({ value: d.key, label: d.label })) ?? []}
        />
        <DatePicker.RangePicker
          aria-label="登记时间"
          placeholder={['登记开始', '登记结束']}
          value={filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to)] : null}
          onChange={(range) =>
            set({
              from: range?.[0]?.format('YYYY-MM-DD') ?? undefined,
              to: range?.[1]?.format('YYYY-MM-DD') ?? undefined,
            })
          }
        />
      </div>

      {loaded.error !== null && (
        <Alert type="error" showIcon message="统计加载失败" description={errorMessage(loaded.error)} />
      )}
      {!view && loaded.loading && <Spin className="dash-spin" />}
      {view && top && charts && (
        <>
          <div className="dash-kpis" data-testid="dash-kpis">
            <Headline title="事项总数" figure={top.total} />
            <Headline title="办理中" figure={top.open} color={STATUS_COLORS.open} />
            <Headline title="超期" figure={top.overdue} color={LIGHT_COLORS.red} />
            <Headline title="临期" figure={top.dueSoon} color="#d48806" />
            <Headline title="已办结" figure={top.completed} color={STATUS_COLORS.completed} />
            <div className="dash-kpi">
              <Statistic
                title="按期办结率"
                value={top.onTimeRate ?? '—'}
                suffix={top.onTimeRate === null ? undefined : '%'}
              />
            </div>
          </div>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <Card title="办理状态" size="small">
                <EChart
                  option={charts.status}
                  height={260}
                  onPointClick={drill}
                  label="办理状态"
                  testId="chart-status"
                />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title="在办事项状态灯" size="small">
                <EChart
                  option={charts.light}
                  height={260}
                  onPointClick={drill}
                  label="在办事项状态灯"
                  testId="chart-light"
                />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title="事项来源" size="small">
                {view.bySource.length === 0 ? (
                  <Typography.Text type="secondary">流程未设来源选项</Typography.Text>
                ) : (
                  <EChart
                    option={charts.source}
                    height={260}
                    onPointClick={drill}
                    label="事项来源"
                    testId="chart-source"
                  />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="各单位按期办结率" size="small">
                {rated.length === 0 ? (
                  <Typography.Text type="secondary">暂无办结事项</Typography.Text>
                ) : (
                  <EChart
                    option={charts.rate}
                    height={Math.max(200, rated.length * 36 + 40)}
                    onPointClick={drill}
                    label="各单位按期办结率"
                    testId="chart-rate"
                  />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="各单位超期事项" size="small">
                {overdueUnits.length === 0 ? (
                  <Typography.Text type="secondary">没有超期事项</Typography.Text>
                ) : (
                  <EChart
                    option={charts.overdue}
                    height={Math.max(200, overdueUnits.length * 36 + 40)}
                    onPointClick={drill}
                    label="各单位超期事项"
                    testId="chart-overdue"
                  />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="流程类型" size="small">
                <EChart
                  option={charts.types}
                  height={Math.max(200, view.byDefinition.length * 36 + 40)}
                  onPointClick={drill}
                  label="流程类型"
                  testId="chart-types"
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="月度趋势（登记 / 办结）" size="small">
                <EChart option={charts.trend} height={260} onPointClick={drill} label="月度趋势" testId="chart-trend" />
              </Card>
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" className="dash-note">
            点击任一数字或图形，打开同样筛选条件的台账。统计范围与台账一致：只含本人可见的事项。
          </Typography.Paragraph>
        </>
      )}
    </div>
  );
}
