import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { mapServerErrors } from '../../shared/formErrors';
import { useQuery } from '../../shared/useQuery';
import { useMutation } from '../../shared/useMutation';
import { orgApi, ROLE_INFO, type RoleDefinition, type RoleDefinitions } from './orgApi';

const ROLE_FIELDS = ['name', 'description', 'permissions'] as const;

interface RoleForm {
  name: string;
  description: string;
  permissions: string[];
}

/** What a built-in role is for, when the organization wrote no description of its own. */
function describe(role: RoleDefinition): string {
  return role.description ?? ROLE_INFO.find((r) => r.name === role.name)?.summary ?? '';
}

function RoleModal({
  role,
  catalog,
  open,
  onClose,
  onSaved,
}: {
  /** null: a new role. */
  role: RoleDefinition | null;
  catalog: RoleDefinitions['permissions'];
  open: boolean;
  onClose: () => void;
  onSaved: (saved: RoleDefinition) => void;
}) {
  const [form] = Form.useForm<RoleForm>();
  const [problems, setProblems] = useState<string[]>([]);
  const creating = role === null;
  const saving = useMutation(
    (values: RoleForm) =>
      creating
        ? orgApi.createRole({
            name: values.name.trim(),
            description: values.description,
            permissions: values.permissions,
          })
        : orgApi.updateRole(role.name, {
            description: values.description,
            permissions: values.permissions,
            version: role.version,
          }),
    {
      onSuccess: (saved) => onSaved(saved),
      onError: (error) => setProblems(mapServerErrors(form, error, { fields: ROLE_FIELDS })),
    },
  );
  const group = (administrative: boolean) =>
    catalog
      .filter((p) => p.administrative === administrative)
      .map((p) => (
        <Checkbox key={p.key} value={p.key}>
          <span className="org-permission">
            <span className="org-permission-name">{p.name}</span>
            <Typography.Text type="secondary" className="org-permission-description">
              {p.description}
            </Typography.Text>
          </span>
        </Checkbox>
      ));

  return (
    <Modal
      open={open}
      title={creating ? '新建角色' : `角色权限：${role.name}`}
      okText="保存"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving.pending}
      width={640}
      destroyOnHidden
    >
      {problems.length > 0 && <Alert className="org-form-alert" type="error" showIcon message={problems.join('；')} />}
      <Form<RoleForm>
        key={role?.name ?? 'new'}
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) => {
          setProblems([]);
          void saving.run(values);
        }}
        initialValues={{
          name: role?.name ?? '',
          description: role?.description ?? '',
          permissions: role?.permissions ?? [],
        }}
      >
        <Form.Item
          name="name"
          label="角色名称"
          tooltip="流程的办理人规则按名称指定角色，创建后不能修改"
          rules={
            creating
              ? [
                  { required: true, whitespace: true, message: '请填写角色名称' },
                  { max: 20, message: '角色名称不超过 20 个字符' },
                ]
              : []
          }
        >
          <Input disabled={!creating} placeholder="如：特约督查员、督查联络员" />
        </Form.Item>
        <Form.Item name="description" label="说明" rules={[{ max: 200, message: '说明不超过 200 个字符' }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} placeholder="这个角色在本单位督查工作中的职责" />
        </Form.Item>
        {/* One group for all permissions: two groups bound to one field would each drop the other's values. */}
        <Form.Item
          name="permissions"
          label="权限"
          extra="只有管理权限的角色不参与业务，看不到事项；系统管理、安全管理和审计宜由不同的人担任。"
        >
          <Checkbox.Group className="org-permissions">
            <Typography.Text strong>业务</Typography.Text>
            {group(false)}
            <Typography.Text strong className="org-permissions-heading">
              管理（三员分立）
            </Typography.Text>
            {group(true)}
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 角色与权限 (decision 049): the built-in roles and the organization's own (特约督查员, 督查联络员 …), each with the
 * permissions it carries. The security administrator changes them; the administrator reads them.
 */
export function RolesPanel({ onChanged }: { onChanged: () => Promise<unknown> }) {
  const { message } = AntdApp.useApp();
  const query = useQuery(['role-definitions'], (signal) => orgApi.roleDefinitions(signal));
  const data = query.data ?? null;
  const error = query.error;
  const [editing, setEditing] = useState<RoleDefinition | null | undefined>(undefined);
  const load = async () => query.setData(await orgApi.roleDefinitions());

  const removing = useMutation((name: string) => orgApi.deleteRole(name), {
    onSuccess: async () => {
      message.success('已删除角色');
      await load();
      await onChanged();
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  const names = new Map((data?.permissions ?? []).map((p) => [p.key, p.name]));
  const columns: ColumnsType<RoleDefinition> = [
    {
      title: '角色',
      dataIndex: 'name',
      key: 'name',
      width: 180,
      render: (name: string, role) => (
        <Space size={4} wrap>
          <span className="org-role-name">{name}</span>
          <Tag bordered={false} color={role.builtIn ? 'default' : 'blue'}>
            {role.builtIn ? '内置' : '自定义'}
          </Tag>
        </Space>
      ),
    },
    { title: '说明', key: 'description', render: (_: unknown, role) => describe(role) },
    {
      title: '权限',
      dataIndex: 'permissions',
      key: 'permissions',
      render: (permissions: string[]) =>
        permissions.length === 0 ? (
          <Typography.Text type="secondary">无（仅作为办理人）</Typography.Text>
        ) : (
          permissions.map((p) => (
            <Tag key={p} bordered={false} className="org-permission-tag">
              {names.get(p) ?? p}
            </Tag>
          ))
        ),
    },
    { title: '人数', dataIndex: 'holders', key: 'holders', width: 70, render: (n: number) => `${n} 人` },
  ];
  if (data?.canChange)
    columns.push({
      title: '操作',
      key: 'actions',
      width: 150,
      render: (_: unknown, role) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing(role)}>
            编辑权限
          </Button>
          {!role.builtIn && (
            <Popconfirm
              title={`删除角色「${role.name}」？`}
              description="仍有人员担任或仍有待办等待该角色时不能删除。"
              okText="删除"
              cancelText="取消"
              onConfirm={() => removing.run(role.name)}
            >
              <Button type="link" size="small" danger>
                删除
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });

  return (
    <div className="org-roles-table">
      {error ? <Alert type="error" showIcon message="加载失败" description={errorMessage(error)} /> : null}
      <div className="org-users-toolbar">
        <Typography.Text type="secondary">
          {data?.canChange
            ? '可新建本单位的角色（如特约督查员、督查联络员），并调整每个角色的权限；流程的办理人可按角色指定。'
            : '角色和权限由安全管理员维护。'}
        </Typography.Text>
        {data?.canChange && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
            新建角色
          </Button>
        )}
      </div>
      <Table<RoleDefinition>
        aria-label="角色列表"
        rowKey="name"
        size="middle"
        loading={data === null && !error}
        columns={columns}
        dataSource={data?.roles ?? []}
        pagination={false}
      />
      {data && (
        <RoleModal
          open={editing !== undefined}
          role={editing ?? null}
          catalog={data.permissions}
          onClose={() => setEditing(undefined)}
          onSaved={async (saved) => {
            setEditing(undefined);
            message.success(`已保存角色「${saved.name}」`);
            await load();
            await onChanged();
          }}
        />
      )}
    </div>
  );
}
