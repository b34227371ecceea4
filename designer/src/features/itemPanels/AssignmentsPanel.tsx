import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Space,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { errorMessage, isApiError } from '../../api/client';
import type { InstanceDetail } from '../../api/types';
import { unitTree, useDirectory, type UnitTreeNode } from '../../shared/forms/directory';
import { formatDateTime } from '../../shared/format';
import { useAuth } from '../auth/AuthContext';
import { mapServerErrors } from '../../shared/formErrors';
import { useQuery } from '../../shared/useQuery';
import {
  availableUnits,
  canManageAssignments,
  isCurrent,
  orderedUnits,
  stepTitle,
  unitActions,
  unitHistory,
  unitStatus,
} from './assignments';
import { assignmentsApi, type AssignmentStep, type AssignmentUnit } from './itemPanelsApi';
import './itemPanels.css';

export interface AssignmentsPanelProps {
  /** The item detail: its `assignments` (sent by GET /api/instances/{id}) are shown; fetched when absent. */
  item: InstanceDetail;
  /**
   * Called after the office changed a step's units, or found them changed by someone else (409): the page reloads
   * the item (its current steps, timeline and assignments change together).
   */
  onChanged: () => void;
}

type Change =
  | { kind: 'add'; step: AssignmentStep }
  | { kind: 'replace'; step: AssignmentStep; unit: AssignmentUnit }
  | { kind: 'remove'; step: AssignmentStep; unit: AssignmentUnit };

interface ChangeValues {
  unitId?: string;
  reason?: string;
}

const TITLES: Record<Change['kind'], string> = { add: '增加协办单位', replace: '替换承办单位', remove: '移除协办单位' };

/** Marks units already on the step as not selectable (kept in the tree so their children stay reachable). */
function markTaken(nodes: UnitTreeNode[], free: Set<string>): (UnitTreeNode & { disabled?: boolean })[] {
  return nodes.map((n) => ({
    ...n,
    disabled: !free.has(n.value),
    children: n.children ? markTaken(n.children, free) : undefined,
  }));
}

/**
 * 承办单位: per 交办 step the 主办 and 协办 units with their state (办理中, 已提交 by whom and when, 已替换 / 已移除 by whom,
 * when and why); for 督查员 and 管理员, while the step waits: add a 协办, replace a unit, remove a 协办 — each with a
 * reason, as the API requires. Renders nothing for an item without 交办 steps.
 */
export function AssignmentsPanel({ item, onChanged }: AssignmentsPanelProps) {
  const instanceId = item.instance.id;
  const fromItem = item.assignments;
  const { user } = useAuth();
  const { message } = AntdApp.useApp();
  const canManage = canManageAssignments(user);
  // The item normally carries its steps; else they are fetched (again whenever the item changes).
  const fetched = useQuery(fromItem === undefined ? ['assignments', instanceId, item] : null, (signal) =>
    assignmentsApi.list(instanceId, signal),
  );
  const steps = fromItem ?? fetched.data ?? null;
  const error = fetched.error;
  const [change, setChange] = useState<Change | null>(null);
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const [form] = Form.useForm<ChangeValues>();
  const needsUnits = canManage && (steps ?? []).some((s) => s.active);
  const { directory, loading: unitsLoading } = useDirectory(needsUnits);

  const treeData = useMemo(() => {
    if (!change || change.kind === 'remove') return [];
    const free = new Set(availableUnits(directory.units, change.step).map((u) => u.id));
    return markTaken(unitTree(directory.units), free);
  }, [change, directory]);

  if (error && !steps) {
    // A failure here must not take the item page down; say so in the card.
    return (
      <Card className="page-section" size="small" title="承办单位">
        <Alert type="warning" showIcon message={`承办单位加载失败：${errorMessage(error)}`} />
      </Card>
    );
  }
  if (!steps || steps.length === 0) return null;

  function open(next: Change) {
    form.resetFields();
    setGeneral([]);
    setChange(next);
  }

  async function submit() {
    if (!change) return;
    let values: ChangeValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const reason = (values.reason ?? '').trim();
    setBusy(true);
    setGeneral([]);
    try {
      const { step } = change;
      if (change.kind === 'add') await assignmentsApi.add(instanceId, step.activityId, values.unitId!, reason);
      else if (change.kind === 'replace')
        await assignmentsApi.replace(instanceId, step.activityId, change.unit.unitId, values.unitId!, reason);
      else await assignmentsApi.remove(instanceId, step.activityId, change.unit.unitId, reason);
      message.success(
        change.kind === 'add' ? '已增加协办单位' : change.kind === 'replace' ? '已替换承办单位' : '已移除协办单位',
      );
      setChange(null);
      onChanged();
    } catch (e) {
      if (isApiError(e) && e.status === 409) {
        // Someone else changed the item first (or the step has moved on): show the state as it is now.
        setGeneral([e.message]);
        onChanged();
      } else {
        // The server names the fields: unitId (add), newUnitId (replace), reason.
        const rest = mapServerErrors(form, e, { fields: ['reason'] });
        const unitErrors = isApiError(e) ? [...e.errorsFor('unitId'), ...e.errorsFor('newUnitId')] : [];
        if (unitErrors.length > 0 && change.kind !== 'remove') form.setFields([{ name: 'unitId', errors: unitErrors }]);
        setGeneral(rest.filter((m) => !unitErrors.includes(m) || change.kind === 'remove'));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="page-section item-assignments" size="small" title="承办单位" data-testid="item-assignments">
      {steps.map((step) => {
        const current = step.units.filter(isCurrent);
        return (
          <section key={step.executionId} className="assign-step" aria-label={stepTitle(step)}>
            <div className="assign-step-head">
              <Typography.Text strong>{stepTitle(step)}</Typography.Text>
              <Tag color={step.active ? 'processing' : 'default'}>{step.active ? '办理中' : '已结束'}</Tag>
              <Typography.Text type="secondary" className="assign-step-rule">
                {step.completion === 'all' ? '各协办单位提交后由主办单位汇总报送' : '主办单位报送即完成'}
                {' · '}
                {current.filter((u) => u.status !== 'open').length}/{current.length} 个单位已提交
              </Typography.Text>
              {canManage && step.active && (
                <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => open({ kind: 'add', step })}>
                  增加协办单位
                </Button>
              )}
            </div>
            <ul className="assign-units">
              {orderedUnits(step).map((unit) => {
                const status = unitStatus(unit.status);
                const actions = unitActions(step, unit, canManage);
                const history = unitHistory(step, unit);
                return (
                  <li
                    key={unit.taskId}
                    className={`assign-unit${isCurrent(unit) ? '' : ' assign-unit-ended'}`}
                    data-unit={unit.unitId}
                  >
                    <div className="assign-unit-main">
                      <Tag color={unit.role === 'lead' ? 'red' : 'blue'} bordered={false}>
                        {unit.roleName}
                      </Tag>
                      <span className="assign-unit-name">{unit.unitName}</span>
                      <Tag color={status.color}>{status.label}</Tag>
                      {unit.dueAt && isCurrent(unit) && unit.status === 'open' && (
                        <Typography.Text type="secondary" className="assign-unit-due">
                          期限 {formatDateTime(unit.dueAt)}
                        </Typography.Text>
                      )}
                      {(actions.replace || actions.remove) && (
                        <Space size={4} className="assign-unit-actions">
                          {actions.replace && (
                            <Button size="small" type="link" onClick={() => open({ kind: 'replace', step, unit })}>
                              替换
                            </Button>
                          )}
                          {actions.remove && (
                            <Button
                              size="small"
                              type="link"
                              danger
                              onClick={() => open({ kind: 'remove', step, unit })}
                            >
                              移除
                            </Button>
                          )}
                        </Space>
                      )}
                    </div>
                    {history.length > 0 && (
                      <ul className="assign-unit-history">
                        {history.map((line) => (
                          <li key={line}>{line}</li>
                        ))}
                      </ul>
                    )}
                    {unit.comment && unit.role === 'co' && (
                      <div className="assign-unit-comment">意见：{unit.comment}</div>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}

      <Modal
        open={change !== null}
        title={change ? TITLES[change.kind] : ''}
        okText={change?.kind === 'remove' ? '确认移除' : change?.kind === 'replace' ? '确认替换' : '确认增加'}
        okButtonProps={{ danger: change?.kind === 'remove', loading: busy }}
        cancelText="取消"
        onOk={submit}
        onCancel={() => !busy && setChange(null)}
        forceRender
      >
        {change && (
          <Typography.Paragraph type="secondary">
            {change.kind === 'add' && `在「${stepTitle(change.step)}」中增加一个协办单位，该单位将收到待办。`}
            {change.kind === 'replace' &&
              `将${change.unit.roleName}单位「${change.unit.unitName}」替换为其他单位：原单位未办理的待办将被取消，新单位收到待办。`}
            {change.kind === 'remove' &&
              `将协办单位「${change.unit.unitName}」从「${stepTitle(change.step)}」中移除，其未办理的待办将被取消。`}
          </Typography.Paragraph>
        )}
        {general.length > 0 && (
          <Alert className="page-alert" type="error" showIcon role="alert" message={general.join('；')} />
        )}
        <Form form={form} layout="vertical" requiredMark>
          {change && change.kind !== 'remove' && (
            <Form.Item
              name="unitId"
              label={change.kind === 'add' ? '协办单位' : '替换为'}
              rules={[
                { required: true, message: change.kind === 'add' ? '请选择要增加的协办单位' : '请选择替换后的单位' },
              ]}
            >
              <TreeSelect
                treeData={treeData}
                loading={unitsLoading}
                showSearch
                treeNodeFilterProp="title"
                treeDefaultExpandAll
                placeholder="选择单位"
                notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有可选的单位" />}
              />
            </Form.Item>
          )}
          <Form.Item
            name="reason"
            label="调整理由"
            rules={[
              { required: true, whitespace: true, message: '请填写调整理由' },
              { max: 2000, message: '调整理由不能超过 2000 字' },
            ]}
          >
            <Input.TextArea
              autoSize={{ minRows: 2, maxRows: 6 }}
              maxLength={2000}
              placeholder="说明为什么调整承办单位（记入办理过程）"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
