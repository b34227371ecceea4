import { Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import type { ReturnTarget } from '../../api/types';

interface Props {
  open: boolean;
  targets: ReturnTarget[];
  busy: boolean;
  initialReason: string;
  onCancel: () => void;
  /** Rejects with the server's 400 to keep the dialog open with the errors beside the fields. */
  onConfirm: (targetActivityId: string, reason: string) => Promise<void>;
}

/** 退回到指定环节: pick an earlier step that was done, and say why. */
export function ReturnDialog({ open, targets, busy, initialReason, onCancel, onConfirm }: Props) {
  // The task page mounts this dialog anew (its key) each time it opens, so each opening starts here.
  const [target, setTarget] = useState<string | undefined>(targets.length === 1 ? targets[0].activityId : undefined);
  const [reason, setReason] = useState(initialReason);
  const [errors, setErrors] = useState<{ target?: string; reason?: string }>({});

  const submit = async () => {
    const found: typeof errors = {};
    if (!target) found.target = '请选择退回到的环节';
    if (!reason.trim()) found.reason = '退回时请填写退回理由';
    setErrors(found);
    if (found.target || found.reason) return;
    try {
      await onConfirm(target!, reason.trim());
    } catch (error) {
      if (isApiError(error)) {
        setErrors({
          target: error.errorsFor('targetActivityId').join('；') || undefined,
          reason: error.errorsFor('comment').join('；') || undefined,
        });
      }
    }
  };

  return (
    <Modal
      title="退回到指定环节"
      open={open}
      onCancel={onCancel}
      onOk={submit}
      okText="确认退回"
      okButtonProps={{ danger: true, loading: busy }}
      cancelText="取消"
      destroyOnHidden
    >
      <Form layout="vertical" component="div">
        <Form.Item
          label="退回到"
          htmlFor="return-target"
          required
          validateStatus={errors.target ? 'error' : undefined}
          help={errors.target}
        >
          <Select
            id="return-target"
            value={target}
            onChange={setTarget}
            placeholder="选择已办理过的环节"
            options={targets.map((t) => ({ value: t.activityId, label: t.name }))}
          />
        </Form.Item>
        <Form.Item
          label="退回理由"
          htmlFor="return-reason"
          required
          validateStatus={errors.reason ? 'error' : undefined}
          help={errors.reason}
        >
          <Input.TextArea
            id="return-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={2000}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
