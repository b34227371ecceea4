import { LockOutlined, SafetyOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Form, Input, Modal, QRCode, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { authApi, errorMessage, isApiError } from '../../api/client';
import type { SecondFactorSetup, SecondFactorStatus } from '../../api/types';
import { mapServerErrors } from '../../shared/formErrors';
import { useMutation } from '../../shared/useMutation';

export interface SecondFactorDialogProps {
  /**
   * A role of the person requires a second factor and he has none (the server answers nothing else meanwhile): the
   * dialog cannot be closed until he has enrolled and seen his recovery codes.
   */
  required?: boolean;
  onClose: () => void;
}

/**
 * 两步验证 of one's own account (decision 046). Not enrolled: a secret and its otpauth:// address to put into an
 * authenticator app, one code to prove it, then ten recovery codes shown this once. Enrolled: turned off with the
 * password and a current code — unless a role requires it.
 */
export function SecondFactorDialog({ required = false, onClose }: SecondFactorDialogProps) {
  const { message } = AntdApp.useApp();
  const [status, setStatus] = useState<SecondFactorStatus | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [setup, setSetup] = useState<SecondFactorSetup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [confirmForm] = Form.useForm<{ code: string }>();
  const [disableForm] = Form.useForm<{ password: string; code: string }>();

  useEffect(() => {
    const controller = new AbortController();
    authApi
      .secondFactor(controller.signal)
      .then(setStatus)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoadError(error);
      });
    return () => controller.abort();
  }, []);

  const fieldError = (form: typeof confirmForm | typeof disableForm, fields: string[]) => (error: unknown) => {
    if (isApiError(error) && error.hasFieldErrors) {
      const rest = mapServerErrors(form, error, { fields });
      setServerError(rest.length > 0 ? rest.join('；') : null);
    } else setServerError(errorMessage(error));
  };

  const begin = useMutation(() => authApi.secondFactorSetup(), {
    onSuccess: setSetup,
    onError: (error) => setServerError(errorMessage(error)),
  });
  const confirm = useMutation((values: { code: string }) => authApi.secondFactorConfirm(values.code.trim()), {
    onSuccess: (result) => setRecoveryCodes(result.recoveryCodes),
    onError: fieldError(confirmForm, ['code']),
  });
  const disable = useMutation(
    (values: { password: string; code: string }) =>
      authApi.secondFactorDisable({ password: values.password, code: values.code.trim() }),
    {
      onSuccess: () => {
        message.success('已关闭两步验证');
        onClose();
      },
      onError: fieldError(disableForm, ['password', 'code']),
    },
  );

  const enrolled = recoveryCodes !== null;
  const closable = !required || enrolled;

  let body;
  if (loadError) body = <Alert type="error" showIcon message={errorMessage(loadError)} />;
  else if (!status) body = <Spin />;
  else if (recoveryCodes) {
    body = (
      <>
        <Alert
          type="success"
          showIcon
          message="两步验证已启用"
          description="以下恢复码只显示这一次。请抄写或打印后妥善保管：手机不在身边时，每个恢复码可代替动态口令登录一次。"
          style={{ marginBottom: 16 }}
        />
        <ol className="second-factor-recovery" aria-label="恢复码">
          {recoveryCodes.map((code) => (
            <li key={code}>
              <Typography.Text code>{code}</Typography.Text>
            </li>
          ))}
        </ol>
      </>
    );
  } else if (status.enabled) {
    body = (
      <>
        <Alert
          type="info"
          showIcon
          message="已启用两步验证"
          description={`登录时除密码外还需输入验证器的动态口令。剩余恢复码 ${status.recoveryCodesLeft} 个。`}
          style={{ marginBottom: 16 }}
        />
        {status.required ? (
          <Typography.Paragraph type="secondary">
            按本单位安全策略，您的角色须使用两步验证，不能关闭。更换手机时请联系管理员重置。
          </Typography.Paragraph>
        ) : (
          <Form
            form={disableForm}
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => {
              setServerError(null);
              void disable.run(values);
            }}
          >
            <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
            </Form.Item>
            <Form.Item label="动态口令" name="code" rules={[{ required: true, message: '请输入动态口令' }]}>
              <Input prefix={<SafetyOutlined aria-hidden />} autoComplete="one-time-code" inputMode="numeric" />
            </Form.Item>
            <Button danger htmlType="submit" loading={disable.pending}>
              关闭两步验证
            </Button>
          </Form>
        )}
      </>
    );
  } else if (!setup) {
    body = (
      <>
        {required && (
          <Alert
            type="warning"
            showIcon
            message="按本单位安全策略，您的角色须使用两步验证，请先启用"
            style={{ marginBottom: 16 }}
          />
        )}
        <Typography.Paragraph>
          启用后，登录时除密码外还需输入手机验证器应用（如 FreeOTP、Google Authenticator、Microsoft Authenticator
          或企业微信、 支付宝中的身份验证器）显示的 6 位动态口令。
        </Typography.Paragraph>
        <Button type="primary" onClick={() => void begin.run()} loading={begin.pending}>
          开始设置
        </Button>
      </>
    );
  } else {
    body = (
      <>
        {required && (
          <Alert
            type="warning"
            showIcon
            message="按本单位安全策略，您的角色须使用两步验证，请先启用"
            style={{ marginBottom: 16 }}
          />
        )}
        <Typography.Paragraph>
          {'1. 用验证器应用扫描下面的二维码。不能扫码时，在应用中选择“手动输入密钥”，账号填“督办”，' +
            '密钥填下面这串字符（基于时间），或将地址复制到支持 otpauth 地址的应用中。'}
        </Typography.Paragraph>
        <div
          style={{ display: 'inline-block', marginBottom: 12 }}
          role="img"
          aria-label="两步验证二维码"
          data-testid="totp-qr"
        >
          <QRCode value={setup.uri} type="svg" size={176} bordered={false} />
        </div>
        <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
          <Typography.Text strong>密钥</Typography.Text>
          <Typography.Text code copyable data-testid="totp-secret" className="second-factor-secret">
            {setup.secret}
          </Typography.Text>
          <Typography.Text strong>地址</Typography.Text>
          <Typography.Text copyable type="secondary" style={{ wordBreak: 'break-all' }}>
            {setup.uri}
          </Typography.Text>
        </Space>
        <Typography.Paragraph>2. 输入应用显示的 6 位动态口令，验证通过后才生效。</Typography.Paragraph>
        <Form
          form={confirmForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => {
            setServerError(null);
            void confirm.run(values);
          }}
        >
          <Form.Item
            label="动态口令"
            name="code"
            rules={[{ required: true, whitespace: true, message: '请输入动态口令' }]}
          >
            <Input
              prefix={<SafetyOutlined aria-hidden />}
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={6}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={confirm.pending}>
            验证并启用
          </Button>
        </Form>
      </>
    );
  }

  return (
    <Modal
      title="两步验证"
      open
      onCancel={onClose}
      closable={closable}
      maskClosable={closable}
      keyboard={closable}
      footer={
        enrolled ? (
          <Button type="primary" onClick={onClose}>
            我已保存恢复码
          </Button>
        ) : closable ? (
          <Button onClick={onClose}>关闭</Button>
        ) : null
      }
      destroyOnHidden
    >
      {serverError && <Alert type="error" showIcon message={serverError} style={{ marginBottom: 16 }} />}
      {body}
    </Modal>
  );
}
