import { App as AntdApp, Button, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage, request } from '../../api/client';

/**
 * 撤销归档 for an administrator of the organization (docs/decisions/048): with a reason, journalled and audited; the item
 * is writable again afterwards. Shown on an archived item to administrators only (the server checks again).
 */
export function UnarchiveItem({ instanceId, onDone }: { instanceId: string; onDone: () => void }) {
  const { message } = AntdApp.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!reason.trim()) {
      message.error('请填写撤销归档的理由');
      return;
    }
    setBusy(true);
    try {
      await request('POST', `/api/instances/${encodeURIComponent(instanceId)}/unarchive`, {
        body: { reason: reason.trim() },
      });
      message.success('已撤销归档');
      setOpen(false);
      setReason('');
      onDone();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="unarchive-item">
        撤销归档
      </Button>
      <Modal
        open={open}
        title="撤销归档"
        okText="撤销归档"
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph>撤销后事项可以再修改；理由记入办理过程和安全审计日志。</Typography.Paragraph>
        <Input.TextArea
          aria-label="撤销归档理由"
          placeholder="撤销归档的理由（必填）"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
