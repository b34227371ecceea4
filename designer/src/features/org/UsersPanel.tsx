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
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
} from 'antd';
import type { TableProps } from 'antd';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../api/client';
import { useCurrentUser } from '../auth/AuthContext';
import { mapServerErrors } from '../../shared/formErrors';
import { useMutation } from '../../shared/useMutation';
import { can } from '../../app/navigation';
import { orgApi, ROLE_INFO, type OrgUser, type Unit } from './orgApi';
import { buildUnitTree, subtreeIds, toTreeSelect } from './unitTree';

/** The built-in roles, until the organization's own are loaded. */
const ROLE_NAMES = ROLE_INFO.map((r) => r.name);
const USER_FIELDS = ['userName', 'displayName', 'unitId', 'roles', 'password', 'isActive'] as const;

interface UserForm {
  userName: string;
  displayName: string;
  unitId: string | null;
  roles: string[];
  password: string;
  isActive: boolean;
}

/** Filters the user list (pure): text in name or user name, unit (with its sub-units), role, state. */
export function filterUsers(
  users: readonly OrgUser[],
  units: readonly Unit[],
  filter: { q: string; unitId?: string; role?: string; state?: 'active' | 'inactive' },
): OrgUser[] {
  const q = filter.q.trim().toLowerCase();
  const inUnit = filter.unitId ? subtreeIds(units, filter.unitId) : null;
  return users.filter(
    (u) =>
      (!q || u.displayName.toLowerCase().includes(q) || u.userName.toLowerCase().includes(q)) &&
      (!inUnit || (u.unitId !== null && inUnit.has(u.unitId))) &&
      (!filter.role || u.roles.includes(filter.role)) &&
      (!filter.state || (filter.state === 'active') === u.isActive),
  );
}

function UserModal({
  user,
  units,
  open,
  onClose,
  onSaved,
  roleNames,
  mayEditPerson,
  mayGrant,
}: {
  user: OrgUser | null;
  units: Unit[];
  open: boolean;
  onClose: () => void;
  onSaved: (saved: OrgUser) => void;
  roleNames: readonly string[];
  /** 单位与人员管理: name, unit, state (三员分立, decision 049). */
  mayEditPerson: boolean;
  /** 角色权限与安全策略: which roles the person holds. */
  mayGrant: boolean;
}) {
  const [form] = Form.useForm<UserForm>();
  const [problems, setProblems] = useState<string[]>([]);
  const creating = user === null;
  // Each opening starts without the last one's problems (adjusted while rendering, not in an effect).
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) setProblems([]);
  }
  const unitOptions = useMemo(
    () => toTreeSelect(buildUnitTree(units), (u) => !u.isActive && u.id !== user?.unitId),
    [units, user],
  );

  const saving = useMutation(
    (values: UserForm) =>
      user === null
        ? orgApi.createUser({
            userName: values.userName.trim(),
            displayName: values.displayName,
            unitId: values.unitId ?? null,
            roles: values.roles ?? [],
            password: values.password,
          })
        : orgApi.updateUser(user.id, {
            displayName: values.displayName,
            unitId: values.unitId ?? null,
            roles: values.roles ?? [],
            isActive: values.isActive,
            concurrencyStamp: user.concurrencyStamp,
          }),
    {
      onSuccess: (saved) => onSaved(saved),
      onError: (error) => setProblems(mapServerErrors(form, error, { fields: USER_FIELDS })),
    },
  );

  function save(values: UserForm) {
    setProblems([]);
    void saving.run(values);
  }

  return (
    <Modal
      open={open}
      title={creating ? '新增人员' : `编辑人员：${user.displayName}`}
      okText={creating ? '新增' : '保存'}
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving.pending}
      destroyOnHidden
    >
      {problems.length > 0 && <Alert className="org-form-alert" type="error" showIcon message={problems.join('；')} />}
      {/* Mounted afresh on every opening (destroyOnHidden), so its initial values are this user's. */}
      <Form<UserForm>
        key={user?.id ?? 'new'}
        form={form}
        layout="vertical"
        onFinish={save}
        preserve={false}
        initialValues={
          user
            ? {
                userName: user.userName,
                displayName: user.displayName,
                unitId: user.unitId,
                roles: user.roles,
                isActive: user.isActive,
                password: '',
              }
            : {
                userName: '',
                displayName: '',
                unitId: null,
                roles: mayGrant ? ['承办单位联络员'] : [],
                isActive: true,
                password: '',
              }
        }
      >
        <Form.Item
          name="userName"
          label="用户名"
          tooltip="登录用，创建后不能修改"
          rules={
            creating
              ? [
                  { required: true, whitespace: true, message: '请填写用户名' },
                  { max: 256, message: '用户名不超过 256 个字符' },
                ]
              : []
          }
        >
          <Input disabled={!creating} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请填写姓名' },
            { max: 100, message: '姓名不超过 100 个字符' },
          ]}
        >
          <Input disabled={!mayEditPerson} />
        </Form.Item>
        <Form.Item name="unitId" label="所属单位">
          <TreeSelect
            disabled={!mayEditPerson}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll
            treeData={unitOptions}
            placeholder="选择单位"
          />
        </Form.Item>
        <Form.Item name="roles" label="角色" extra={mayGrant ? undefined : '授予角色由安全管理员在此办理（三员分立）'}>
          <Checkbox.Group disabled={!mayGrant} options={roleNames.map((r) => ({ value: r, label: r }))} />
        </Form.Item>
        {creating ? (
          <Form.Item
            name="password"
            label="初始密码"
            tooltip="至少 8 位，含数字、大写和小写字母"
            rules={[{ required: true, message: '请设置初始密码' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        ) : (
          <Form.Item name="isActive" label="账号状态" valuePropName="checked">
            <Switch disabled={!mayEditPerson} checkedChildren="在用" unCheckedChildren="停用" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: OrgUser | null; onClose: () => void }) {
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [problems, setProblems] = useState<string[]>([]);
  const [shownUser, setShownUser] = useState(user);
  if (user !== shownUser) {
    setShownUser(user);
    if (user) setProblems([]);
  }

  const resetting = useMutation(
    async (target: OrgUser, password: string) => {
      await orgApi.resetPassword(target.id, password);
      return target;
    },
    {
      onSuccess: (target) => {
        message.success(`已重置「${target.displayName}」的密码`);
        onClose();
      },
      onError: (error) => setProblems(mapServerErrors(form, error, { fields: ['password'] })),
    },
  );

  function save(values: { password: string }) {
    if (!user) return;
    setProblems([]);
    void resetting.run(user, values.password);
  }

  return (
    <Modal
      open={user !== null}
      title={user ? `重置密码：${user.displayName}（${user.userName}）` : ''}
      okText="重置"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={resetting.pending}
      destroyOnHidden
    >
      {problems.length > 0 && <Alert className="org-form-alert" type="error" showIcon message={problems.join('；')} />}
      <Form form={form} layout="vertical" onFinish={save} preserve={false}>
        <Form.Item
          name="password"
          label="新密码"
          tooltip="至少 8 位，含数字、大写和小写字母"
          rules={[{ required: true, message: '请填写新密码' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="再次输入新密码"
          dependencies={['password']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('password')
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入的密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function UsersPanel({
  users,
  units,
  onChanged,
  roleNames = ROLE_NAMES,
}: {
  users: OrgUser[];
  units: Unit[];
  onChanged: () => Promise<unknown>;
  /** The organization's roles, its own included (decision 049). */
  roleNames?: readonly string[];
}) {
  const me = useCurrentUser();
  const mayEditPerson = can(me, 'manageUnitsAndPeople');
  const mayGrant = can(me, 'manageRolesAndSecurity');
  const { message } = AntdApp.useApp();
  const [filter, setFilter] = useState<{ q: string; unitId?: string; role?: string; state?: 'active' | 'inactive' }>({
    q: '',
  });
  const [editing, setEditing] = useState<OrgUser | null | undefined>(undefined);
  const [resetting, setResetting] = useState<OrgUser | null>(null);
  // The user whose 停用 / 启用 runs (or ran last): its button shows the pending state.
  const [toggled, setToggled] = useState<string | null>(null);
  const rows = useMemo(() => filterUsers(users, units, filter), [users, units, filter]);
  const unitFilter = useMemo(() => toTreeSelect(buildUnitTree(units)), [units]);

  const toggling = useMutation(
    async (user: OrgUser, isActive: boolean) => {
      setToggled(user.id);
      await orgApi.updateUser(user.id, {
        displayName: user.displayName,
        unitId: user.unitId,
        roles: user.roles,
        isActive,
        concurrencyStamp: user.concurrencyStamp,
      });
      await onChanged();
      return { user, isActive };
    },
    {
      onSuccess: ({ user, isActive }) =>
        message.success(isActive ? `已启用「${user.displayName}」` : `已停用「${user.displayName}」`),
      onError: (error) => message.error(errorMessage(error)),
    },
  );
  // Returns the run: the 停用 confirmation stays open, its button pending, until it answers.
  const setActive = (user: OrgUser, isActive: boolean) => toggling.run(user, isActive);
  const isToggling = (user: OrgUser) => toggling.pending && toggled === user.id;
  const secondFactorReset = useMutation(
    async (user: OrgUser) => {
      await orgApi.resetSecondFactor(user.id);
      await onChanged();
      return user;
    },
    {
      onSuccess: (user) => message.success(`已重置「${user.displayName}」的两步验证`),
      onError: (error) => message.error(errorMessage(error)),
    },
  );
  const resetSecondFactor = (user: OrgUser) => secondFactorReset.run(user);

  const columns: TableProps<OrgUser>['columns'] = [
    { title: '用户名', dataIndex: 'userName', key: 'userName', width: 130 },
    { title: '姓名', dataIndex: 'displayName', key: 'displayName', width: 110 },
    { title: '所属单位', dataIndex: 'unitName', key: 'unitName', width: 170, render: (v: string | null) => v ?? '—' },
    {
      title: '角色',
      dataIndex: 'roles',
      key: 'roles',
      render: (roles: string[]) =>
        roles.length === 0
          ? '—'
          : roles.map((r) => (
              <Tag key={r} color={r === '管理员' ? 'red' : 'blue'} bordered={false}>
                {r}
              </Tag>
            )),
    },
    {
      title: '状态',
      dataIndex: 'isActive',
      key: 'isActive',
      width: 80,
      render: (active: boolean) =>
        active ? (
          <Tag color="success" bordered={false}>
            在用
          </Tag>
        ) : (
          <Tag bordered={false}>停用</Tag>
        ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 200,
      render: (_: unknown, user) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing(user)}>
            编辑
          </Button>
          {mayEditPerson && (
            <Button type="link" size="small" onClick={() => setResetting(user)}>
              重置密码
            </Button>
          )}
          {user.secondFactor && mayGrant && (
            <Popconfirm
              title={`重置「${user.displayName}」的两步验证？`}
              description="清除其验证器密钥和恢复码，并使其退出登录；如其角色须使用两步验证，下次登录后须重新启用。"
              okText="重置"
              cancelText="取消"
              onConfirm={() => resetSecondFactor(user)}
            >
              <Button type="link" size="small">
                重置两步验证
              </Button>
            </Popconfirm>
          )}
          {user.id !== me.id &&
            mayEditPerson &&
            (user.isActive ? (
              <Popconfirm
                title={`停用「${user.displayName}」？`}
                description="停用后该账号不能登录，其待办需转给他人。"
                okText="停用"
                cancelText="取消"
                onConfirm={() => setActive(user, false)}
              >
                <Button type="link" size="small" danger loading={isToggling(user)}>
                  停用
                </Button>
              </Popconfirm>
            ) : (
              <Button type="link" size="small" loading={isToggling(user)} onClick={() => setActive(user, true)}>
                启用
              </Button>
            ))}
        </Space>
      ),
    },
  ];

  return (
    <div className="org-users">
      <div className="org-users-toolbar" role="search" aria-label="筛选人员">
        <Input.Search
          className="org-users-search"
          placeholder="搜索姓名或用户名"
          aria-label="搜索人员"
          allowClear
          onSearch={(q) => setFilter((f) => ({ ...f, q }))}
          onChange={(e) => e.target.value === '' && setFilter((f) => ({ ...f, q: '' }))}
        />
        <TreeSelect
          className="org-users-filter"
          aria-label="所属单位"
          placeholder="所属单位"
          allowClear
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          treeData={unitFilter}
          value={filter.unitId}
          onChange={(unitId: string | undefined) => setFilter((f) => ({ ...f, unitId }))}
        />
        <Select
          className="org-users-filter"
          aria-label="角色"
          placeholder="角色"
          allowClear
          options={roleNames.map((r) => ({ value: r, label: r }))}
          value={filter.role}
          onChange={(role: string | undefined) => setFilter((f) => ({ ...f, role }))}
        />
        <Select
          className="org-users-filter org-users-filter-narrow"
          aria-label="账号状态"
          placeholder="账号状态"
          allowClear
          options={[
            { value: 'active', label: '在用' },
            { value: 'inactive', label: '停用' },
          ]}
          value={filter.state}
          onChange={(state: 'active' | 'inactive' | undefined) => setFilter((f) => ({ ...f, state }))}
        />
        {mayEditPerson && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
            新增人员
          </Button>
        )}
      </div>
      <Table<OrgUser>
        data-testid="org-users-table"
        aria-label="人员列表"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 10, showTotal: (n) => `共 ${n} 人`, showSizeChanger: false }}
        scroll={{ x: 900 }}
      />
      <UserModal
        open={editing !== undefined}
        user={editing ?? null}
        units={units}
        roleNames={roleNames}
        mayEditPerson={mayEditPerson}
        mayGrant={mayGrant}
        onClose={() => setEditing(undefined)}
        onSaved={async (saved) => {
          setEditing(undefined);
          message.success(`已保存「${saved.displayName}」`);
          await onChanged();
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </div>
  );
}
