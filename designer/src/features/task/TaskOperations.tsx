import { DownOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Card, Dropdown, Input, Modal, Select, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { errorMessage, request } from '../../api/client';
import type { components } from '../../api/schema';
import { useDirectory } from '../../shared/forms/directory';
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

/** 「更多操作」 on the task page: 撤回, 委派, 加签 / 减签, and what a 代理 or a 委派 means here (docs/decisions/031). */
export function TaskOperations({ taskId, onChanged }: { taskId: string; onChanged: () => void }) {
  const { message } = AntdApp.useApp();
  const [token, setToken] = useState(0);
  const query = useQuery(['task-operations', taskId, token], (signal) =>
    request<Operations>('GET', path(taskId, '/operations'), { signal }),
  );
  const [action, setAction] = useState<Action>(null);
  const [target, setTarget] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const { directory } = useDirectory(action !== null);
  const ops = query.data;
  if (!ops) return null;

  const done = (note: string) => {
    message.success(note);
    setAction(null);
    setTarget(undefined);
    setText('');
    setToken((t) => t + 1);
    onChanged();
  };
  const run = async (call: () => Promise<unknown>, note: string) => {
    setBusy(true);
    try {
      await call();
      done(note);
    } catch (e) {
      message.error(errorMessage(e));
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
    if (action === 'delegate')
      void run(
        () => request('POST', path(taskId, '/delegate'), { body: { toUserId: target ?? null, comment: text } }),
        '已委派',
      );
    else if (action === 'giveBack')
      void run(
        () => request('POST', path(taskId, '/delegate-return'), { body: { data: null, comment: text } }),
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
  const returned = ops.delegation?.returned;

  return (
    <div className="task-operations" data-testid="task-operations">
      {ops.onBehalfOf && <Alert type="info" showIcon message={`您正在代${ops.onBehalfOf.name}办理（代理）`} />}
      {ops.delegation && !returned && (
        <Alert
          type="warning"
          showIcon
          message={
            ops.delegation.isDelegate
              ? `${ops.delegation.delegatorName}委派您办理：请填写意见后交还`
              : `已委派给${ops.delegation.delegateName}，待其交还`
          }
        />
      )}
      {returned && (
        <Card size="small" title="委派办理意见" className="page-section">
          <Typography.Paragraph>
            {returned.byName}：{returned.comment}
          </Typography.Paragraph>
        </Card>
      )}
      {items.length > 0 && (
        <Dropdown menu={{ items, onClick: onMenu }}>
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
