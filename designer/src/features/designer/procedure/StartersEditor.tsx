import { Checkbox, Form, Select, TreeSelect, Typography } from 'antd';
import { useMemo } from 'react';
import { unitTree, useDirectory } from '../../../shared/forms/directory';
import { rolesApi } from '../../../shared/flow/definitionsApi';
import type { JsonObject } from '../../../shared/flow';
import { useQuery } from '../../../shared/useQuery';
import { objectAt, strings, withField, withPart } from './options';

/**
 * 谁可以发起 (options.starters: roles and units; a unit includes the units under it) and 流程管理员 (options.administrators:
 * who gets a step nobody else is found for, when the step says so). Nobody picked: everyone may start, as before.
 */
export function StartersEditor({
  options,
  onChange,
  disabled,
}: {
  options: JsonObject | null | undefined;
  onChange: (next: JsonObject | null) => void;
  disabled?: boolean;
}) {
  const { directory } = useDirectory(true);
  const tree = useMemo(() => unitTree(directory.units), [directory.units]);
  const roles = useQuery(['roles'], () => rolesApi.list());
  const starters = objectAt(options, 'starters');
  const roleList = strings(starters?.roles);
  const unitList = strings(starters?.units);
  const setStarters = (field: 'roles' | 'units', values: string[]) =>
    onChange(withPart(options, 'starters', withField(starters, field, values.length ? values : undefined)));
  const everyone = roleList.length === 0 && unitList.length === 0;
  return (
    <div data-testid="starters-editor">
      <Form.Item label="可发起的角色" htmlFor="starter-roles">
        <Select
          id="starter-roles"
          mode="multiple"
          aria-label="可发起的角色"
          placeholder="不限角色"
          value={roleList}
          disabled={disabled}
          options={(roles.data ?? []).map((r) => ({ value: r, label: r }))}
          onChange={(v: string[]) => setStarters('roles', v)}
        />
      </Form.Item>
      <Form.Item label="可发起的单位" help="选中的单位及其下属单位的人员可以发起" htmlFor="starter-units">
        <TreeSelect
          id="starter-units"
          multiple
          treeDefaultExpandAll
          aria-label="可发起的单位"
          placeholder="不限单位"
          value={unitList}
          treeData={tree}
          disabled={disabled}
          onChange={(v: string[]) => setStarters('units', v)}
        />
      </Form.Item>
      <Typography.Paragraph type={everyone ? 'warning' : 'secondary'} data-testid="starters-summary">
        {everyone
          ? '目前所有人都可以在“发起”中看到并发起本流程。'
          : `只有${[roleList.length ? `角色为 ${roleList.join('、')} 的人员` : '', unitList.length ? `${unitList.map((u) => directory.unitName(u) ?? u).join('、')} 的人员` : ''].filter(Boolean).join('，或')}可以发起本流程。`}
      </Typography.Paragraph>
      <Form.Item
        label="流程管理员"
        help="环节找不到办理人且设置为“转交流程管理员”时由他们办理；不选则交给系统管理员角色"
        htmlFor="procedure-admins"
      >
        <Select
          id="procedure-admins"
          mode="multiple"
          aria-label="流程管理员"
          placeholder="系统管理员"
          showSearch
          optionFilterProp="label"
          value={strings(options?.administrators)}
          disabled={disabled}
          options={directory.users.map((u) => ({
            value: u.id,
            label: u.unitName ? `${u.displayName}（${u.unitName}）` : u.displayName,
          }))}
          onChange={(v: string[]) => onChange(withPart(options, 'administrators', v.length ? v : undefined))}
        />
      </Form.Item>
      <Form.Item
        label="知悉范围"
        help="勾选后，督查部门登记本流程的事项时默认“限定知悉范围”（登记时仍可取消或指定知悉人员和单位）；单位人员发起的事项不受影响"
      >
        <Checkbox
          checked={options?.restricted === true}
          disabled={disabled}
          onChange={(e) => onChange(withPart(options, 'restricted', e.target.checked ? true : undefined))}
          data-testid="default-restricted"
        >
          默认限定知悉范围
        </Checkbox>
      </Form.Item>
    </div>
  );
}
