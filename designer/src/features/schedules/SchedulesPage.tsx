import { PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import { ScheduleDialog } from './ScheduleDialog';
import { schedulesApi, type Schedule, type ScheduleRun } from './schedulesApi';

const STATUS: Record<string, { color: string; label: string }> = {
  started: { color: 'green', label: '已发起' },
  skipped: { color: 'default', label: '已跳过' },
  failed: { color: 'red', label: '失败' },
};

function RunLine({ run }: { run: ScheduleRun }) {
  const status = STATUS[run.status] ?? { color: 'default', label: run.status };
  return (
    <div className="schedule-run">
      <span>{run.occurrence}</span>{' '}
      <Tooltip title={run.reason ?? undefined}>
        <Tag color={status.color}>{status.label}</Tag>
      </Tooltip>
      {run.instanceId && <Link to={`/items/${run.instanceId}`}>{run.number ?? run.title ?? '查看事项'}</Link>}
      {run.status !== 'started' && run.reason && (
        <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
          {' '}
          {run.reason}
        </Typography.Text>
      )}
    </div>
  );
}

/**
 * 定期任务 (管理员): procedures that start on a rule — every Monday, the 5th working day, the last two weeks of each
 * quarter, 7-15 / 10-15 / 1-15 — with the next dates on the organization's calendar and what became of the last ones.
 */
export default function SchedulesPage() {
  const { message } = AntdApp.useApp();
  const [token, setToken] = useState(0);
  const list = useQuery(['schedules', token], (signal) => schedulesApi.list(signal));
  const [editing, setEditing] = useState<Schedule | 'new' | null>(null);
  const reload = () => setToken((n) => n + 1);
  useEffect(() => {
    document.title = '定期任务 - 督办';
  }, []);

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      message.success(done);
      reload();
    } catch (error) {
      message.error(errorMessage(error));
    }
  };

  const columns: TableProps<Schedule>['columns'] = [
    {
      title: '任务',
      key: 'name',
      render: (_, s) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{s.name}</Typography.Text>
          <Typography.Text type="secondary">{s.definitionName ?? s.definitionId}</Typography.Text>
          {s.paused && <Tag color="orange">已暂停</Tag>}
        </Space>
      ),
    },
    { title: '规则', dataIndex: 'ruleText', key: 'rule' },
    { title: '发起人', key: 'user', render: (_, s) => s.startAsUserName ?? s.startAsUserId },
    {
      title: '接下来',
      key: 'next',
      render: (_, s) =>
        s.nextOccurrences.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Space wrap size={[4, 4]} data-testid={`next-${s.name}`}>
            {s.nextOccurrences.map((d) => (
              <Tag key={d}>{d}</Tag>
            ))}
          </Space>
        ),
    },
    {
      title: '最近运行',
      key: 'runs',
      render: (_, s) =>
        s.lastRuns.length === 0 ? (
          <Typography.Text type="secondary">尚未运行</Typography.Text>
        ) : (
          <>
            {s.lastRuns.slice(0, 3).map((r) => (
              <RunLine key={r.occurrence} run={r} />
            ))}
            {s.lastError && <Typography.Text type="danger">重试中：{s.lastError}</Typography.Text>}
          </>
        ),
    },
    {
      title: '操作',
      key: 'actions',
      render: (_, s) => (
        <Space size={0} wrap>
          <Button type="link" onClick={() => setEditing(s)}>
            编辑
          </Button>
          {s.paused ? (
            <Button type="link" onClick={() => act(() => schedulesApi.resume(s.id), `已恢复「${s.name}」`)}>
              恢复
            </Button>
          ) : (
            <Button type="link" onClick={() => act(() => schedulesApi.pause(s.id), `已暂停「${s.name}」`)}>
              暂停
            </Button>
          )}
          <Popconfirm
            title={`删除「${s.name}」？`}
            description="已发起的事项保留。"
            okText="删除"
            cancelText="取消"
            onConfirm={() => act(() => schedulesApi.remove(s.id), `已删除「${s.name}」`)}
          >
            <Button type="link" danger>
              删除
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <section aria-labelledby="schedules-heading">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={4} id="schedules-heading" style={{ margin: 0 }}>
          定期任务
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
          新建定期任务
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">
        按规则自动发起流程（如每周一的周督查、每月第 5
        个工作日的交账、每季度最后两周的专项检查）；日期按本单位工作日历计算，节假日与调休已计入。
      </Typography.Paragraph>
      {list.error ? (
        <Alert type="error" showIcon message={errorMessage(list.error)} />
      ) : (
        <Table<Schedule>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: '尚无定期任务' }}
        />
      )}
      {editing && (
        <ScheduleDialog
          schedule={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            message.success(`已保存「${saved.name}」`);
            setEditing(null);
            reload();
          }}
        />
      )}
    </section>
  );
}
