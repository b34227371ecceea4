import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { mapServerErrors } from '../../shared/formErrors';
import { useMutation } from '../../shared/useMutation';
import { useQuery } from '../../shared/useQuery';
import { platformApi, type AddOrganization, type Organization } from './platformApi';

/**
 * 组织管理 (平台管理员, decision 035): the organizations on this installation and a new one — its code, its name and its
 * first administrator, who then builds its units and people. Nothing of any organization's business shows here.
 */
export default function PlatformPage() {
  const { message } = AntdApp.useApp();
  const [reload, setReload] = useState(0);
  const { data, loading, error } = useQuery(['platform-organizations', reload], (signal) =>
    platformApi.organizations(signal),
  );
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<AddOrganization>();
  const [formAlerts, setFormAlerts] = useState<string[]>([]);
  const add = useMutation((values: AddOrganization) => platformApi.add(values), {
    onSuccess: (created) => {
      message.success(`已新建组织「${created.name}」，并为其导入 ${created.procedures} 个内置流程`);
      setAdding(false);
      form.resetFields();
      setReload((n) => n + 1);
    },
    onError: (e) => setFormAlerts(mapServerErrors(form, e)),
  });
  const templates = useMutation((id: string) => platformApi.templates(id), {
    onSuccess: (count) => {
      message.success(count > 0 ? `已补齐 ${count} 个内置流程` : '内置流程齐全，无需补齐');
      setReload((n) => n + 1);
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  const superior = useMutation(
    ({ id, superiorId }: { id: string; superiorId: string | null }) => platformApi.setSuperior(id, superiorId),
    {
      onSuccess: () => {
        message.success('已保存上级组织');
        setReload((n) => n + 1);
      },
      onError: (e) => message.error(errorMessage(e)),
    },
  );

  return (
    <Card
      title="组织管理"
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
            刷新
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            新建组织
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        每个组织各自独立：事项、流程、人员、角色、待办、设置和报表互不可见。平台管理员只新建组织、指定其首位管理员，不查看任何组织的业务。
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon message={errorMessage(error)} /> : null}
      <Table<Organization>
        rowKey="id"
        loading={loading}
        dataSource={data ?? []}
        pagination={false}
        columns={[
          { title: '组织名称', dataIndex: 'name' },
          { title: '编码', dataIndex: 'id' },
          { title: '单位数', dataIndex: 'units', align: 'right' },
          { title: '人员数', dataIndex: 'people', align: 'right' },
          { title: '流程数', dataIndex: 'procedures', align: 'right' },
          {
            // 上级交办 (decision 050): the superior's 督查室 may assign items to this organization.
            title: '上级组织',
            key: 'superior',
            render: (_, row) => (
              <Select
                size="small"
                style={{ minWidth: 180 }}
                allowClear
                placeholder="无上级"
                aria-label={`「${row.name}」的上级组织`}
                value={row.superiorOrganizationId ?? undefined}
                disabled={superior.pending}
                options={(data ?? []).filter((o) => o.id !== row.id).map((o) => ({ value: o.id, label: o.name }))}
                onChange={(value?: string) => void superior.run({ id: row.id, superiorId: value ?? null })}
              />
            ),
          },
          {
            title: '状态',
            dataIndex: 'isActive',
            render: (active: boolean) => (active ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '操作',
            key: 'actions',
            render: (_, row) => (
              <Button size="small" loading={templates.pending} onClick={() => void templates.run(row.id)}>
                补齐内置流程
              </Button>
            ),
          },
        ]}
      />
      <Modal
        title="新建组织"
        open={adding}
        okText="新建"
        cancelText="取消"
        confirmLoading={add.pending}
        onCancel={() => {
          setAdding(false);
          setFormAlerts([]);
        }}
        onOk={() => {
          setFormAlerts([]);
          void form.validateFields().then((values) => add.run(values));
        }}
        destroyOnHidden
      >
        {formAlerts.length > 0 ? (
          <Alert type="error" showIcon message={formAlerts.join('；')} style={{ marginBottom: 12 }} />
        ) : null}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="name" label="组织名称" rules={[{ required: true, message: '请填写组织名称' }]}>
            <Input placeholder="如：江苏省人民政府办公厅" maxLength={200} />
          </Form.Item>
          <Form.Item
            name="id"
            label="组织编码"
            extra="字母、数字、- 和 _；作为该组织根单位的编码，建好后不能修改"
            rules={[{ required: true, message: '请填写组织编码' }]}
          >
            <Input placeholder="如：jsgov" maxLength={64} />
          </Form.Item>
          <Form.Item
            name="adminDisplayName"
            label="管理员姓名"
            rules={[{ required: true, message: '请填写管理员姓名' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="adminUserName"
            label="管理员用户名"
            rules={[{ required: true, message: '请填写管理员的用户名' }]}
          >
            <Input autoComplete="off" maxLength={256} />
          </Form.Item>
          <Form.Item
            name="adminPassword"
            label="管理员初始密码"
            extra="请通过安全渠道告知管理员，并提醒其登录后修改"
            rules={[{ required: true, message: '请设置管理员的初始密码' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
