import { DownloadOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage, type QueryValue } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { saveBlob } from '../../shared/download';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { auditApi, type AuditEntry, type AuditVerification } from './auditApi';

interface Filters {
  range: [Dayjs | null, Dayjs | null] | null;
  action?: string;
  user: string;
  result?: string;
}

/** The filters as the API's query: the end date counts whole (up to the next day's start). */
export function auditQuery(filters: Filters, page: number): Record<string, QueryValue> {
  const [from, to] = filters.range ?? [null, null];
  return {
    from: from ? from.startOf('day').toISOString() : undefined,
    to: to ? to.add(1, 'day').startOf('day').toISOString() : undefined,
    action: filters.action,
    user: filters.user.trim() || undefined,
    result: filters.result,
    page,
    pageSize: 20,
  };
}

/**
 * 安全审计 (审计员; the platform administrator for the platform's own rows, decision 044): who did what, when, from where
 * and with what result — people, roles, passwords, units, settings, sign-ins, exports and downloads. 校验完整性 walks the
 * hash chain; an altered or removed row is named.
 */
export default function AuditPage() {
  const { message } = AntdApp.useApp();
  const [filters, setFilters] = useState<Filters>({ range: null, user: '' });
  const [page, setPage] = useState(1);
  const [reload, setReload] = useState(0);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const query = auditQuery(filters, page);
  const { data, loading, error } = useQuery(['audit', JSON.stringify(query), reload], (signal) =>
    auditApi.list(query, signal),
  );
  const { data: actions } = useQuery(['audit-actions'], (signal) => auditApi.actions(signal));
  const verify = useMutation(() => auditApi.verify(), {
    onSuccess: setVerification,
    onError: (e) => message.error(errorMessage(e)),
  });
  const exporting = useMutation(() => auditApi.export({ ...query, page: undefined, pageSize: undefined }), {
    onSuccess: ({ blob, fileName }) => saveBlob(blob, fileName),
    onError: (e) => message.error(errorMessage(e)),
  });
  const change = (next: Partial<Filters>) => {
    setFilters((current) => ({ ...current, ...next }));
    setPage(1);
  };

  return (
    <Card
      title="安全审计"
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
            刷新
          </Button>
          <Button icon={<SafetyCertificateOutlined />} loading={verify.pending} onClick={() => void verify.run()}>
            校验完整性
          </Button>
          <Button icon={<DownloadOutlined />} loading={exporting.pending} onClick={() => void exporting.run()}>
            导出 Excel
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        记录人员、角色、密码、单位、设置的变更，登录（含失败），导出和下载：谁、何时、从哪里、做了什么、结果如何。日志只增不改，逐条以哈希相连，任何一条被改动或删除都能校验出来。
      </Typography.Paragraph>
      {verification ? (
        <Alert
          data-testid="audit-verification"
          style={{ marginBottom: 12 }}
          showIcon
          type={verification.intact ? 'success' : 'error'}
          message={
            verification.intact
              ? `日志完整：${verification.sealed} 条已入链${verification.unsealed > 0 ? `，${verification.unsealed} 条待入链` : ''}`
              : `日志被改动：${verification.reason ?? ''}`
          }
          description={`链尾摘要：${verification.headHash}（可抄录备查，用于发现日后被截断）`}
          closable
          onClose={() => setVerification(null)}
        />
      ) : null}
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker
          aria-label="时间范围"
          value={filters.range ?? undefined}
          onChange={(range) => change({ range: range as Filters['range'] })}
        />
        <Select
          aria-label="操作"
          placeholder="全部操作"
          allowClear
          style={{ width: 200 }}
          value={filters.action}
          options={(actions ?? []).map((a) => ({ value: a.action, label: a.name }))}
          onChange={(action?: string) => change({ action })}
        />
        <Input.Search
          aria-label="账号"
          placeholder="账号"
          allowClear
          style={{ width: 160 }}
          onSearch={(user) => change({ user })}
        />
        <Select
          aria-label="结果"
          placeholder="全部结果"
          allowClear
          style={{ width: 120 }}
          value={filters.result}
          options={[
            { value: '成功', label: '成功' },
            { value: '失败', label: '失败' },
          ]}
          onChange={(result?: string) => change({ result })}
        />
      </Space>
      {error ? <Alert type="error" showIcon message={errorMessage(error)} /> : null}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: 20,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => `共 ${total} 条`,
          onChange: setPage,
        }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 160, render: (at: string) => formatDateTime(at) },
          { title: '账号', dataIndex: 'userName', width: 110 },
          { title: '地址', dataIndex: 'address', width: 120 },
          { title: '操作', dataIndex: 'actionName', width: 150 },
          { title: '说明', dataIndex: 'description' },
          {
            title: '结果',
            dataIndex: 'result',
            width: 70,
            render: (result: string) => <Tag color={result === '成功' ? 'green' : 'red'}>{result}</Tag>,
          },
          { title: '链序号', dataIndex: 'sequence', width: 80, align: 'right' },
        ]}
      />
    </Card>
  );
}
