import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage, isApiError } from '../../api/client';
import { mapServerErrors } from '../../shared/formErrors';
import { useMutation } from '../../shared/useMutation';
import { useAuth } from './AuthContext';

/** What the form holds: both are required before it submits. */
interface Credentials {
  userName: string;
  password: string;
}
import './login.css';

interface LocationState {
  from?: string;
}

function safeRedirect(target: string | undefined): string {
  // Only same-app paths; never "//host" or absolute URLs.
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/login')) return '/';
  return target;
}

export default function LoginPage() {
  const { status, login, loginCode } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<Credentials>();
  const [serverError, setServerError] = useState<string | null>(null);
  const redirectTo = safeRedirect((location.state as LocationState | null)?.from);
  // After a successful login the form stays busy until the page is left (and the redirect below stays off).
  const [signedIn, setSignedIn] = useState(false);
  // The password was right and the account has a second factor: the code step (decision 046).
  const [codeStep, setCodeStep] = useState(false);
  const [codeForm] = Form.useForm<{ code: string }>();
  const signIn = useMutation(
    (values: Credentials) => login({ userName: values.userName.trim(), password: values.password }),
    {
      onSuccess: (result) => {
        if (result === 'second-factor') {
          setCodeStep(true);
          return;
        }
        setSignedIn(true);
        navigate(redirectTo, { replace: true });
      },
      onError: (error) => {
        if (isApiError(error) && error.hasFieldErrors) {
          const rest = mapServerErrors(form, error, { fields: ['userName', 'password'] });
          setServerError(error.detail ?? (rest.length > 0 ? error.message : null));
        } else {
          setServerError(errorMessage(error));
        }
      },
    },
  );
  const withCode = useMutation((values: { code: string }) => loginCode(values.code.trim()), {
    onSuccess: () => {
      setSignedIn(true);
      navigate(redirectTo, { replace: true });
    },
    onError: (error) => {
      codeForm.resetFields();
      // The five minutes of the code step have passed: back to the password.
      if (isApiError(error) && error.status === 401 && error.title === '登录已失效') setCodeStep(false);
      setServerError(errorMessage(error));
    },
  });
  const submitting = signIn.pending || withCode.pending || signedIn;

  if (status === 'authenticated' && !submitting) {
    return <Navigate to={redirectTo} replace />;
  }

  function handleFinish(values: Credentials) {
    setServerError(null);
    void signIn.run(values);
  }

  return (
    <main className="login-page">
      <Card className="login-card" variant="borderless">
        <div className="login-brand">
          <span className="login-logo" aria-hidden="true">
            督
          </span>
          <div>
            <Typography.Title level={1} className="login-title">
              督办
            </Typography.Title>
            <Typography.Text type="secondary">督查督办工作平台</Typography.Text>
          </div>
        </div>

        {serverError && <Alert className="login-error" type="error" showIcon message={serverError} role="alert" />}

        {codeStep ? (
          <Form<{ code: string }>
            form={codeForm}
            name="second-factor"
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => {
              setServerError(null);
              void withCode.run(values);
            }}
            disabled={submitting}
            autoComplete="off"
          >
            <Typography.Paragraph type="secondary">
              请打开手机上的验证器应用，输入“督办”账号当前显示的 6 位动态口令；手机不在身边时可输入一个恢复码。
            </Typography.Paragraph>
            <Form.Item
              label="动态口令"
              name="code"
              rules={[{ required: true, whitespace: true, message: '请输入动态口令' }]}
            >
              <Input
                prefix={<SafetyOutlined />}
                autoComplete="one-time-code"
                inputMode="numeric"
                autoFocus
                size="large"
                maxLength={12}
              />
            </Form.Item>
            <Form.Item style={{ marginBottom: 8 }}>
              <Button type="primary" htmlType="submit" size="large" block loading={submitting}>
                验证并登录
              </Button>
            </Form.Item>
            <Button
              type="link"
              block
              onClick={() => {
                setCodeStep(false);
                setServerError(null);
              }}
            >
              返回重新输入密码
            </Button>
          </Form>
        ) : (
          <Form<Credentials>
            form={form}
            name="login"
            layout="vertical"
            requiredMark={false}
            onFinish={handleFinish}
            onValuesChange={() => serverError && setServerError(null)}
            disabled={submitting}
            autoComplete="on"
          >
            <Form.Item
              label="用户名"
              name="userName"
              rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
            </Form.Item>
            <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
            </Form.Item>
            <Form.Item style={{ marginBottom: 0 }}>
              <Button type="primary" htmlType="submit" size="large" block loading={submitting}>
                登录
              </Button>
            </Form.Item>
          </Form>
        )}
      </Card>
    </main>
  );
}
