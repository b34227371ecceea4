import { Form, Select, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { unitTree, useDirectory } from '../../../shared/forms/directory';
import { rolesApi } from '../../../shared/flow/definitionsApi';
import type { FormDefinition } from '../../../shared/flow';
import {
  ASSIGNEE_RULE_TYPES,
  changeRuleType,
  FIELD_RULES,
  UNIT_FIELD_RULES,
  type AssigneeRule,
  type AssigneeRuleType,
} from './assignee';

let rolesCache: Promise<string[]> | undefined;
function loadRoles(): Promise<string[]> {
  rolesCache ??= rolesApi.list().catch((e: unknown) => {
    rolesCache = undefined;
    throw e;
  });
  return rolesCache;
}

export interface AssigneeRuleEditorProps {
  value: AssigneeRule | undefined;
  onChange: (rule: AssigneeRule) => void;
  forms: readonly FormDefinition[];
  disabled?: boolean;
  /** Label prefix: 办理人 / 接收人. */
  noun?: string;
}

/** Picks who does a step: type of rule, then people / role / units / field from the live organization. */
export function AssigneeRuleEditor({ value, onChange, forms, disabled, noun = '办理人' }: AssigneeRuleEditorProps) {
  const { directory, loading } = useDirectory(true);
  const [roles, setRoles] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    loadRoles()
      .then((r) => live && setRoles(r))
      .catch(() => live && setRoles([]));
    return () => {
      live = false;
    };
  }, []);
  const tree = useMemo(() => unitTree(directory.units), [directory.units]);
  const fieldOptions = useMemo(() => {
    const seen = new Set<string>();
    const options: { value: string; label: string }[] = [];
    for (const form of forms)
      for (const f of form.fields) {
        if (seen.has(f.key)) continue;
        seen.add(f.key);
        if (f.type === 'unit' || f.type === 'person')
          options.push({ value: f.key, label: `${f.label}（${form.name}）` });
      }
    return options;
  }, [forms]);
  // The head of a unit: only “单位” fields name one.
  const unitFieldOptions = useMemo(
    () =>
      fieldOptions.filter((o) => forms.some((form) => form.fields.some((f) => f.key === o.value && f.type === 'unit'))),
    [fieldOptions, forms],
  );
  const type = value?.type as AssigneeRuleType | undefined;
  const help = ASSIGNEE_RULE_TYPES.find((t) => t.value === type)?.help;

  return (
    <>
      <Form.Item label={`${noun}规则`} required help={help}>
        <Select
          aria-label={`${noun}规则`}
          data-testid="assignee-type"
          value={type}
          placeholder="请选择"
          disabled={disabled}
          options={ASSIGNEE_RULE_TYPES.map((t) => ({ value: t.value, label: t.label }))}
          onChange={(t: AssigneeRuleType) => onChange(changeRuleType(value, t))}
        />
      </Form.Item>
      {type === 'users' && (
        <Form.Item label="人员" required>
          <Select
            mode="multiple"
            aria-label="人员"
            data-testid="assignee-users"
            loading={loading}
            disabled={disabled}
            value={value?.userIds ?? []}
            optionFilterProp="label"
            placeholder="选择人员"
            options={directory.users.map((u) => ({
              value: u.id,
              label: u.unitName ? `${u.displayName}（${u.unitName}）` : u.displayName,
            }))}
            onChange={(userIds: string[]) => onChange({ ...value!, userIds })}
          />
        </Form.Item>
      )}
      {type === 'role' && (
        <Form.Item label="角色" required>
          <Select
            aria-label="角色"
            data-testid="assignee-role"
            disabled={disabled}
            value={value?.role ?? undefined}
            placeholder="选择角色"
            options={roles.map((r) => ({ value: r, label: r }))}
            onChange={(role: string) => onChange({ ...value!, role })}
          />
        </Form.Item>
      )}
      {(type === 'unit' || type === 'role' || type === 'unitLeader' || type === 'unitSupervisor') && (
        <Form.Item
          label={type === 'unit' ? '单位' : '限定单位（可选）'}
          required={type === 'unit'}
          help={type === 'role' ? '不选则全机关该角色的人员均可办理' : undefined}
        >
          <TreeSelect
            aria-label="单位"
            data-testid="assignee-units"
            multiple
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            loading={loading}
            disabled={disabled}
            value={value?.unitIds ?? []}
            treeData={tree}
            placeholder="选择单位"
            onChange={(unitIds: string[]) => {
              const next: AssigneeRule = { ...value!, unitIds };
              if (unitIds.length === 0 && type !== 'unit') delete next.unitIds;
              onChange(next);
            }}
          />
        </Form.Item>
      )}
      {type !== undefined && FIELD_RULES.includes(type) && (
        <Form.Item label="表单字段" required>
          {(type !== undefined && UNIT_FIELD_RULES.includes(type) ? unitFieldOptions : fieldOptions).length === 0 ? (
            <Typography.Text type="warning">表单中还没有“单位”或“人员”字段，请先在表单设计中添加。</Typography.Text>
          ) : (
            <Select
              aria-label="表单字段"
              disabled={disabled}
              value={value?.field ?? undefined}
              placeholder="选择字段"
              options={type !== undefined && UNIT_FIELD_RULES.includes(type) ? unitFieldOptions : fieldOptions}
              onChange={(field: string) => onChange({ ...value!, field })}
            />
          )}
        </Form.Item>
      )}
    </>
  );
}
