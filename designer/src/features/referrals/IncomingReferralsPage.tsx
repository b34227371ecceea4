import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Card, Checkbox, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { referralsApi, type IncomingReferral } from './referralsApi';

const statusTag: Record<IncomingReferral['status'], React.ReactNode> = {
  assigned: <Tag color="orange">待启动</Tag>,
  started: <Tag color="blue">办理中</Tag>,
  reported: <Tag color="green">已上报</Tag>,
  withdrawn: <Tag color="default">上级已撤回</Tag>,
};

/**
 * 上级交办 (decision 050), the subordinate office's side: what the superior organization assigned — its notice — started
 * by clicking with this organization's own procedure and units, and its 办结报告 sent back once the own item has closed.
 */
export default function IncomingReferralsPage() {
  const navigate = useNavigate();
  const { message } = AntdApp.useApp();
  const [reload, setReload] = useState(0);
  const { data, loading, error } = useQuery(['incoming-referrals', reload], (signal) => referralsApi.incoming(signal));
  const [reporting, setReporting] = useState<IncomingReferral | null>(null);
  const [text, setText] = useState('');
  const [fileIds, setFileIds] = useState<string[]>([]);
  const files = useQuery(reporting ? ['referral-files', reporting.id] : null, (signal) =>
    referralsApi.files(reporting!.id, signal),
  );
  const report = useMutation(({ id, body }: { id: string; body: string }) => referralsApi.report(id, body, fileIds), {
    onSuccess: () => {
      message.success('已上报办结报告');
      setReporting(null);
      setText('');
      setFileIds([]);
      setReload((n) => n + 1);
    },
    onError: (e) => {
      message.error(errorMessage(e));
      setReload((n) => n + 1);
    },
  });

  useEffect(() => {
    document.title = '上级交办 - 督办';
  }, []);

  return (
    <Card
      title="上级交办"
      extra={
        <Button icon={<ReloadOutlined aria-hidden />} onClick={() => setReload((n) => n + 1)}>
          刷新
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        上级组织交办的事项：以本组织的流程和承办单位启动办理，办结后上报办结报告。上级只看到办理进度和办结报告。
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon message={errorMessage(error)} /> : null}
      <Table<IncomingReferral>
        rowKey="id"
        loading={loading}
        dataSource={data ?? []}
        pagination={false}
        locale={{ emptyText: '暂无上级交办' }}
        columns={[
          { title: '交办单位', dataIndex: 'superiorOrganizationName' },
          {
            title: '事项',
            dataIndex: 'title',
            render: (v: string, r) => (
              <>
                {v}
                {r.passedFiles.length > 0 && r.status !== 'withdrawn' && (
                  <ul className="referral-files" aria-label="上级下发的附件">
                    {r.passedFiles.map((f) => (
                      <li key={f.id}>
                        <a href={referralsApi.passedFileUrl(r.id, f.id)} download={f.name}>
                          {f.name}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </>
            ),
          },
          { title: '办理要求', dataIndex: 'requirements', render: (v: string | null) => v ?? '—' },
          { title: '时限', dataIndex: 'dueAt', render: (v: string | null) => (v ? formatDateTime(v) : '—') },
          { title: '交办时间', dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
          {
            title: '状态',
            dataIndex: 'status',
            render: (v: IncomingReferral['status'], r) => (
              <>
                {statusTag[v]}
                {r.withdrawnReason && (
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                    撤回原因：{r.withdrawnReason}
                  </Typography.Paragraph>
                )}
                {r.reportText && (
                  <Typography.Paragraph
                    type="secondary"
                    style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}
                    ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}
                  >
                    办结报告：{r.reportText}
                  </Typography.Paragraph>
                )}
              </>
            ),
          },
          {
            title: '操作',
            key: 'actions',
            width: 180,
            render: (_, r) => (
              <Space>
                {r.status === 'assigned' && (
                  <Button
                    type="primary"
                    size="small"
                    onClick={() => navigate(`/start?referral=${encodeURIComponent(r.id)}`)}
                  >
                    启动办理
                  </Button>
                )}
                {r.itemId && <Link to={`/items/${r.itemId}`}>本单位事项</Link>}
                {r.status === 'started' && r.itemStatus === 'completed' && (
                  <Button
                    size="small"
                    onClick={() => {
                      setFileIds([]);
                      setReporting(r);
                    }}
                  >
                    上报办结报告
                  </Button>
                )}
                {r.status === 'started' && r.itemStatus !== 'completed' && (
                  <Typography.Text type="secondary">办结后可上报</Typography.Text>
                )}
              </Space>
            ),
          },
        ]}
      />
      {reporting && (
        <Modal
          open
          title={`上报办结报告：${reporting.title}`}
          okText="上报"
          cancelText="取消"
          confirmLoading={report.pending}
          okButtonProps={{ disabled: text.trim().length === 0 }}
          onCancel={() => setReporting(null)}
          onOk={() => void report.run({ id: reporting.id, body: text })}
        >
          <Typography.Paragraph type="secondary">
            报告报送{reporting.superiorOrganizationName}，上报后不能修改。
          </Typography.Paragraph>
          <Input.TextArea
            aria-label="办结报告"
            rows={6}
            maxLength={5000}
            showCount
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          {(files.data?.length ?? 0) > 0 && (
            <>
              <Typography.Paragraph style={{ marginTop: 12, marginBottom: 4 }}>随报告上报的附件：</Typography.Paragraph>
              <Checkbox.Group
                aria-label="随报告上报的附件"
                value={fileIds}
                onChange={(v) => setFileIds(v)}
                options={(files.data ?? []).map((f) => ({ value: f.id, label: f.name }))}
              />
            </>
          )}
        </Modal>
      )}
    </Card>
  );
}
