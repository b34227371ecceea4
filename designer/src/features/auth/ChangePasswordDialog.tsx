import { LockOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { authApi, errorMessage, isApiError } from '../../api/client';
import type { PasswordPolicy } from '../../api/types';
import { mapServerErrors } from '../../shared/formErrors';
import { useMutation } from '../../shared/useMutation';

interface Passwords {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export interface ChangePasswordDialogProps {
  open: boolean;
  /**
   * The password must be changed first (it expired, or it is the installation's one-time initial password): the dialog
   * cannot be closed until it is changed, and says why (the server's reason).
   */
  expired?: boolean;
  onClose: () => void;
  onChanged: () => void;
}

/**
 * 修改密码: the current password, the new one twice. The rules come from the server's policy; what the server refuses is
 * shown on the field it names. Other browsers of the person are signed out by the change; this one stays signed in.
 */
export function ChangePasswordDialog({ open, expired = false, onClose, onChanged }: ChangePasswordDialogProps) {
  const [form] = Form.useForm<Passwords>();
  const { message } = AntdApp.useApp();
  const [policy, setPolicy] = useState<PasswordPolicy | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    authApi
      .passwordPolicy(controller.signal)
      .then(setPolicy)
      .catch(() => setPolicy(null));
    return () => controller.abort();
  }, [open]);

  const change = useMutation(
    (values: Passwords) =>
      authApi.changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword }),
    {
      onSuccess: () => {
        form.resetFields();
        message.success('密码已修改，其他设备上的登录已退出');
        onChanged();
      },
      onError: (error) => {
        if (isApiError(error) && error.hasFieldErrors) {
          const rest = mapServerErrors(form, error, { fields: ['currentPassword', 'newPassword'] });
          setServerError(rest.length > 0 ? rest.join('；') : null);
        } else {
          setServerError(errorMessage(error));
        }
      },
    },
  );

  return (
    <Modal
      title="修改密码"
      open={open}
      okText="确认修改"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={change.pending}
      closable={!expired}
      maskClosable={!expired}
      keyboard={!expired}
      cancelButtonProps={{ style: expired ? { display: 'none' } : undefined }}
      destroyOnHidden
    >
      {expired && (
        <Alert
          type="warning"
          showIcon
          message={policy?.changeRequiredReason ?? '密码已过期，请修改密码后继续使用'}
          style={{ marginBottom: 16 }}
        />
      )}
      {serverError && <Alert type="error" showIcon message={serverError} style={{ marginBottom: 16 }} />}
      <Form<Passwords>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => {
          setServerError(null);
          void change.run(values);
        }}
      >
        <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label="新密码"
          name="newPassword"
          rules={[{ required: true, message: '请输入新密码' }]}
          extra={policy ? <Typography.Text type="secondary">{policy.description}</Typography.Text> : undefined}
        >
          <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirmPassword"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || getFieldValue('newPassword') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入的新密码不一致')),
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
