import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  DatePicker,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage, isApiError } from '../../api/client';
import { unitTree, useDirectory } from '../../shared/forms/directory';
import { formatDateTime, orEmpty } from '../../shared/format';
import { mapServerErrors } from '../../shared/formErrors';
import { useQuery } from '../../shared/useQuery';
import { settingsApi, type Bulletin } from './settingsApi';
import { yearOptions } from './settingsModel';

interface IssueValues {
  unitId?: string;
  title?: string;
  issuedOn?: Dayjs;
  note?: string;
}

type Dialog = { kind: 'issue' } | { kind: 'revoke'; bulletin: Bulletin };

/**
 * 通报批评 of a year: each counts against the unit's score (考核). 督查员 issue and revoke them; others see the list.
 */
export function BulletinsTab({
  canIssue,
  year,
  onYear,
}: {
  canIssue: boolean;
  year: number;
  onYear: (year: number) => void;
}) {
  const { message } = AntdApp.useApp();
  const [token, setToken] = useState(0);
  const bulletins = useQuery(['bulletins', year, token], (signal) => settingsApi.bulletins(year, signal));
  const rows = bulletins.data ?? null;
  const error = bulletins.error;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const [issueForm] = Form.useForm<IssueValues>();
  const [revokeForm] = Form.useForm<{ reason?: string }>();
  const { directory, loading: unitsLoading } = useDirectory(canIssue);

  function open(next: Dialog) {
    setGeneral([]);
    if (next.kind === 'issue') {
      issueForm.resetFields();
      const now = dayjs();
      issueForm.setFieldsValue({ issuedOn: now.year() === year ? now : dayjs(`${year}-01-01`) });
    } else revokeForm.resetFields();
    setDialog(next);
  }

  async function submit() {
    if (!dialog) return;
    setGeneral([]);
    try {
      if (dialog.kind === 'issue') {
        const v = await issueForm.validateFields();
        setBusy(true);
        await settingsApi.issueBulletin({
          unitId: v.unitId!,
          title: v.title!.trim(),
          issuedOn: v.issuedOn!.format('YYYY-MM-DD'),
          note: v.note?.trim() || null,
        });
        message.success('已登记通报批评');
        if (v.issuedOn!.year() !== year) onYear(v.issuedOn!.year());
      } else {
        const v = await revokeForm.validateFields();
        setBusy(true);
        await settingsApi.revokeBulletin(dialog.bulletin.id, v.reason!.trim());
        message.success('已撤销通报批评');
      }
      setDialog(null);
      setToken((n) => n + 1);
    } catch (e) {
      if (!isApiError(e)) return; // the form's own checks: shown beside the fields
      if (e.status === 409) {
        setGeneral([e.message]);
        setToken((n) => n + 1);
      } else if (dialog.kind === 'issue') setGeneral(mapServerErrors(issueForm, e));
      else setGeneral(mapServerErrors(revokeForm, e));
    } finally {
      setBusy(false);
    }
  }

  const columns: TableProps<Bulletin>['columns'] = [
    { title: '通报日期', dataIndex: 'issuedOn', key: 'issuedOn', width: 110 },
    { title: '被通报单位', dataIndex: 'unitName', key: 'unitName', width: 150 },
    {
      title: '通报名称',
      key: 'title',
      render: (_: unknown, b) => (
        <Space direction="vertical" size={0}>
          <span className={b.revoked ? 'bulletin-revoked' : undefined}>{b.title}</span>
          {b.instanceId && <Link to={`/items/${b.instanceId}`}>查看相关事项</Link>}
          {b.note && <Typography.Text type="secondary">{b.note}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: '登记',
      key: 'created',
      width: 150,
      render: (_: unknown, b) => (
        <span className="bulletin-created">
          {orEmpty(b.createdByName)}
          <br />
          {formatDateTime(b.createdAt)}
        </span>
      ),
    },
    {
      title: '状态',
      key: 'state',
      width: 180,
      render: (_: unknown, b) =>
        b.revoked ? (
          <Space direction="vertical" size={0}>
            <Tag>已撤销</Tag>
            {b.revokeReason && <Typography.Text type="secondary">理由：{b.revokeReason}</Typography.Text>}
          </Space>
        ) : (
          <Tag color="red">计入考核</Tag>
        ),
    },
    ...(canIssue
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 80,
            render: (_: unknown, b: Bulletin) =>
              !b.revoked && (
                <Button type="link" size="small" danger onClick={() => open({ kind: 'revoke', bulletin: b })}>
                  撤销
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <div className="bulletins-tab" data-testid="bulletins-tab">
      <div className="settings-toolbar">
        <Space wrap>
          <label htmlFor="bulletins-year">年度</label>
          <Select
            id="bulletins-year"
            value={year}
            options={yearOptions(year)}
            onChange={onYear}
            style={{ width: 110 }}
          />
          <Typography.Text type="secondary">每次通报批评按考核规则扣分；撤销后不再计入。</Typography.Text>
        </Space>
        {canIssue && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ kind: 'issue' })}>
            登记通报批评
          </Button>
        )}
      </div>
      {!canIssue && (
        <Alert className="page-alert" type="info" showIcon message="通报批评由督查员登记和撤销，您可以查看。" />
      )}
      {error !== null && (
        <Alert className="page-alert" type="error" showIcon message={`通报记录加载失败：${errorMessage(error)}`} />
      )}
      <Table<Bulletin>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={rows ?? []}
        loading={bulletins.loading}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: `${year}年没有通报批评记录` }}
      />

      <Modal
        open={dialog !== null}
        title={dialog?.kind === 'revoke' ? '撤销通报批评' : '登记通报批评'}
        okText={dialog?.kind === 'revoke' ? '确认撤销' : '登记'}
        okButtonProps={{ danger: dialog?.kind === 'revoke', loading: busy }}
        cancelText="取消"
        onOk={submit}
        onCancel={() => !busy && setDialog(null)}
        forceRender
      >
        {general.length > 0 && (
          <Alert className="page-alert" type="error" showIcon role="alert" message={general.join('；')} />
        )}
        <div hidden={dialog?.kind !== 'revoke'}>
          {dialog?.kind === 'revoke' && (
            <Typography.Paragraph>
              撤销对「{dialog.bulletin.unitName}」的通报“{dialog.bulletin.title}”，该单位的考核得分将不再扣除此项。
            </Typography.Paragraph>
          )}
          <Form form={revokeForm} layout="vertical">
            <Form.Item
              name="reason"
              label="撤销理由"
              rules={[
                { required: true, whitespace: true, message: '请填写撤销理由' },
                { max: 500, message: '撤销理由不能超过 500 字' },
              ]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} />
            </Form.Item>
          </Form>
        </div>
        <div hidden={dialog?.kind !== 'issue'}>
          <Form form={issueForm} layout="vertical">
            <Form.Item name="unitId" label="被通报单位" rules={[{ required: true, message: '请选择被通报的单位' }]}>
              <TreeSelect
                treeData={unitTree(directory.units)}
                loading={unitsLoading}
                showSearch
                treeNodeFilterProp="title"
                treeDefaultExpandAll
                placeholder="选择单位"
              />
            </Form.Item>
            <Form.Item
              name="title"
              label="通报名称"
              rules={[
                { required: true, whitespace: true, message: '请填写通报名称' },
                { max: 200, message: '通报名称不能超过 200 字' },
              ]}
            >
              <Input maxLength={200} placeholder="如：关于2026年第一季度督办事项办理情况的通报" />
            </Form.Item>
            <Form.Item name="issuedOn" label="通报日期" rules={[{ required: true, message: '请选择通报日期' }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="note" label="备注（原因等）" rules={[{ max: 2000, message: '备注不能超过 2000 字' }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
            </Form.Item>
          </Form>
        </div>
      </Modal>
    </div>
  );
}
