import { ClockCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import type { CurrentUser, TaskSummary } from '../../api/types';
import { formatDateTime } from '../../shared/format';
import {
  decidable,
  extensionStatus,
  formatChinaDate,
  isBeforeNewDate,
  showExtensionPanel,
  splitProblem,
  suggestedPickerDate,
  toApiDate,
} from './supervision';
import { supervisionApi, type ExtensionEligibility, type ExtensionView } from './supervisionApi';
import { useQuery } from '../../shared/useQuery';
import './supervision.css';

// ---------------------------------------------------------------------------
// Loading

/** The item's extension requests and whether the user may ask; `reload` after a change. */
export function useItemExtensions(instanceId: string, reloadToken = 0) {
  return useQuery(['extensions', instanceId, reloadToken], (signal) => supervisionApi.extensions(instanceId, signal));
}

// ---------------------------------------------------------------------------
// Asking

export interface ExtensionRequestFormProps {
  instanceId: string;
  eligibility: ExtensionEligibility;
  onDone: (created: ExtensionView) => void;
  onCancel?: () => void;
}

/** 申请延期: a reason and a new date; the server's refusals appear beside the field they concern. */
export function ExtensionRequestForm({ instanceId, eligibility, onDone, onCancel }: ExtensionRequestFormProps) {
  const [reason, setReason] = useState('');
  const [date, setDate] = useState<Dayjs | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const errors: Record<string, string[]> = {};
    if (!reason.trim()) errors.reason = ['请填写延期理由'];
    const newDueDate = toApiDate(date);
    if (!newDueDate) errors.newDueDate = ['请选择新的完成时限'];
    setFieldErrors(errors);
    setGeneral([]);
    if (Object.keys(errors).length > 0 || !newDueDate) return;
    setBusy(true);
    try {
      const created = await supervisionApi.requestExtension(instanceId, { reason: reason.trim(), newDueDate });
      onDone(created);
    } catch (error) {
      const split = splitProblem(error, ['reason', 'newDueDate']);
      setFieldErrors(split.fields);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  };

  const help = (field: string) => fieldErrors[field]?.join('；');

  return (
    <Form layout="vertical" className="extension-form" data-testid="extension-form" onFinish={submit} requiredMark>
      <p className="extension-form-current">
        当前时限：<strong>{formatChinaDate(eligibility.deadline)}</strong>
        {eligibility.unitName && <span className="extension-form-unit">（{eligibility.unitName}）</span>}
      </p>
      {eligibility.late && (
        <Alert className="extension-alert" type="warning" showIcon message="已超过办理时限，本次为逾期后申请。" />
      )}
      {general.length > 0 && (
        <Alert className="extension-alert" type="error" showIcon role="alert" message={general.join('；')} />
      )}
      <Form.Item
        label="新的完成时限"
        htmlFor="extension-new-date"
        required
        validateStatus={help('newDueDate') ? 'error' : undefined}
        help={help('newDueDate')}
      >
        <DatePicker
          id="extension-new-date"
          value={date}
          onChange={(value) => {
            setDate(value);
            if (fieldErrors.newDueDate) setFieldErrors(({ newDueDate: _, ...rest }) => rest);
          }}
          disabledDate={(day) => isBeforeNewDate(day, eligibility.deadline)}
          defaultPickerValue={suggestedPickerDate(eligibility.deadline)}
          placeholder="选择日期"
          format="YYYY-MM-DD"
          style={{ width: '100%', maxWidth: 240 }}
        />
      </Form.Item>
      <Form.Item
        label="延期理由"
        htmlFor="extension-reason"
        required
        validateStatus={help('reason') ? 'error' : undefined}
        help={help('reason')}
      >
        <Input.TextArea
          id="extension-reason"
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            if (fieldErrors.reason && e.target.value.trim()) setFieldErrors(({ reason: _, ...rest }) => rest);
          }}
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={2000}
          showCount
          placeholder="说明不能按期完成的原因、目前进展和新的完成计划"
        />
      </Form.Item>
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={busy}>
          提交申请
        </Button>
        {onCancel && (
          <Button onClick={onCancel} disabled={busy}>
            取消
          </Button>
        )}
      </Space>
    </Form>
  );
}

// ---------------------------------------------------------------------------
// Deciding

interface DecisionDialogProps {
  request: ExtensionView | null;
  approve: boolean;
  onClose: () => void;
  onDone: (decided: ExtensionView) => void;
}

/** 批准 / 驳回 with an opinion (required to reject). */
function DecisionDialog({ request, approve, onClose, onDone }: DecisionDialogProps) {
  const [opinion, setOpinion] = useState('');
  const [opinionError, setOpinionError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (!request) return;
    if (!approve && !opinion.trim()) {
      setOpinionError('不同意延期时请填写意见');
      return;
    }
    setBusy(true);
    try {
      onDone(await supervisionApi.decideExtension(request.id, { approve, opinion: opinion.trim() || null }));
    } catch (error) {
      const split = splitProblem(error, ['opinion']);
      setOpinionError(split.fields.opinion?.join('；') ?? null);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={request !== null}
      title={approve ? '批准延期' : '驳回延期申请'}
      onCancel={onClose}
      onOk={confirm}
      okText={approve ? '批准' : '驳回'}
      okButtonProps={{ danger: !approve, loading: busy }}
      cancelText="取消"
      destroyOnHidden
    >
      {request && (
        <div className="extension-decision" data-testid="extension-decision">
          <p>
            {request.unitName}申请将完成时限由 <strong>{formatChinaDate(request.currentDueAt)}</strong> 延至{' '}
            <strong>{formatChinaDate(request.requestedDueAt)}</strong>。
          </p>
          <p className="extension-reason-text">延期理由：{request.reason}</p>
          {request.warning && <Alert className="extension-alert" type="warning" showIcon message={request.warning} />}
          {request.stageName && <p>当前审批：{request.stageName}</p>}
          {general.length > 0 && (
            <Alert className="extension-alert" type="error" showIcon role="alert" message={general.join('；')} />
          )}
          <Form layout="vertical">
            <Form.Item
              label={approve ? '审批意见（可选）' : '驳回理由'}
              htmlFor="extension-opinion"
              required={!approve}
              validateStatus={opinionError ? 'error' : undefined}
              help={opinionError ?? undefined}
            >
              <Input.TextArea
                id="extension-opinion"
                value={opinion}
                onChange={(e) => {
                  setOpinion(e.target.value);
                  if (opinionError && e.target.value.trim()) setOpinionError(null);
                }}
                autoSize={{ minRows: 2, maxRows: 6 }}
                maxLength={2000}
              />
            </Form.Item>
          </Form>
        </div>
      )}
    </Modal>
  );
}

// ---------------------------------------------------------------------------
// History

function ExtensionHistoryItem({
  request,
  onDecide,
}: {
  request: ExtensionView;
  onDecide: (r: ExtensionView, approve: boolean) => void;
}) {
  const status = extensionStatus(request.status);
  return (
    <li className="extension-item" data-testid="extension-item" data-status={request.status}>
      <div className="extension-item-head">
        <Tag color={status.color}>{status.label}</Tag>
        {request.status === 'pending' && request.stageName && <Tag>{request.stageName}</Tag>}
        {request.late && <Tag color="red">逾期后申请</Tag>}
        {request.warning && (
          <Tag color="orange" title={request.warning}>
            延至休息日
          </Tag>
        )}
        <span className="extension-item-dates">
          {formatChinaDate(request.currentDueAt)} → <strong>{formatChinaDate(request.requestedDueAt)}</strong>
        </span>
      </div>
      <div className="extension-item-meta">
        {request.unitName} · {request.requestedByName ?? request.requestedById} · {formatDateTime(request.requestedAt)}{' '}
        申请
      </div>
      <div className="extension-reason-text">理由：{request.reason}</div>
      {request.decisions.length > 0 && (
        <ul className="extension-decisions">
          {request.decisions.map((d, i) => (
            <li key={i}>
              <Tag color={d.approved ? 'green' : 'red'}>{d.approved ? '同意' : '不同意'}</Tag>
              {d.stageName} · {d.byName ?? d.byId} · {formatDateTime(d.at)}
              {d.opinion && <div className="extension-opinion">意见：{d.opinion}</div>}
            </li>
          ))}
        </ul>
      )}
      {request.status === 'pending' && request.canDecide && (
        <Space wrap className="extension-item-actions">
          <Button type="primary" size="small" onClick={() => onDecide(request, true)}>
            批准
          </Button>
          <Button danger size="small" onClick={() => onDecide(request, false)}>
            驳回
          </Button>
        </Space>
      )}
    </li>
  );
}

// ---------------------------------------------------------------------------
// The panel

export interface ExtensionPanelProps {
  instanceId: string;
  /** Bumped by the page's 刷新. */
  reloadToken?: number;
  /** After a request or a decision: the page reloads the item (due date, light). */
  onChanged?: () => void;
}

/** 延期申请 on the item page: ask (a unit), decide (the office / a leader), and the history of every request. */
export function ExtensionPanel({ instanceId, reloadToken = 0, onChanged }: ExtensionPanelProps) {
  const { message } = AntdApp.useApp();
  const { data, error, loading, reload } = useItemExtensions(instanceId, reloadToken);
  const [asking, setAsking] = useState(false);
  const [deciding, setDeciding] = useState<{ request: ExtensionView; approve: boolean } | null>(null);

  if (error && !data) {
    return (
      <Card className="page-section" size="small" title="延期申请" data-testid="extension-panel">
        <Alert type="warning" showIcon message={`延期申请加载失败：${errorMessage(error)}`} />
      </Card>
    );
  }
  if (!data) return loading ? null : null;
  if (!showExtensionPanel(data)) return null;

  const { eligibility, requests } = data;
  const waiting = decidable(data);

  return (
    <Card
      className="page-section"
      size="small"
      title={
        <span>
          <ClockCircleOutlined aria-hidden /> 延期申请
          {waiting.length > 0 && (
            <Tag color="gold" className="extension-waiting-tag">
              {waiting.length} 条待审批
            </Tag>
          )}
        </span>
      }
      extra={loading ? <Spin size="small" /> : null}
      data-testid="extension-panel"
    >
      {eligibility.canRequest ? (
        asking ? (
          <ExtensionRequestForm
            instanceId={instanceId}
            eligibility={eligibility}
            onCancel={() => setAsking(false)}
            onDone={() => {
              setAsking(false);
              message.success('延期申请已提交，等待督查部门审批');
              if (onChanged) onChanged();
              else reload();
            }}
          />
        ) : (
          <div className="extension-ask">
            <Typography.Text>
              {eligibility.unitName ?? '本单位'}的办理时限：<strong>{formatChinaDate(eligibility.deadline)}</strong>
            </Typography.Text>
            <Button type="primary" onClick={() => setAsking(true)}>
              申请延期
            </Button>
          </div>
        )
      ) : (
        eligibility.reason &&
        eligibility.deadline && (
          <Alert
            className="extension-alert"
            type={eligibility.pending ? 'info' : 'warning'}
            showIcon
            message={eligibility.reason}
            data-testid="extension-refusal"
          />
        )
      )}

      {requests.length > 0 ? (
        <ul className="extension-list" aria-label="延期申请记录">
          {requests.map((r) => (
            <ExtensionHistoryItem
              key={r.id}
              request={r}
              onDecide={(request, approve) => setDeciding({ request, approve })}
            />
          ))}
        </ul>
      ) : (
        <Typography.Text type="secondary" className="extension-empty">
          暂无延期申请记录。
        </Typography.Text>
      )}

      <DecisionDialog
        key={`${deciding?.request.id ?? 'none'}:${String(deciding?.approve)}`}
        request={deciding?.request ?? null}
        approve={deciding?.approve ?? true}
        onClose={() => setDeciding(null)}
        onDone={(decided) => {
          setDeciding(null);
          message.success(
            decided.status === 'approved'
              ? `已批准，完成时限延至${formatChinaDate(decided.requestedDueAt)}`
              : decided.status === 'rejected'
                ? '已驳回延期申请'
                : `已同意，待${decided.stageName ?? '下一级'}审批`,
          );
          if (onChanged) onChanged();
          else reload();
        }}
      />
    </Card>
  );
}

// ---------------------------------------------------------------------------
// The task page's shortcut

export interface TaskExtensionShortcutProps {
  task: Pick<TaskSummary, 'instanceId' | 'kind' | 'status' | 'dueAt'>;
  user: CurrentUser | null;
  onChanged?: () => void;
}

/** Only a unit's liaison (or its head) holding an open step with a deadline may ask. */
export function mayAskOnTask(task: TaskExtensionShortcutProps['task'], user: CurrentUser | null): boolean {
  return task.kind === 'task' && task.status === 'open' && !!task.dueAt && !!user?.unitId;
}

/**
 * On a liaison's task page: 申请延期 when the unit may ask (a dialog with the same form), or why it may not / that a
 * request is waiting. Renders nothing when the user's unit has no deadline to extend.
 */
export function TaskExtensionShortcut({ task, user, onChanged }: TaskExtensionShortcutProps) {
  if (!mayAskOnTask(task, user)) return null;
  return <TaskExtensionShortcutInner instanceId={task.instanceId} onChanged={onChanged} />;
}

function TaskExtensionShortcutInner({ instanceId, onChanged }: { instanceId: string; onChanged?: () => void }) {
  const { message } = AntdApp.useApp();
  const { data, reload } = useItemExtensions(instanceId);
  const [open, setOpen] = useState(false);
  if (!data || data.eligibility.deadline === null) return null;
  const { eligibility } = data;
  const pending = data.requests.find((r) => r.status === 'pending' && r.unitId === eligibility.unitId);

  return (
    <div className="task-extension" data-testid="task-extension">
      {eligibility.canRequest ? (
        <>
          <Typography.Text type="secondary">
            办理时限 {formatChinaDate(eligibility.deadline)}，确有困难可在期限前申请延期。
          </Typography.Text>
          <Button icon={<ClockCircleOutlined aria-hidden />} onClick={() => setOpen(true)}>
            申请延期
          </Button>
        </>
      ) : (
        <Typography.Text type={eligibility.pending ? undefined : 'warning'}>
          {pending
            ? `延期申请待审批：申请延至${formatChinaDate(pending.requestedDueAt)}（${pending.stageName ?? '审批中'}）`
            : eligibility.reason}
        </Typography.Text>
      )}
      <Modal open={open} title="申请延期" footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        <ExtensionRequestForm
          instanceId={instanceId}
          eligibility={eligibility}
          onCancel={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            message.success('延期申请已提交，等待督查部门审批');
            reload();
            onChanged?.();
          }}
        />
      </Modal>
    </div>
  );
}
