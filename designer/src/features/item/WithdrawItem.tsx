import { App as AntdApp, Button, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage, request } from '../../api/client';
import type { components } from '../../api/schema';
import { useQuery } from '../../shared/useQuery';

type Withdrawable = components['schemas']['WithdrawableView'];

const path = (instanceId: string, tail: string) => `/api/instances/${encodeURIComponent(instanceId)}${tail}`;

/**
 * 撤回事项 for the initiator, while nobody else has claimed or completed a task of the item (docs/decisions/031). Shown
 * only when the server says he may; asks for a reason; the item then ends as 「已撤回」.
 */
export function WithdrawItem({
  instanceId,
  status,
  onWithdrawn,
}: {
  instanceId: string;
  status: string;
  onWithdrawn: () => void;
}) {
  const { message } = AntdApp.useApp();
  const query = useQuery(['withdrawable', instanceId, status], (signal) =>
    request<Withdrawable>('GET', path(instanceId, '/withdrawable'), { signal }),
  );
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  if (!query.data?.canWithdraw) return null;

  const submit = async () => {
    if (!reason.trim()) {
      message.error('请填写撤回理由');
      return;
    }
    setBusy(true);
    try {
      await request('POST', path(instanceId, '/withdraw'), { body: { reason: reason.trim() } });
      message.success('事项已撤回');
      setOpen(false);
      setReason('');
      onWithdrawn();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button danger onClick={() => setOpen(true)} data-testid="withdraw-item">
        撤回事项
      </Button>
      <Modal
        open={open}
        title="撤回事项"
        okText="撤回"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph>尚无人签收或办理，撤回后事项以「已撤回」结束，各待办随之取消。</Typography.Paragraph>
        <Input.TextArea
          aria-label="撤回理由"
          placeholder="撤回理由（必填）"
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
