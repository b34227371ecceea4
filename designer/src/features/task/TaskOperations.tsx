import { DownOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Card, Dropdown, Input, Modal, Select, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { errorMessage, request } from '../../api/client';
import type { components } from '../../api/schema';
import { useDirectory } from '../../shared/forms/directory';
import { displayText } from '../../shared/forms/FieldDisplay';
import { isEmpty } from '../../shared/forms/logic';
import type { FormDefinition, FormValues } from '../../shared/forms/types';
import { useQuery } from '../../shared/useQuery';

type Operations = components['schemas']['TaskOperationsView'];
type Action = 'delegate' | 'add' | 'remove' | 'giveBack' | null;

const path = (taskId: string, tail = '') => `/api/tasks/${encodeURIComponent(taskId)}${tail}`;

/** The menu items this user may use on the task, in the order they are shown. */
export function operationItems(ops: Operations): { key: string; label: string }[] {
  const items: { key: string; label: string }[] = [];
  if (ops.canRecall) items.push({ key: 'recall', label: '撤回' });
  if (ops.delegation?.isDelegate) items.push({ key: 'giveBack', label: '交还委派人' });
  if (ops.canDelegate) items.push({ key: 'delegate', label: '委派' });
  if (ops.signers?.canChange) {
    items.push({ key: 'add', label: ops.signers.kind === 'assign' ? '增加协办单位（加签）' : '加签' });
    if (ops.signers.members.some((m) => m.canRemove))
      items.push({ key: 'remove', label: ops.signers.kind === 'assign' ? '移除协办单位（减签）' : '减签' });
  }
  return items;
}

/** What the server allows on the task now; `refresh` asks again (after an operation, or one refused). */
export function useTaskOperations(taskId: string, status: string | undefined) {
  const [token, setToken] = useState(0);
  const query = useQuery(status ? ['task-operations', taskId, status, token] : null, (signal) =>
    request<Operations>('GET', path(taskId, '/operations'), { signal }),
  );
  return { ops: query.data ?? null, refresh: () => setToken((t) => t + 1) };
}

/**
 * What a 代理 or a 委派 means on this task, shown under its header: 「您正在代…办理」, who holds a delegated task, and the
 * delegate's opinion with what he filled in (labelled from `form`), which the delegator may take into his form (`onAdopt`).
 */
export function TaskOperationNotices({
  ops,
  form,
  onAdopt,
}: {
  ops: Operations | null;
  form: FormDefinition | null;
  onAdopt?: (values: FormValues) => void;
}) {
  const returned = ops?.delegation?.returned ?? null;
  const returnedValues = Object.entries((returned?.values ?? {}) as FormValues).flatMap(([key, value]) => {
    const field = form?.fields.find((f) => f.key === key);
    return field && !isEmpty(value) ? [{ field, value }] : [];
  });
  const { directory } = useDirectory(returnedValues.length > 0);
  if (!ops) return null;
  return (
    <>
      {ops.onBehalfOf && (
        <Alert className="page-alert" type="info" showIcon message={`您正在代${ops.onBehalfOf.name}办理（代理）`} />
      )}
      {ops.delegation && !returned && (
        <Alert
          className="page-alert"
          type="warning"
          showIcon
          message={
            ops.delegation.isDelegate
              ? `${ops.delegation.delegatorName}委派您办理：办理后请填写交还意见，点「交还委派人」`
              : `已委派给${ops.delegation.delegateName}，待其交还`
          }
        />
      )}
      {returned && (
        <Card
          size="small"
          title="委派办理意见"
          className="page-section"
          data-testid="delegation-returned"
          extra={
            onAdopt && returnedValues.length > 0 ? (
              <Button
                size="small"
                onClick={() => onAdopt(Object.fromEntries(returnedValues.map((v) => [v.field.key, v.value])))}
              >
                采用填写内容
              </Button>
            ) : null
          }
        >
          <Typography.Paragraph>
            {returned.byName}：{returned.comment}
          </Typography.Paragraph>
          {returnedValues.length > 0 && (
            <dl className="delegation-values">
              {returnedValues.map(({ field, value }) => (
                <div key={field.key}>
                  <dt>{field.label}</dt>
                  <dd>{displayText(field, value, directory)}</dd>
                </div>
              ))}
            </dl>
          )}
        </Card>
      )}
    </>
  );
}

/**
 * 「更多操作」 on the task page: 撤回, 委派 and 交还, 加签 / 减签 (docs/decisions/031). The delegate hands back what he
 * filled in (`giveBackValues`: the step's form as he left it) with his opinion.
 */
export function TaskOperations({
  taskId,
  ops,
  refresh,
  onChanged,
  giveBackValues,
}: {
  taskId: string;
  ops: Operations | null;
  refresh: () => void;
  onChanged: () => void;
  giveBackValues?: () => FormValues | null;
}) {
  const { message } = AntdApp.useApp();
  const [action, setAction] = useState<Action>(null);
  const [target, setTarget] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const { directory } = useDirectory(action !== null);
  if (!ops) return null;

  const done = (note: string) => {
    message.success(note);
    setAction(null);
    setTarget(undefined);
    setText('');
    refresh();
    onChanged();
  };
  const run = async (call: () => Promise<unknown>, note: string) => {
    setBusy(true);
    try {
      await call();
      done(note);
    } catch (e) {
      message.error(errorMessage(e));
      // Refused (someone acted meanwhile): the menu offers only what the server allows now.
      refresh();
    } finally {
      setBusy(false);
    }
  };
  const onMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'recall') {
      Modal.confirm({
        title: '撤回本环节？',
        content: '下一环节的待办将被取消，本环节回到您的待办中。',
        okText: '撤回',
        cancelText: '取消',
        onOk: () => run(() => request('POST', path(taskId, '/recall')), '已撤回'),
      });
      return;
    }
    setAction(key as Action);
  };
  const submit = () => {
    // Say what is missing here rather than send a request the server must refuse.
    if (action !== 'giveBack' && !target) {
      message.error(action === 'delegate' ? '请选择委派给谁' : '请选择人员或单位');
      return;
    }
    if ((action === 'add' || action === 'remove') && !text.trim()) {
      message.error(action === 'add' ? '请填写加签理由' : '请填写减签理由');
      return;
    }
    if (action === 'giveBack' && !text.trim()) {
      message.error('请填写交还意见');
      return;
    }
    if (action === 'delegate')
      void run(
        () => request('POST', path(taskId, '/delegate'), { body: { toUserId: target ?? null, comment: text } }),
        '已委派',
      );
    else if (action === 'giveBack')
      void run(
        () =>
          request('POST', path(taskId, '/delegate-return'), {
            body: { data: giveBackValues?.() ?? null, comment: text },
          }),
        '已交还委派人',
      );
    else if (action === 'add') {
      const assign = ops.signers?.kind === 'assign';
      void run(
        () =>
          request('POST', path(taskId, '/signers'), {
            body: { userId: assign ? null : (target ?? null), unitId: assign ? (target ?? null) : null, reason: text },
          }),
        '已加签',
      );
    } else if (action === 'remove') {
      const member = ops.signers?.members.find((m) => (m.taskId ?? m.userId) === target);
      void run(
        () =>
          request('POST', path(taskId, '/signers/remove'), {
            body: {
              signerTaskId: member?.unitId ? null : member?.status === 'queued' ? null : (member?.taskId ?? null),
              queuedUserId: member?.status === 'queued' ? member.userId : null,
              unitId: member?.unitId ?? null,
              reason: text,
            },
          }),
        '已减签',
      );
    }
  };

  const items = operationItems(ops);
  const userOptions = directory.users.map((u) => ({ value: u.id, label: u.displayName }));
  const options =
    action === 'remove'
      ? (ops.signers?.members ?? [])
          .filter((m) => m.canRemove)
          .map((m) => ({ value: (m.taskId ?? m.userId) as string, label: m.name }))
      : action === 'add' && ops.signers?.kind === 'assign'
        ? directory.units.map((u) => ({ value: u.id, label: u.name }))
        : userOptions;
  const titles: Record<string, string> = {
    delegate: '委派给他人办理，办理后交还给您',
    giveBack: '填写意见后交还委派人',
    add: ops.signers?.kind === 'assign' ? '增加协办单位' : '加签',
    remove: ops.signers?.kind === 'assign' ? '移除协办单位' : '减签',
  };

  return (
    <div className="task-operations" data-testid="task-operations">
      {items.length > 0 && (
        <Dropdown menu={{ items, onClick: onMenu }} trigger={['click']}>
          <Button>
            <Space>
              更多操作
              <DownOutlined aria-hidden />
            </Space>
          </Button>
        </Dropdown>
      )}
      <Modal
        open={action !== null}
        title={action ? titles[action] : ''}
        okText="确定"
        cancelText="取消"
        confirmLoading={busy}
        onOk={submit}
        onCancel={() => setAction(null)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          {action !== 'giveBack' && (
            <Select
              aria-label="选择人员或单位"
              showSearch
              optionFilterProp="label"
              placeholder="请选择"
              style={{ width: '100%' }}
              options={options}
              value={target}
              onChange={setTarget}
            />
          )}
          <Input.TextArea
            aria-label={action === 'delegate' || action === 'giveBack' ? '意见' : '理由'}
            placeholder={action === 'delegate' || action === 'giveBack' ? '意见' : '理由（必填）'}
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </Space>
      </Modal>
    </div>
  );
}
