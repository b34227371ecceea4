import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { can } from '../../app/navigation';
import {
  App as AntdApp,
  Button,
  Card,
  DatePicker,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage, request } from '../../api/client';
import type { components } from '../../api/schema';
import { useDirectory } from '../../shared/forms/directory';
import { useQuery } from '../../shared/useQuery';
import { useCurrentUser } from '../auth/AuthContext';

type Deputy = components['schemas']['DeputyView'];

/** 「2026-03-01 至 2026-03-07」 */
export function periodText(d: Pick<Deputy, 'startsOn' | 'endsOn'>): string {
  return d.startsOn === d.endsOn ? d.startsOn : `${d.startsOn} 至 ${d.endsOn}`;
}

/**
 * 我的代理 (docs/decisions/031): a user names a deputy for a period — a leader on leave — who then sees and acts on his
 * tasks, journaled 「张三（代李四）」. An administrator may do it for anyone in the organization.
 */
export default function DeputiesPage() {
  const user = useCurrentUser();
  const admin = can(user, 'manageUnitsAndPeople');
  const { message } = AntdApp.useApp();
  const { directory } = useDirectory();
  const [token, setToken] = useState(0);
  const list = useQuery(['deputies', token], (signal) => request<Deputy[]>('GET', '/api/deputies', { signal }));
  const [principal, setPrincipal] = useState<string>(user.id);
  const [deputy, setDeputy] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const users = directory.users.map((u) => ({ value: u.id, label: u.displayName }));
  const add = async () => {
    setBusy(true);
    try {
      await request('POST', '/api/deputies', {
        body: {
          userId: principal,
          deputyUserId: deputy ?? null,
          startsOn: range?.[0]?.format('YYYY-MM-DD') ?? null,
          endsOn: range?.[1]?.format('YYYY-MM-DD') ?? null,
          reason: reason.trim() || null,
        },
      });
      message.success('已设置代理');
      setDeputy(undefined);
      setRange(null);
      setReason('');
      setToken((t) => t + 1);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    try {
      await request('DELETE', `/api/deputies/${encodeURIComponent(id)}`);
      message.success('已取消代理');
      setToken((t) => t + 1);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const rows = list.data ?? [];
  return (
    <section aria-labelledby="deputies-heading">
      <Typography.Title level={4} id="deputies-heading">
        我的代理
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        请假、出差期间可指定一位代理人：代理期内，代理人能看到并办理您的待办，办理记录写作「代理人（代您）」。
      </Typography.Paragraph>
      <Card size="small" title="设置代理" className="page-section">
        <Space wrap align="start">
          {admin && (
            <Select
              aria-label="被代理人"
              showSearch
              optionFilterProp="label"
              style={{ width: 180 }}
              options={users}
              value={principal}
              onChange={setPrincipal}
            />
          )}
          <Select
            aria-label="代理人"
            showSearch
            optionFilterProp="label"
            placeholder="选择代理人"
            style={{ width: 180 }}
            options={users.filter((u) => u.value !== principal)}
            value={deputy}
            onChange={setDeputy}
          />
          <DatePicker.RangePicker
            aria-label="代理期间"
            placeholder={['开始日期', '结束日期']}
            value={range}
            onChange={(v) => setRange(v)}
          />
          <Input
            aria-label="事由"
            placeholder="事由（如：休假）"
            style={{ width: 200 }}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <Button type="primary" icon={<PlusOutlined aria-hidden />} loading={busy} onClick={() => void add()}>
            添加
          </Button>
        </Space>
      </Card>
      <Table<Deputy>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={rows}
        pagination={false}
        data-testid="deputies-table"
        locale={{ emptyText: '暂无代理设置' }}
        columns={[
          { title: '被代理人', dataIndex: 'userName' },
          { title: '代理人', dataIndex: 'deputyName' },
          { title: '期间', key: 'period', render: (_, d) => periodText(d) },
          { title: '事由', dataIndex: 'reason', render: (r: string | null) => r ?? '' },
          {
            title: '状态',
            key: 'active',
            render: (_, d) => (d.active ? <Tag color="green">代理中</Tag> : <Tag>未开始</Tag>),
          },
          {
            title: '操作',
            key: 'ops',
            render: (_, d) =>
              d.userId === user.id || admin ? (
                <Popconfirm title="取消这项代理？" okText="取消代理" cancelText="不取消" onConfirm={() => remove(d.id)}>
                  <Button size="small" danger icon={<DeleteOutlined aria-hidden />}>
                    取消代理
                  </Button>
                </Popconfirm>
              ) : (
                <Typography.Text type="secondary">由您代理</Typography.Text>
              ),
          },
        ]}
      />
    </section>
  );
}
