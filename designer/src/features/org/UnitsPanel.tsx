import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  AutoComplete,
  Button,
  Empty,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Tag,
  Tree,
  TreeSelect,
  Typography,
} from 'antd';
import type { TreeDataNode } from 'antd';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { errorMessage, isApiError } from '../../api/client';
import { mapServerErrors } from '../../shared/formErrors';
import { useMutation } from '../../shared/useMutation';
import { orgApi, type OrgUser, type SaveUnit, type Unit } from './orgApi';
import { buildUnitTree, subtreeIds, toTreeSelect, unitPath, type UnitNode } from './unitTree';

const KINDS = ['机关', '督查部门', '承办单位', '领导班子'];
const FIELDS = ['id', 'name', 'parentId', 'kind', 'leaderUserId', 'supervisorUserId', 'sortOrder', 'isActive'] as const;

interface UnitForm {
  id: string;
  name: string;
  parentId: string | null;
  kind: string | null;
  leaderUserId: string | null;
  supervisorUserId: string | null;
  sortOrder: number | null;
  isActive: boolean;
}

/** Editing: an existing unit; creating: a new one under `parentId`. */
type Mode = { kind: 'edit'; id: string } | { kind: 'create'; parentId: string | null } | { kind: 'none' };

function treeData(nodes: UnitNode<Unit>[]): TreeDataNode[] {
  return nodes.map(({ unit, children }) => ({
    key: unit.id,
    title: (
      <span className={unit.isActive ? 'org-tree-title' : 'org-tree-title org-tree-title-disabled'} data-unit={unit.id}>
        {unit.name}
        {unit.kind ? <span className="org-tree-kind">{unit.kind}</span> : null}
        {!unit.isActive && (
          <Tag bordered={false} className="org-tree-tag">
            已停用
          </Tag>
        )}
      </span>
    ),
    children: children.length > 0 ? treeData(children) : undefined,
  }));
}

export function UnitsPanel({
  units,
  users,
  onChanged,
}: {
  units: Unit[];
  users: OrgUser[];
  onChanged: () => Promise<Unit[]>;
}) {
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<UnitForm>();
  // The title of a new unit follows the 上级单位 field: picking or clearing a parent changes where it goes.
  const chosenParent = Form.useWatch('parentId', form);
  const [mode, setMode] = useState<Mode>({ kind: 'none' });
  const [showDisabled, setShowDisabled] = useState(true);
  const [problems, setProblems] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);

  const visible = useMemo(() => (showDisabled ? units : units.filter((u) => u.isActive)), [units, showDisabled]);
  const tree = useMemo(() => treeData(buildUnitTree(visible)), [visible]);
  const allKeys = useMemo(() => units.map((u) => u.id), [units]);
  const current = mode.kind === 'edit' ? units.find((u) => u.id === mode.id) : undefined;

  // The parent picker: not the unit itself, nothing under it, and no disabled unit (unless it is the present parent).
  const parentOptions = useMemo(() => {
    const blocked = current ? subtreeIds(units, current.id) : new Set<string>();
    return toTreeSelect(buildUnitTree(units), (u) => blocked.has(u.id) || (!u.isActive && u.id !== current?.parentId));
  }, [units, current]);
  const personOptions = (kept: string | null | undefined) =>
    users
      .filter((u) => u.isActive || u.id === kept)
      .map((u) => ({ value: u.id, label: u.unitName ? `${u.displayName}（${u.unitName}）` : u.displayName }));
  const leaderOptions = personOptions(current?.leaderUserId);
  // 分管领导: leaders first (they usually are), but anyone of the organization may be named.
  const supervisorOptions = personOptions(current?.supervisorUserId).sort(
    (a, b) => Number(isLeader(users, b.value)) - Number(isLeader(users, a.value)),
  );

  // A new selection (or the unit reloaded with a new version) starts without the last save's problems …
  const [shownFor, setShownFor] = useState({ mode, version: current?.version });
  if (shownFor.mode !== mode || shownFor.version !== current?.version) {
    setShownFor({ mode, version: current?.version });
    setProblems([]);
    setConflict(false);
  }
  // … and with the form filled from it. Not when the list reloads with the same version: that would undo typing.
  const currentRef = useRef(current);
  useLayoutEffect(() => {
    currentRef.current = current;
  });
  useEffect(() => {
    const current = currentRef.current;
    if (mode.kind === 'edit' && current) {
      form.resetFields();
      form.setFieldsValue({
        id: current.id,
        name: current.name,
        parentId: current.parentId,
        kind: current.kind,
        leaderUserId: current.leaderUserId,
        supervisorUserId: current.supervisorUserId ?? null,
        sortOrder: current.sortOrder,
        isActive: current.isActive,
      });
    } else if (mode.kind === 'create') {
      form.resetFields();
      form.setFieldsValue({
        id: '',
        name: '',
        parentId: mode.parentId,
        kind: '承办单位',
        leaderUserId: null,
        supervisorUserId: null,
        // Left empty: the server places the unit after its siblings under whichever parent is chosen.
        sortOrder: null,
        isActive: true,
      });
    }
  }, [mode, current?.version, form]);

  // A save answers after the lists are reloaded: the form stays pending until the tree shows the change.
  const saving = useMutation(
    async (values: UnitForm): Promise<{ created: boolean; unit: Unit } | null> => {
      const body: SaveUnit = {
        name: values.name,
        parentId: values.parentId ?? null,
        kind: values.kind?.trim() || null,
        leaderUserId: values.leaderUserId ?? null,
        supervisorUserId: values.supervisorUserId ?? null,
        sortOrder: values.sortOrder ?? null,
      };
      if (mode.kind === 'create') {
        const created = await orgApi.createUnit({ ...body, id: values.id.trim() });
        await onChanged();
        return { created: true, unit: created };
      }
      if (current) {
        const saved = await orgApi.updateUnit(current.id, {
          ...body,
          isActive: values.isActive,
          version: current.version,
        });
        await onChanged();
        return { created: false, unit: saved };
      }
      return null;
    },
    {
      onSuccess: (result) => {
        if (!result) return;
        if (result.created) {
          message.success(`已新增单位「${result.unit.name}」`);
          setMode({ kind: 'edit', id: result.unit.id });
        } else message.success(`已保存「${result.unit.name}」`);
      },
      onError: (error) => {
        if (isApiError(error) && error.status === 409) {
          setConflict(true);
          setProblems([error.message]);
        } else setProblems(mapServerErrors(form, error, { fields: FIELDS }));
      },
    },
  );

  function save(values: UnitForm) {
    setProblems([]);
    setConflict(false);
    void saving.run(values);
  }

  async function reload() {
    setConflict(false);
    setProblems([]);
    try {
      await onChanged();
    } catch (error) {
      message.error(errorMessage(error));
    }
  }

  const newParent = mode.kind === 'create' ? (chosenParent === undefined ? mode.parentId : chosenParent) : null;
  const title =
    mode.kind === 'create'
      ? newParent
        ? `在「${units.find((u) => u.id === newParent)?.name ?? newParent}」下新增单位`
        : '新增单位'
      : current
        ? unitPath(units, current.id).join(' / ')
        : '';

  return (
    <div className="org-units">
      <section className="org-units-tree" aria-label="单位树">
        <div className="org-units-tree-toolbar">
          {/* The organization's root is its own (decision 035): a new unit goes under it unless another parent is picked. */}
          <Button
            icon={<PlusOutlined />}
            onClick={() => setMode({ kind: 'create', parentId: units.find((u) => !u.parentId)?.id ?? null })}
          >
            新增单位
          </Button>
          <span className="org-switch">
            <Switch size="small" checked={showDisabled} onChange={setShowDisabled} aria-label="显示已停用的单位" />
            显示已停用
          </span>
        </div>
        {tree.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无单位" />
        ) : (
          <Tree
            blockNode
            showLine
            defaultExpandedKeys={allKeys}
            treeData={tree}
            selectedKeys={mode.kind === 'edit' ? [mode.id] : []}
            onSelect={(keys) => {
              if (keys.length > 0) setMode({ kind: 'edit', id: String(keys[0]) });
            }}
          />
        )}
      </section>

      <section className="org-units-form" aria-label="单位信息">
        {mode.kind === 'none' || (mode.kind === 'edit' && !current) ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="在左侧选择一个单位进行编辑，或新增单位" />
        ) : (
          <>
            <Typography.Title level={5} className="org-form-title">
              {title}
            </Typography.Title>
            {problems.length > 0 && (
              <Alert
                className="org-form-alert"
                type={conflict ? 'warning' : 'error'}
                showIcon
                message={problems.join('；')}
                action={
                  conflict ? (
                    <Button size="small" onClick={reload}>
                      刷新
                    </Button>
                  ) : undefined
                }
              />
            )}
            <Form<UnitForm>
              form={form}
              layout="vertical"
              onFinish={save}
              disabled={saving.pending}
              onValuesChange={(changed: Partial<UnitForm>) => {
                // A new parent: unless an order is typed, the unit goes after its new siblings.
                if (
                  'parentId' in changed &&
                  mode.kind === 'edit' &&
                  (changed.parentId ?? null) !== (current?.parentId ?? null)
                )
                  form.setFieldValue('sortOrder', null);
              }}
            >
              <div className="org-form-grid">
                <Form.Item
                  name="name"
                  label="单位名称"
                  rules={[
                    { required: true, whitespace: true, message: '请填写单位名称' },
                    { max: 200, message: '单位名称不超过 200 个字符' },
                  ]}
                >
                  <Input placeholder="如：法制处" />
                </Form.Item>
                <Form.Item
                  name="id"
                  label="单位编码"
                  tooltip="在流程和表单中引用单位时使用；创建后不能修改"
                  rules={
                    mode.kind === 'create'
                      ? [
                          { required: true, whitespace: true, message: '请填写单位编码' },
                          { pattern: /^[A-Za-z0-9_-]+$/, message: '单位编码只能包含字母、数字、- 和 _' },
                          { max: 64, message: '单位编码不超过 64 个字符' },
                        ]
                      : []
                  }
                >
                  <Input placeholder="如：fzc" disabled={mode.kind !== 'create'} />
                </Form.Item>
                <Form.Item
                  name="parentId"
                  label="上级单位"
                  tooltip="移动单位：选择新的上级（本组织的根单位除外，其他单位都须有上级）"
                >
                  <TreeSelect
                    allowClear
                    showSearch
                    treeNodeFilterProp="title"
                    treeDefaultExpandAll
                    treeData={parentOptions}
                    placeholder="（顶级单位）"
                  />
                </Form.Item>
                <Form.Item name="kind" label="单位类别" rules={[{ max: 50, message: '单位类别不超过 50 个字符' }]}>
                  <AutoComplete options={KINDS.map((k) => ({ value: k }))} placeholder="如：承办单位" />
                </Form.Item>
                <Form.Item name="leaderUserId" label="单位负责人">
                  <Select
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    options={leaderOptions}
                    placeholder="选择负责人"
                  />
                </Form.Item>
                <Form.Item
                  name="supervisorUserId"
                  label="分管领导"
                  tooltip="审批本单位延期申请等事项的领导；不设置时沿用上级单位的分管领导"
                >
                  <Select
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    options={supervisorOptions}
                    placeholder="选择分管领导（可不设）"
                  />
                </Form.Item>
                <Form.Item name="sortOrder" label="排序号" tooltip="同一上级下按排序号从小到大排列">
                  <InputNumber
                    min={0}
                    max={1000000}
                    precision={0}
                    style={{ width: '100%' }}
                    placeholder="不填则排在同级最后"
                  />
                </Form.Item>
                {mode.kind === 'edit' && (
                  <Form.Item
                    name="isActive"
                    label="状态"
                    valuePropName="checked"
                    tooltip="停用的单位保留在已有事项中，但不能再交办、不能再加入人员"
                  >
                    <Switch checkedChildren="在用" unCheckedChildren="停用" />
                  </Form.Item>
                )}
              </div>
              <Space wrap>
                <Button type="primary" htmlType="submit" loading={saving.pending}>
                  {mode.kind === 'create' ? '新增' : '保存'}
                </Button>
                {mode.kind === 'edit' && current?.isActive && (
                  <Button icon={<PlusOutlined />} onClick={() => setMode({ kind: 'create', parentId: current.id })}>
                    新增下级单位
                  </Button>
                )}
                {mode.kind === 'create' && <Button onClick={() => setMode({ kind: 'none' })}>取消</Button>}
              </Space>
            </Form>
          </>
        )}
      </section>
    </div>
  );
}

function isLeader(users: { id: string; roles: string[] }[], id: string): boolean {
  return users.find((u) => u.id === id)?.roles.includes('领导') ?? false;
}
