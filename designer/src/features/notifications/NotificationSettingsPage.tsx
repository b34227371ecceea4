import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { can } from '../../app/navigation';
import { errorMessage, isApiError } from '../../api/client';
import { useQuery } from '../../shared/useQuery';
import { useCurrentUser } from '../auth/AuthContext';
import {
  notificationsApi,
  type NotificationChannelView,
  type NotificationPreferencesView,
  type NotificationPreferenceView,
  type NotificationSettingsView,
  type TestMessageResult,
} from './notificationsApi';

const KIND_OPTIONS = [
  { label: '新待办', value: 'task' },
  { label: '退回', value: 'returned' },
  { label: '催办', value: 'chased' },
  { label: '延期审批结果', value: 'extension' },
  { label: '临近办理时限', value: 'deadline' },
  { label: '督查专报', value: 'report' },
  { label: '上级交办', value: 'referral' },
];

/** Field errors of a 400 problem, for an antd form. */
function fieldErrors(error: unknown): { name: string; errors: string[] }[] {
  if (!isApiError(error)) return [];
  const errors = error.problem?.errors ?? {};
  return Object.entries(errors).map(([name, list]) => ({ name, errors: list }));
}

/** The answer of a 「发送测试消息」: sent, or the server's error in its words. */
function TestResult({ result, what }: { result: TestMessageResult | null; what: string }) {
  if (!result) return null;
  return (
    <Alert
      role="status"
      style={{ marginTop: 12 }}
      type={result.sent ? 'success' : 'error'}
      showIcon
      message={result.sent ? `${what}已发出` : `${what}未能发出`}
      description={result.message}
    />
  );
}

function MyPreferences() {
  const prefs = useQuery(['notification-preferences'], (signal) => notificationsApi.preferences(signal));
  return (
    <Card size="small" title="我的通知" className="page-section" loading={prefs.loading && !prefs.data}>
      {prefs.data && <PreferencesEditor initial={prefs.data} />}
    </Card>
  );
}

function PreferencesEditor({ initial }: { initial: NotificationPreferencesView }) {
  const { message } = AntdApp.useApp();
  const [rows, setRows] = useState<NotificationPreferenceView[]>(initial.kinds);
  const [email, setEmail] = useState(initial.email ?? '');
  const [saving, setSaving] = useState(false);
  const [emailError, setEmailError] = useState<string | null>(null);

  const set = (kind: string, channel: 'inApp' | 'email', on: boolean) =>
    setRows((list) => list.map((r) => (r.kind === kind ? { ...r, [channel]: on } : r)));

  const save = async () => {
    setSaving(true);
    setEmailError(null);
    try {
      const saved = await notificationsApi.savePreferences({
        preferences: rows.flatMap((r) => [
          { kind: r.kind, channel: 'inApp', enabled: r.inApp },
          { kind: r.kind, channel: 'email', enabled: r.email },
        ]),
        email: email.trim(),
      });
      setRows(saved.kinds);
      message.success('已保存');
    } catch (error) {
      const field = fieldErrors(error).find((f) => f.name === 'email');
      if (field) setEmailError(field.errors[0] ?? null);
      else message.error(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Table
        size="small"
        pagination={false}
        rowKey="kind"
        dataSource={rows}
        data-testid="notification-preferences"
        columns={[
          { title: '通知', dataIndex: 'label' },
          {
            title: '系统内提醒',
            render: (_, r) => (
              <Switch
                checked={r.inApp}
                aria-label={`${r.label} 系统内提醒`}
                onChange={(on) => set(r.kind, 'inApp', on)}
              />
            ),
          },
          {
            title: '邮件',
            render: (_, r) => (
              <Switch checked={r.email} aria-label={`${r.label} 邮件`} onChange={(on) => set(r.kind, 'email', on)} />
            ),
          },
        ]}
      />
      <Form layout="vertical" style={{ marginTop: 12, maxWidth: 420 }}>
        <Form.Item
          label="接收邮件的邮箱"
          validateStatus={emailError ? 'error' : undefined}
          help={emailError ?? '留空则不发邮件。发给角色（如全体督查员）的待签收任务只在系统内提醒。'}
        >
          <Input value={email} onChange={(e) => setEmail(e.target.value)} placeholder="name@example.gov.cn" />
        </Form.Item>
        <Button type="primary" onClick={() => void save()} loading={saving}>
          保存
        </Button>
      </Form>
    </>
  );
}

type SettingsForm = Omit<NotificationSettingsView, 'channels' | 'hasSmtpPassword' | 'installationMail'> & {
  smtpPassword?: string;
};

function OrganizationMail({
  settings,
  onSaved,
}: {
  settings: NotificationSettingsView;
  onSaved: (s: NotificationSettingsView) => void;
}) {
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const [saving, setSaving] = useState(false);
  const [testTo, setTestTo] = useState('');
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<TestMessageResult | null>(null);
  const test = async () => {
    const values = form.getFieldsValue();
    setTesting(true);
    setTested(null);
    try {
      setTested(
        await notificationsApi.testMail({
          smtpHost: values.smtpHost ?? null,
          smtpPort: values.smtpPort ?? null,
          smtpSecurity: values.smtpSecurity ?? 'none',
          smtpUserName: values.smtpUserName ?? null,
          smtpPassword: values.smtpPassword ? values.smtpPassword : null,
          fromAddress: values.fromAddress ?? null,
          fromName: values.fromName ?? null,
          to: testTo || null,
        }),
      );
    } catch (error) {
      const fields = fieldErrors(error);
      if (fields.length > 0) setTested({ sent: false, message: fields.flatMap((f) => f.errors).join('；') });
      else message.error(errorMessage(error));
    } finally {
      setTesting(false);
    }
  };
  const save = async (values: SettingsForm) => {
    setSaving(true);
    try {
      const saved = await notificationsApi.saveSettings({
        emailEnabled: values.emailEnabled,
        smtpHost: values.smtpHost ?? null,
        smtpPort: values.smtpPort ?? null,
        smtpSecurity: values.smtpSecurity ?? 'none',
        smtpUserName: values.smtpUserName ?? null,
        smtpPassword: values.smtpPassword ? values.smtpPassword : null,
        fromAddress: values.fromAddress ?? null,
        fromName: values.fromName ?? null,
        siteUrl: values.siteUrl ?? null,
        deadlineWorkingDays: values.deadlineWorkingDays ?? null,
      });
      onSaved(saved);
      form.setFieldValue('smtpPassword', '');
      message.success('已保存');
    } catch (error) {
      const fields = fieldErrors(error);
      if (fields.length > 0)
        form.setFields(fields.map((f) => ({ name: f.name as keyof SettingsForm, errors: f.errors })));
      else message.error(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title="本单位的发信设置（管理员）" className="page-section">
      <Form<SettingsForm>
        form={form}
        layout="vertical"
        initialValues={settings}
        onFinish={(values) => void save(values)}
        style={{ maxWidth: 560 }}
      >
        <Form.Item name="emailEnabled" label="发送邮件提醒" valuePropName="checked">
          <Switch />
        </Form.Item>
        {settings.installationMail && (
          <Typography.Paragraph type="secondary">
            未填写发信服务器时，使用本系统安装时配置的发信服务器。
          </Typography.Paragraph>
        )}
        <Space wrap>
          <Form.Item name="smtpHost" label="发信服务器（SMTP）">
            <Input placeholder="smtp.example.gov.cn" />
          </Form.Item>
          <Form.Item name="smtpPort" label="端口">
            <InputNumber min={1} max={65535} />
          </Form.Item>
          <Form.Item name="smtpSecurity" label="加密方式">
            <Select
              style={{ width: 140 }}
              options={[
                { label: '不加密', value: 'none' },
                { label: 'STARTTLS', value: 'starttls' },
                { label: 'SSL/TLS', value: 'ssl' },
              ]}
            />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="smtpUserName" label="登录用户名">
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="smtpPassword" label={settings.hasSmtpPassword ? '登录密码（已设置，留空不变）' : '登录密码'}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="fromAddress" label="发件人邮箱">
            <Input placeholder="duban@example.gov.cn" />
          </Form.Item>
          <Form.Item name="fromName" label="发件人名称">
            <Input placeholder="督办系统" />
          </Form.Item>
        </Space>
        <Form.Item name="siteUrl" label="系统访问地址（邮件和群消息里的链接）">
          <Input placeholder="https://duban.example.gov.cn" />
        </Form.Item>
        <Form.Item name="deadlineWorkingDays" label="办理时限前几个工作日提醒">
          <InputNumber min={0} max={30} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={saving}>
            保存发信设置
          </Button>
          <Input
            aria-label="测试收件邮箱"
            style={{ width: 240 }}
            placeholder="测试收件邮箱（留空发给本人）"
            value={testTo}
            onChange={(e) => setTestTo(e.target.value)}
          />
          <Button loading={testing} onClick={() => void test()}>
            发送测试邮件
          </Button>
        </Space>
        <TestResult result={tested} what="测试邮件" />
      </Form>
    </Card>
  );
}

interface RobotForm {
  kind: string;
  name: string;
  url: string;
  secret?: string;
  enabled: boolean;
  kinds: string[];
}

function Robots({ channels, onChanged }: { channels: NotificationChannelView[]; onChanged: () => void }) {
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<RobotForm>();
  const [editing, setEditing] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<TestMessageResult | null>(null);
  const test = async () => {
    const values = form.getFieldsValue();
    setTesting(true);
    setTested(null);
    try {
      setTested(
        await notificationsApi.testChannel({
          id: editing,
          kind: values.kind,
          name: values.name ?? null,
          url: values.url ?? null,
          secret: values.secret ? values.secret : editing ? null : '',
        }),
      );
    } catch (error) {
      const fields = fieldErrors(error);
      if (fields.length > 0) form.setFields(fields.map((f) => ({ name: f.name as keyof RobotForm, errors: f.errors })));
      else message.error(errorMessage(error));
    } finally {
      setTesting(false);
    }
  };
  const save = async (values: RobotForm) => {
    const body = {
      kind: values.kind,
      name: values.name,
      url: values.url,
      secret: values.secret ? values.secret : editing ? null : '',
      enabled: values.enabled,
      kinds: values.kinds ?? [],
    };
    try {
      if (editing) await notificationsApi.saveChannel(editing, body);
      else await notificationsApi.addChannel(body);
      message.success('已保存');
      form.resetFields();
      setEditing(null);
      onChanged();
    } catch (error) {
      const fields = fieldErrors(error);
      if (fields.length > 0) form.setFields(fields.map((f) => ({ name: f.name as keyof RobotForm, errors: f.errors })));
      else message.error(errorMessage(error));
    }
  };
  return (
    <Card size="small" title="群机器人（钉钉、企业微信）" className="page-section">
      <Typography.Paragraph type="secondary">
        在钉钉或企业微信群里添加「自定义机器人」，把它的 Webhook
        地址填在这里，选择要推送的通知。同一件事只推送一次；限定知悉范围的事项不推送标题。
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={channels}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kind', render: (k: string) => (k === 'wecom' ? '企业微信' : '钉钉') },
          {
            title: '推送',
            dataIndex: 'kinds',
            render: (kinds: string[]) =>
              kinds.map((k) => <Tag key={k}>{KIND_OPTIONS.find((o) => o.value === k)?.label ?? k}</Tag>),
          },
          { title: '状态', dataIndex: 'enabled', render: (on: boolean) => (on ? '启用' : '停用') },
          {
            title: '操作',
            render: (_, c) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => {
                    setEditing(c.id);
                    form.setFieldsValue({
                      kind: c.kind,
                      name: c.name,
                      url: c.url,
                      secret: '',
                      enabled: c.enabled,
                      kinds: [...c.kinds],
                    });
                  }}
                >
                  修改
                </Button>
                <Popconfirm
                  title="删除这个群机器人？"
                  okText="删除"
                  cancelText="取消"
                  onConfirm={() =>
                    void notificationsApi
                      .deleteChannel(c.id)
                      .then(onChanged)
                      .catch((e: unknown) => message.error(errorMessage(e)))
                  }
                >
                  <Button size="small" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Form<RobotForm>
        form={form}
        layout="vertical"
        style={{ maxWidth: 560, marginTop: 12 }}
        initialValues={{ kind: 'dingtalk', enabled: true, kinds: ['task', 'returned', 'chased'] }}
        onFinish={(values) => void save(values)}
      >
        <Typography.Text strong>{editing ? '修改群机器人' : '添加群机器人'}</Typography.Text>
        <Space wrap style={{ marginTop: 8 }}>
          <Form.Item name="kind" label="类型">
            <Select
              style={{ width: 140 }}
              options={[
                { label: '钉钉', value: 'dingtalk' },
                { label: '企业微信', value: 'wecom' },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label="名称">
            <Input placeholder="督查室工作群" />
          </Form.Item>
        </Space>
        <Form.Item name="url" label="Webhook 地址">
          <Input placeholder="https://oapi.dingtalk.com/robot/send?access_token=…" />
        </Form.Item>
        <Form.Item name="secret" label="加签密钥（钉钉，选填）">
          <Input.Password autoComplete="new-password" placeholder={editing ? '留空不变' : 'SEC…'} />
        </Form.Item>
        <Form.Item name="kinds" label="推送的通知">
          <Checkbox.Group options={KIND_OPTIONS} />
        </Form.Item>
        <Form.Item name="enabled" label="启用" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {editing ? '保存' : '添加'}
          </Button>
          <Button loading={testing} onClick={() => void test()}>
            发送测试消息
          </Button>
          {editing && (
            <Button
              onClick={() => {
                setEditing(null);
                form.resetFields();
              }}
            >
              取消修改
            </Button>
          )}
        </Space>
        <TestResult result={tested} what="测试消息" />
      </Form>
    </Card>
  );
}

/** 通知设置: my kinds and channels; for an administrator also the organization's mail server and group robots. */
export default function NotificationSettingsPage() {
  const user = useCurrentUser();
  const admin = can(user, 'configureSupervision');
  const settings = useQuery(admin ? ['notification-settings'] : null, (signal) => notificationsApi.settings(signal));
  return (
    <section aria-labelledby="notification-settings-heading">
      <Typography.Title level={4} id="notification-settings-heading">
        通知设置
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        有新待办、工作被退回、被催办、延期申请有了结果、待办临近办理时限时，系统会在右上角的铃铛里提醒您，也可以发邮件。
      </Typography.Paragraph>
      <MyPreferences />
      {admin && settings.data && (
        <>
          <OrganizationMail settings={settings.data} onSaved={(s) => settings.setData(s)} />
          <Robots channels={settings.data.channels} onChanged={settings.reload} />
        </>
      )}
    </section>
  );
}
