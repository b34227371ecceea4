import { LockOutlined } from '@ant-design/icons';
import {
  App as AntdApp,
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Modal,
  Select,
  Space,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { errorMessage, isApiError, request } from '../../api/client';
import type { components } from '../../api/schema';
import { can, type Viewer } from '../../app/navigation';
import { unitTree, useDirectory } from '../../shared/forms/directory';
import { useQuery } from '../../shared/useQuery';
import './itemPanels.css';

type Schemas = components['schemas'];

/** GET /api/instances/{id}/readers: 限定知悉范围 and who is named (decision 037). */
export type ItemReaders = Schemas['ItemReadersView'];

/** What the start form and the office's 调整 dialog send. */
export type Restriction = Schemas['ItemReadersRequest'];

export const readersApi = {
  get: (instanceId: string, signal?: AbortSignal) =>
    request<ItemReaders>('GET', `/api/instances/${encodeURIComponent(instanceId)}/readers`, { signal }),
  save: (instanceId: string, body: Restriction) =>
    request<ItemReaders>('PUT', `/api/instances/${encodeURIComponent(instanceId)}/readers`, { body }),
};

/** 督查督办 (the office by default) registers confidential items and changes who knows of them. */
export function isOffice(user: Parameters<typeof can>[0]): boolean {
  return can(user, 'supervise');
}

const REASONS: Record<string, string> = {
  registered: '登记时指定',
  task: '承办待办',
  changed: '督查部门调整',
  inherited: '随上级事项',
};

/**
 * 限定知悉范围 by clicking: a box to tick, then the people and units to name. The registrant is always named; a unit or person
 * given a step is named by it; a step for a role (领导、督查员) reaches only the named holders of the role.
 */
export function RestrictionFields({
  value,
  onChange,
  fixedUsers = [],
  fixedUnits = [],
}: {
  value: Restriction;
  onChange: (next: Restriction) => void;
  fixedUsers?: string[];
  fixedUnits?: string[];
}) {
  const { directory } = useDirectory(true);
  const tree = useMemo(() => unitTree(directory.units), [directory.units]);
  const userIds = value.userIds ?? [];
  const unitIds = value.unitIds ?? [];
  return (
    <div className="restriction-fields" data-testid="restriction-fields">
      <Checkbox
        checked={value.restricted}
        onChange={(e) => onChange({ ...value, restricted: e.target.checked })}
        data-testid="restriction-toggle"
      >
        <Space size={4}>
          <LockOutlined aria-hidden />
          限定知悉范围（不宜公开的事项，只有名单中的人员和单位可以看到）
        </Space>
      </Checkbox>
      {value.restricted && (
        <>
          <Form layout="vertical" component="div" className="restriction-pickers">
            <Form.Item
              label="知悉人员"
              htmlFor="restriction-users"
              help="发起人始终在名单中。由角色办理的环节（如领导审批、督查员审核）只有名单中具有该角色的人员能看到，请把需要办理的领导和督查员加入名单。"
            >
              <Select
                id="restriction-users"
                mode="multiple"
                aria-label="知悉人员"
                placeholder="选择人员"
                showSearch
                optionFilterProp="label"
                value={userIds}
                options={directory.users.map((u) => ({
                  value: u.id,
                  label: u.unitName ? `${u.displayName}（${u.unitName}）` : u.displayName,
                  disabled: fixedUsers.includes(u.id),
                }))}
                onChange={(v: string[]) => onChange({ ...value, userIds: [...new Set([...fixedUsers, ...v])] })}
              />
            </Form.Item>
            <Form.Item
              label="知悉单位"
              htmlFor="restriction-units"
              help="选中单位的人员按本单位的权限查看。交办给某单位时，该单位自动加入名单。"
            >
              <TreeSelect
                id="restriction-units"
                multiple
                treeDefaultExpandAll
                aria-label="知悉单位"
                placeholder="选择单位"
                value={unitIds}
                treeData={tree}
                onChange={(v: string[]) => onChange({ ...value, unitIds: [...new Set([...fixedUnits, ...v])] })}
              />
            </Form.Item>
          </Form>
        </>
      )}
    </div>
  );
}

/** 知悉范围 on the item page: who is named and why; the office changes it in a dialog. */
export function ReadersPanel({
  instanceId,
  viewer,
  reloadToken,
  onChanged,
}: {
  instanceId: string;
  viewer: Viewer;
  reloadToken: number;
  onChanged: (stillVisible: boolean) => void;
}) {
  const { message } = AntdApp.useApp();
  const query = useQuery(['readers', instanceId, reloadToken], (signal) => readersApi.get(instanceId, signal));
  const readers = query.data ?? null;
  const [editing, setEditing] = useState<Restriction | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!readers) return null;
  // An ordinary item shows nothing to anyone but the office, who may restrict it.
  if (!readers.restricted && !readers.canChange) return null;
  const fixedUsers = readers.users.filter((u) => u.fixed).map((u) => u.id);
  const fixedUnits = readers.units.filter((u) => u.fixed).map((u) => u.id);

  const save = async () => {
    if (!editing) return;
    setSaving(true);
    setProblem(null);
    try {
      await readersApi.save(instanceId, editing);
      message.success(editing.restricted ? '知悉范围已更新' : '已取消限定知悉范围');
      setEditing(null);
      onChanged(true);
    } catch (error) {
      if (isApiError(error) && error.status === 404) {
        // The office member took himself off: the item is gone for him.
        setEditing(null);
        onChanged(false);
      } else {
        setProblem(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card
      className="page-section"
      size="small"
      data-testid="item-readers"
      title={
        <Space size={6}>
          <LockOutlined aria-hidden />
          知悉范围
          {readers.restricted ? <Tag color="purple">限定知悉范围</Tag> : <Tag>未限定</Tag>}
        </Space>
      }
      extra={
        readers.canChange && isOffice(viewer) ? (
          <Button
            size="small"
            onClick={() => {
              setProblem(null);
              setEditing({
                restricted: true,
                userIds: readers.users.map((u) => u.id),
                unitIds: readers.units.map((u) => u.id),
              });
            }}
          >
            调整知悉范围
          </Button>
        ) : null
      }
    >
      {readers.restricted ? (
        <dl className="readers-list">
          <dt>人员</dt>
          <dd data-testid="readers-users">
            {readers.users.map((u) => (
              <Tag key={u.id} title={`${REASONS[u.reason] ?? u.reason}${u.fixedWhy ? `；${u.fixedWhy}` : ''}`}>
                {u.name}
                {u.fixedWhy ? `（${u.fixedWhy}）` : ''}
              </Tag>
            ))}
          </dd>
          <dt>单位</dt>
          <dd data-testid="readers-units">
            {readers.units.length === 0 ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              readers.units.map((u) => (
                <Tag key={u.id} title={REASONS[u.reason] ?? u.reason}>
                  {u.name}
                  {u.reason === 'task' ? '（承办）' : ''}
                </Tag>
              ))
            )}
          </dd>
        </dl>
      ) : (
        <Typography.Text type="secondary">本事项未限定知悉范围，按一般权限查看。</Typography.Text>
      )}
      <Modal
        title="调整知悉范围"
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText="保存"
        cancelText="取消"
        confirmLoading={saving}
        destroyOnHidden
      >
        {problem && <Alert className="page-alert" type="error" showIcon role="alert" message={problem} />}
        {editing && (
          <RestrictionFields value={editing} onChange={setEditing} fixedUsers={fixedUsers} fixedUnits={fixedUnits} />
        )}
        <Typography.Paragraph type="secondary" className="readers-note">
          移出名单的人员立即看不到本事项；有未办结待办的人员和单位不能移出。每次调整都记入办理过程。
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
