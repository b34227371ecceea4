import { SendOutlined } from '@ant-design/icons';
import {
  App as AntdApp,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Select,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { can } from '../../app/navigation';
import { errorMessage } from '../../api/client';
import type { components } from '../../api/schema';
import { LightIndicator } from '../../shared/deadline/LightIndicator';
import { mapServerErrors } from '../../shared/formErrors';
import { formatDateTime } from '../../shared/format';
import type { AttachmentRef, FormDefinition } from '../../shared/forms/types';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { useCurrentUser } from '../auth/AuthContext';
import { progressStatusLabel, referralsApi, referralStatusLabel, type ReferralSummary } from './referralsApi';

type OpenTask = components['schemas']['TaskSummary'];

interface AssignValues {
  subordinateOrganizationId?: string;
  requirements?: string;
  dueAt?: { toISOString: () => string } | null;
  taskId?: string;
  reportField?: string;
  fileIds?: string[];
}

/** The files the viewer sees in the item's attachment fields: those he may pass down with the 交办. */
function filesOf(
  form: FormDefinition | null | undefined,
  data: Record<string, unknown> | null | undefined,
): AttachmentRef[] {
  const found = new Map<string, AttachmentRef>();
  for (const field of form?.fields ?? []) {
    const value = field.type === 'attachments' ? data?.[field.key] : undefined;
    if (!Array.isArray(value)) continue;
    for (const ref of value as AttachmentRef[]) if (ref && typeof ref.id === 'string') found.set(ref.id, ref);
  }
  return [...found.values()];
}

/**
 * 上级交办 on the superior's item (decision 050): to which subordinate organization it went, that organization's
 * progress (status, current step, light, deadline) and its 办结报告 — nothing else of it. The office assigns from here.
 */
export function ReferralsPanel({
  instanceId,
  open,
  openTasks,
  form,
  data,
  reloadToken,
  onChanged,
}: {
  instanceId: string;
  open: boolean;
  openTasks: readonly OpenTask[];
  form: FormDefinition | null | undefined;
  data?: Record<string, unknown> | null;
  reloadToken: number;
  onChanged: () => void;
}) {
  const user = useCurrentUser();
  const office = can(user, 'supervise');
  const [assigning, setAssigning] = useState(false);
  const [reload, setReload] = useState(0);
  const list = useQuery(['item-referrals', instanceId, reloadToken, reload], (signal) =>
    referralsApi.ofItem(instanceId, signal),
  );
  const targets = useQuery(office && open ? ['referral-targets'] : null, (signal) => referralsApi.targets(signal));
  const referrals = list.data ?? [];
  const mayAssign = office && open && (targets.data?.length ?? 0) > 0;
  if (referrals.length === 0 && !mayAssign) return null;
  return (
    <Card
      className="page-section"
      size="small"
      title="上级交办（下级组织办理情况）"
      extra={
        mayAssign ? (
          <Button size="small" icon={<SendOutlined aria-hidden />} onClick={() => setAssigning(true)}>
            交办给下级组织
          </Button>
        ) : null
      }
    >
      {referrals.length === 0 ? (
        <Typography.Text type="secondary">尚未交办给下级组织。</Typography.Text>
      ) : (
        <List
          itemLayout="vertical"
          dataSource={referrals}
          renderItem={(r) => (
            <ReferralItem
              key={r.id}
              itemId={instanceId}
              referral={r}
              mayWithdraw={office && (r.status === 'assigned' || r.status === 'started')}
              onWithdrawn={() => {
                setReload((n) => n + 1);
                onChanged();
              }}
            />
          )}
        />
      )}
      {assigning && (
        <AssignDialog
          instanceId={instanceId}
          targets={targets.data ?? []}
          openTasks={openTasks}
          form={form}
          files={filesOf(form, data)}
          onClose={() => setAssigning(false)}
          onDone={() => {
            setAssigning(false);
            setReload((n) => n + 1);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

function ReferralItem({
  itemId,
  referral: r,
  mayWithdraw,
  onWithdrawn,
}: {
  itemId: string;
  referral: ReferralSummary;
  mayWithdraw: boolean;
  onWithdrawn: () => void;
}) {
  const p = r.progress;
  const [withdrawing, setWithdrawing] = useState(false);
  return (
    <List.Item data-testid="referral">
      <Descriptions
        size="small"
        column={1}
        title={r.subordinateOrganizationName}
        extra={
          <>
            <Tag color={r.status === 'withdrawn' ? 'default' : undefined}>{referralStatusLabel[r.status]}</Tag>
            {mayWithdraw && (
              <Button size="small" danger onClick={() => setWithdrawing(true)}>
                撤回交办
              </Button>
            )}
          </>
        }
      >
        {r.stepName && <Descriptions.Item label="交办环节">{r.stepName}</Descriptions.Item>}
        {r.requirements && <Descriptions.Item label="办理要求">{r.requirements}</Descriptions.Item>}
        {r.dueAt && <Descriptions.Item label="时限">{formatDateTime(r.dueAt)}</Descriptions.Item>}
        <Descriptions.Item label="交办">
          {r.createdByName} · {formatDateTime(r.createdAt)}
        </Descriptions.Item>
        {r.passedFiles.length > 0 && (
          <Descriptions.Item label="下发附件">{r.passedFiles.map((f) => f.name).join('、')}</Descriptions.Item>
        )}
        {r.status === 'withdrawn' && (
          <Descriptions.Item label="已撤回">
            {r.withdrawnReason}
            <Typography.Text type="secondary">
              {' '}
              （{r.withdrawnByName}
              {r.withdrawnAt && ` · ${formatDateTime(r.withdrawnAt)}`}
              {r.stepName && `，「${r.stepName}」由本单位继续办理`}）
            </Typography.Text>
          </Descriptions.Item>
        )}
        {p && (
          <Descriptions.Item label="下级进度">
            {progressStatusLabel[p.status] ?? p.status}
            {p.currentSteps.length > 0 && `：${p.currentSteps.join('、')}`}
            {p.dueAt && ` · 期限 ${formatDateTime(p.dueAt)}`} <LightIndicator light={p.light} />
          </Descriptions.Item>
        )}
        {r.reportText && (
          <Descriptions.Item label="办结报告">
            <Typography.Paragraph className="referral-report" style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
              {r.reportText}
            </Typography.Paragraph>
            {r.reportFiles.length > 0 && (
              <ul className="referral-files">
                {r.reportFiles.map((f) => (
                  <li key={f.id}>
                    <a href={referralsApi.fileUrl(itemId, r.id, f.id)} download={f.name}>
                      {f.name}
                    </a>
                  </li>
                ))}
              </ul>
            )}
            <Typography.Text type="secondary">
              {r.reportedAt && formatDateTime(r.reportedAt)}
              {r.stepName && (r.completedStep ? `，已完成「${r.stepName}」` : `，「${r.stepName}」待本单位办理`)}
            </Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>
      {withdrawing && (
        <WithdrawDialog
          itemId={itemId}
          referral={r}
          onClose={() => setWithdrawing(false)}
          onDone={() => {
            setWithdrawing(false);
            onWithdrawn();
          }}
        />
      )}
    </List.Item>
  );
}

/** 撤回交办: the reason is required; the subordinate's office reads it, and its own item stays its own to end. */
function WithdrawDialog({
  itemId,
  referral,
  onClose,
  onDone,
}: {
  itemId: string;
  referral: ReferralSummary;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = AntdApp.useApp();
  const [reason, setReason] = useState('');
  const withdraw = useMutation((text: string) => referralsApi.withdraw(itemId, referral.id, text), {
    onSuccess: () => {
      message.success('已撤回交办');
      onDone();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <Modal
      open
      title={`撤回交办：${referral.subordinateOrganizationName}`}
      okText="撤回"
      cancelText="取消"
      okButtonProps={{ danger: true, disabled: reason.trim().length === 0 }}
      confirmLoading={withdraw.pending}
      onCancel={onClose}
      onOk={() => void withdraw.run(reason)}
    >
      <Typography.Paragraph type="secondary">
        撤回后下级组织不能再启动或上报；下级已启动的事项由其自行决定继续办理或撤销。
        {referral.stepName && `「${referral.stepName}」环节回到本单位办理。`}
      </Typography.Paragraph>
      <Input.TextArea
        aria-label="撤回原因"
        rows={3}
        maxLength={500}
        showCount
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </Modal>
  );
}

function AssignDialog({
  instanceId,
  targets,
  openTasks,
  form: itemForm,
  files,
  onClose,
  onDone,
}: {
  instanceId: string;
  targets: readonly { id: string; name: string }[];
  openTasks: readonly OpenTask[];
  form: FormDefinition | null | undefined;
  files: readonly AttachmentRef[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<AssignValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const taskId = Form.useWatch('taskId', form);
  const steps = openTasks.filter((t) => t.kind !== 'notice');
  const textFields = (itemForm?.fields ?? []).filter((f) => f.type === 'text' || f.type === 'textarea');
  const assign = useMutation(
    (v: AssignValues) =>
      referralsApi.assign(instanceId, {
        subordinateOrganizationId: v.subordinateOrganizationId ?? null,
        requirements: v.requirements ?? null,
        dueAt: v.dueAt ? v.dueAt.toISOString() : null,
        taskId: v.taskId ?? null,
        reportField: v.taskId ? (v.reportField ?? null) : null,
        fileIds: v.fileIds ?? [],
      }),
    {
      onSuccess: (r) => {
        message.success(`已交办给${r.subordinateOrganizationName}`);
        onDone();
      },
      onError: (e) => {
        const other = mapServerErrors(form, e);
        setAlerts(other);
        if (other.length === 0) message.error(errorMessage(e));
      },
    },
  );
  return (
    <Modal
      open
      title="交办给下级组织"
      okText="交办"
      cancelText="取消"
      confirmLoading={assign.pending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => assign.run(v))}
    >
      <Typography.Paragraph type="secondary">
        下级组织的督查部门收到后以本组织的流程和单位办理，办结后报送办结报告；本事项只显示其办理进度和办结报告。
      </Typography.Paragraph>
      {alerts.length > 0 && <Typography.Text type="danger">{alerts.join('；')}</Typography.Text>}
      <Form form={form} layout="vertical">
        <Form.Item
          name="subordinateOrganizationId"
          label="下级组织"
          rules={[{ required: true, message: '请选择下级组织' }]}
        >
          <Select options={targets.map((t) => ({ value: t.id, label: t.name }))} placeholder="请选择" />
        </Form.Item>
        <Form.Item name="requirements" label="办理要求">
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="dueAt" label="办结时限" extra="不填则沿用本环节或本事项的期限">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="taskId" label="交办环节" extra="选择后，下级的办结报告将完成该环节">
          <Select
            allowClear
            placeholder="不指定（办结报告仅在本事项显示）"
            options={steps.map((t) => ({
              value: t.id,
              label: [t.activityName, t.unitName].filter(Boolean).join(' · '),
            }))}
          />
        </Form.Item>
        {taskId && (
          <Form.Item name="reportField" label="办结报告写入字段" extra="该环节可填写的字段">
            <Select
              allowClear
              options={textFields.map((f) => ({ value: f.key, label: f.label }))}
              placeholder="不写入字段"
            />
          </Form.Item>
        )}
        {files.length > 0 && (
          <Form.Item
            name="fileIds"
            label="随交办下发的附件"
            extra="下级组织在「上级交办」中查看，启动办理后成为其事项的附件"
          >
            <Checkbox.Group options={files.map((f) => ({ value: f.id, label: f.name }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
