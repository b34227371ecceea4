import { Alert, Card, Empty, Progress, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage, request } from '../../api/client';
import type { components } from '../../api/schema';
import { formatDateTime } from '../../shared/format';
import { LightIndicator } from '../../shared/deadline/LightIndicator';
import { useQuery } from '../../shared/useQuery';
import { ledgerApi } from '../ledger/ledgerApi';
import { breakdownApi, type BreakdownTask } from '../itemPanels/itemPanelsApi';
import { EChart } from './EChart';
import { TASK_COLORS, timelineOption } from './battleMap';
import './dashboard.css';

type ClockView = components['schemas']['ClockView'];

/** The shipped 决策部署分解 template (015): its items are the decisions broken down into tasks. */
export const BREAKDOWN_DEFINITION = 'decision-breakdown';

const STATE: Record<string, { label: string; color: string }> = {
  open: { label: '推进中', color: 'processing' },
  done: { label: '已完成', color: 'success' },
  cancelled: { label: '已取消', color: 'default' },
};

const columns: TableProps<BreakdownTask>['columns'] = [
  {
    title: '任务',
    key: 'title',
    render: (_, task) => (
      <Space direction="vertical" size={0}>
        <Link to={`/items/${task.instanceId}`}>{task.title}</Link>
        {task.number && <Typography.Text type="secondary">{task.number}</Typography.Text>}
      </Space>
    ),
  },
  {
    title: '牵头 / 责任单位',
    key: 'units',
    render: (_, task) => (
      <Space direction="vertical" size={0}>
        <span>{task.leadUnitName ?? '—'}</span>
        {task.coUnitNames.length > 0 && (
          <Typography.Text type="secondary">{task.coUnitNames.join('、')}</Typography.Text>
        )}
      </Space>
    ),
  },
  { title: '当前阶段', dataIndex: 'currentPhase', render: (phase: string | null) => phase ?? '—' },
  {
    title: '进度',
    key: 'percent',
    width: 140,
    render: (_, task) => <Progress percent={task.state === 'done' ? 100 : Number(task.percent ?? 0)} size="small" />,
  },
  {
    title: '期限 / 状态',
    key: 'due',
    render: (_, task) => (
      <Space direction="vertical" size={2}>
        <span>{task.dueAt ? formatDateTime(task.dueAt) : '无期限'}</span>
        <Space size={4}>
          <Tag color={STATE[task.state]?.color}>{STATE[task.state]?.label ?? task.state}</Tag>
          {task.light && <LightIndicator light={task.light} />}
          {task.timeliness === 'late' && <Tag color="orange">逾期完成</Tag>}
        </Space>
      </Space>
    ),
  },
  {
    title: '最近报送',
    key: 'report',
    render: (_, task) =>
      task.lastReportAt ? (
        <Space direction="vertical" size={0}>
          <Typography.Text type="secondary">{formatDateTime(task.lastReportAt)}</Typography.Text>
          <Typography.Paragraph ellipsis={{ rows: 2 }} className="battle-report">
            {task.lastReport}
          </Typography.Paragraph>
        </Space>
      ) : (
        <Typography.Text type="secondary">尚未报送</Typography.Text>
      ),
  },
];

/**
 * 挂图作战 (001 第二十条, decision 041): a decision broken down into tasks, as 任务书 (who does what by when, how far it
 * has got, the last report) and 时间表 (the tasks on a time line with their lights).
 */
export default function BattleMapPage() {
  const [params, setParams] = useSearchParams();
  const decisions = useQuery(['battle-decisions'], (signal) =>
    ledgerApi.list({ definitionId: BREAKDOWN_DEFINITION, pageSize: 100, sort: 'createdAt' }, signal),
  );
  const selected = params.get('id') ?? decisions.data?.items[0]?.id ?? null;
  // "Today" is the installation's (a virtual clock in training, decision 021), not the browser's.
  const progress = useQuery(selected ? ['battle', selected] : null, async (signal) => {
    const [view, clock] = await Promise.all([
      breakdownApi.get(selected ?? '', signal),
      request<ClockView>('GET', '/api/clock', { signal }),
    ]);
    return { view, now: Date.parse(clock.now) };
  });
  const view = progress.data?.view;
  const now = progress.data?.now;
  const option = useMemo(() => (view && now !== undefined ? timelineOption(view.tasks, now) : null), [view, now]);

  return (
    <div className="dash-page" data-testid="battle-map">
      <div className="dash-header">
        <Typography.Title level={4} className="dash-heading">
          挂图作战
        </Typography.Title>
        <Select
          className="battle-select"
          aria-label="决策部署"
          placeholder="选择决策部署事项"
          loading={decisions.loading}
          value={selected ?? undefined}
          onChange={(id: string) => setParams({ id })}
          options={
            decisions.data?.items.map((i) => ({ value: i.id, label: i.number ? `${i.number} ${i.title}` : i.title })) ??
            []
          }
        />
      </div>
      {decisions.error !== null && <Alert type="error" showIcon message={errorMessage(decisions.error)} />}
      {decisions.data && decisions.data.items.length === 0 && <Empty description="还没有决策部署分解事项" />}
      {progress.error !== null && <Alert type="error" showIcon message={errorMessage(progress.error)} />}
      {selected && !view && progress.loading && <Spin className="dash-spin" />}
      {view && option && (
        <>
          <div className="dash-kpis">
            <div className="dash-kpi">
              <Typography.Text type="secondary">任务</Typography.Text>
              <div className="battle-figure">{view.total}</div>
            </div>
            <div className="dash-kpi">
              <Typography.Text type="secondary">完成</Typography.Text>
              <div className="battle-figure">{view.percentDone}%</div>
            </div>
            <div className="dash-kpi">
              <Typography.Text type="secondary">按期完成 / 逾期完成</Typography.Text>
              <div className="battle-figure">
                {view.doneOnTime} / {view.doneLate}
              </div>
            </div>
            <div className="dash-kpi">
              <Typography.Text type="secondary">超期 / 临期</Typography.Text>
              <div className="battle-figure" style={{ color: TASK_COLORS.red }}>
                {view.overdue} / {view.dueSoon}
              </div>
            </div>
            <div className="dash-kpi">
              <Link to={`/items/${view.instanceId}`}>打开决策部署事项</Link>
            </div>
          </div>
          <Card title="时间表" size="small" className="page-section">
            {view.tasks.length === 0 ? (
              <Empty description="尚未分解任务" />
            ) : (
              <>
                <EChart
                  option={option}
                  height={Math.max(220, view.tasks.length * 44 + 80)}
                  label="时间表"
                  testId="battle-timeline"
                />
                <Space size="middle" wrap className="battle-legend">
                  {[
                    ['正常', TASK_COLORS.green],
                    ['临期', TASK_COLORS.yellow],
                    ['超期', TASK_COLORS.red],
                    ['已完成', TASK_COLORS.done],
                    ['逾期完成', TASK_COLORS.late],
                    ['期限', '#262626'],
                  ].map(([label, color]) => (
                    <span key={label}>
                      <span className="battle-swatch" style={{ background: color }} />
                      {label}
                    </span>
                  ))}
                  <Typography.Text type="secondary">深色部分为已报完成进度</Typography.Text>
                </Space>
              </>
            )}
          </Card>
          <Card title="任务书 · 路线图" size="small" className="page-section">
            <Table
              rowKey="instanceId"
              size="small"
              columns={columns}
              dataSource={view.tasks}
              pagination={false}
              scroll={{ x: 900 }}
            />
          </Card>
        </>
      )}
    </div>
  );
}
