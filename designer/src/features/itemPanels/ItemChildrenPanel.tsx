import { Alert, Card, Grid, List, Progress, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { Link } from 'react-router';
import type { InstanceSummary } from '../../api/types';
import { formatDateTime, orEmpty } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { LightIndicator } from '../../shared/deadline/LightIndicator';
import { statusOf } from '../item/timeline';
import { progressLine, summaryFigures, taskState, timelinessInfo, unitsLine } from './breakdown';
import { breakdownApi, type BreakdownTask } from './itemPanelsApi';
import './itemPanels.css';

export interface ItemChildrenPanelProps {
  instanceId: string;
  /** The item's children as the item detail lists them; shown plainly when the progress cannot be loaded. */
  items: InstanceSummary[];
  refreshKey?: number;
}

function TaskTitle({ task }: { task: BreakdownTask }) {
  return (
    <Space size={[6, 2]} wrap>
      {task.number && <Tag>{task.number}</Tag>}
      <Link to={`/items/${task.instanceId}`}>{task.title}</Link>
    </Space>
  );
}

function Status({ task }: { task: BreakdownTask }) {
  const state = taskState(task);
  const timeliness = timelinessInfo(task.timeliness);
  return (
    <Space size={[4, 4]} wrap>
      <Tag color={state.color}>{state.label}</Tag>
      {timeliness && <Tag color={timeliness.color}>{timeliness.label}</Tag>}
    </Space>
  );
}

/**
 * 子事项 and their progress (决策部署分解's 挂图作战): how many tasks are done, on time, overdue, then each task — its
 * title (a link to it), lead unit, deadline, state and light. One card: it replaces the plain list of children, which
 * it falls back to when the progress cannot be loaded.
 */
export function ItemChildrenPanel({ instanceId, items, refreshKey = 0 }: ItemChildrenPanelProps) {
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const loaded = useQuery(['breakdown', instanceId, refreshKey], (signal) => breakdownApi.get(instanceId, signal));
  const progress = loaded.data ?? null;
  const failed = loaded.error !== null;

  if (items.length === 0 && (!progress || progress.total === 0)) return null;

  if (!progress || progress.total === 0) {
    return (
      <Card className="page-section" size="small" title={`子事项（${items.length}）`} data-testid="item-children">
        {failed && (
          <Alert className="page-alert" type="warning" showIcon message="办理进度暂时无法加载，仅列出子事项" />
        )}
        <List
          size="small"
          dataSource={items}
          renderItem={(child) => {
            const s = statusOf(child);
            return (
              <List.Item>
                <Space wrap size={[8, 4]}>
                  {child.number && <Tag>{child.number}</Tag>}
                  <Link to={`/items/${child.id}`}>{child.title}</Link>
                  <Tag color={s.color}>{s.label}</Tag>
                </Space>
              </List.Item>
            );
          }}
        />
      </Card>
    );
  }

  const columns: TableProps<BreakdownTask>['columns'] = [
    { title: '任务', key: 'title', render: (_: unknown, t) => <TaskTitle task={t} /> },
    { title: '牵头单位', key: 'unit', width: 170, render: (_: unknown, t) => orEmpty(unitsLine(t)) },
    { title: '期限', dataIndex: 'dueAt', key: 'dueAt', width: 140, render: (v: string | null) => formatDateTime(v) },
    { title: '状态', key: 'state', width: 170, render: (_: unknown, t) => <Status task={t} /> },
    { title: '灯', key: 'light', width: 80, render: (_: unknown, t) => <LightIndicator light={t.light} /> },
    {
      title: '进展',
      key: 'progress',
      width: 200,
      render: (_: unknown, t) => <span className="breakdown-progress-line">{orEmpty(progressLine(t))}</span>,
    },
  ];

  return (
    <Card
      className="page-section"
      size="small"
      title={`子事项进展（${progress.total - progress.cancelled}）`}
      data-testid="item-children"
    >
      <div className="breakdown-summary" data-testid="breakdown-summary">
        <Progress
          type="circle"
          size={isPhone ? 64 : 76}
          percent={progress.percentDone}
          format={(p) => `${p}%`}
          aria-label={`已办结 ${progress.percentDone}%`}
        />
        <dl className="breakdown-figures">
          {summaryFigures(progress).map((f) => (
            <div key={f.key} className={f.tone ? `breakdown-figure-${f.tone}` : undefined} data-figure={f.key}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      </div>
      {isPhone ? (
        <List
          size="small"
          dataSource={progress.tasks}
          rowKey="instanceId"
          renderItem={(t) => (
            <List.Item>
              <div className="breakdown-card">
                <TaskTitle task={t} />
                <div className="breakdown-card-meta">
                  <span>{orEmpty(unitsLine(t))}</span>
                  <span>期限 {formatDateTime(t.dueAt)}</span>
                  <LightIndicator light={t.light} />
                </div>
                <Status task={t} />
                {progressLine(t) && <Typography.Text type="secondary">{progressLine(t)}</Typography.Text>}
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<BreakdownTask>
          size="small"
          rowKey="instanceId"
          columns={columns}
          dataSource={progress.tasks}
          pagination={progress.tasks.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          scroll={{ x: 900 }}
          rowClassName={(t) => (t.state === 'cancelled' ? 'breakdown-row-cancelled' : '')}
        />
      )}
    </Card>
  );
}
