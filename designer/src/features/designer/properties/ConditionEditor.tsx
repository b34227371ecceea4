import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Input, InputNumber, Radio, Select, Space, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { unitTree, useDirectory, type Directory } from '../../../shared/forms/directory';
import {
  conditionComplete,
  conditionToScript,
  describeCondition,
  emptyCondition,
  fieldKind,
  isGroup,
  OP_LABELS,
  opsFor,
  unaryOp,
  type ConditionGroup,
  type ConditionNode,
  type ConditionOp,
  type ConditionRule,
  type FormField,
  type JsonValue,
  type NameOf,
} from '../../../shared/flow';
import { ScriptEditor } from '../script/ScriptEditor';

/** A condition as an editor holds it: built by clicking, or a script (「高级」). */
export type ConditionValue = { kind: 'builder'; group: ConditionGroup } | { kind: 'script'; script: string };

/** Names units and people by their names, for the words under the builder and on the canvas. */
export function directoryNames(directory: Directory): NameOf {
  return (field, value) =>
    field.type === 'unit' ? directory.unitName(value) : field.type === 'person' ? directory.userName(value) : undefined;
}

/**
 * Field → operator → value, in AND/OR groups; or a script as 「高级」. Values are picked from the field's options by
 * their labels, units and people from the organization by name, numbers and dates typed as numbers and dates. The
 * condition is written in words under the editor, as the canvas shows it.
 */
export function ConditionEditor({
  id,
  label,
  value,
  onChange,
  fields,
  readOnly,
  scriptHint,
}: {
  /** Prefix of test ids and accessible names (判断条件, 分支1条件). */
  id: string;
  label: string;
  value: ConditionValue | undefined;
  onChange: (next: ConditionValue | undefined) => void;
  fields: readonly FormField[];
  readOnly?: boolean;
  scriptHint?: string;
}) {
  const { directory } = useDirectory(true);
  const nameOf = useMemo(() => directoryNames(directory), [directory]);
  const mode = value?.kind ?? 'builder';
  const group = value?.kind === 'builder' ? value.group : emptyCondition();
  const words = value?.kind === 'builder' ? describeCondition(value.group, fields, nameOf) : '';
  return (
    <div className="condition-editor" data-testid={`condition-${id}`}>
      <Radio.Group
        size="small"
        optionType="button"
        value={mode}
        disabled={readOnly}
        aria-label={`${label}方式`}
        options={[
          { value: 'builder', label: '按条件设置' },
          { value: 'script', label: '高级（脚本）' },
        ]}
        onChange={(e) =>
          onChange(
            e.target.value === 'script'
              ? { kind: 'script', script: value?.kind === 'builder' ? conditionToScript(value.group) : '' }
              : { kind: 'builder', group: emptyCondition() },
          )
        }
      />
      {mode === 'script' ? (
        <ScriptEditor
          id={id}
          aria-label={label}
          value={value?.kind === 'script' ? value.script : ''}
          hint={scriptHint}
          placeholder="例如：item.amount > 10000"
          readOnly={readOnly}
          onChange={(v) => onChange({ kind: 'script', script: v })}
        />
      ) : (
        <>
          <GroupEditor
            path={label}
            group={group}
            fields={fields}
            directory={directory}
            readOnly={readOnly}
            top
            onChange={(g) => onChange({ kind: 'builder', group: g })}
          />
          <Typography.Text
            type={words && conditionComplete(group) ? 'secondary' : 'warning'}
            className="condition-editor__words"
            data-testid={`condition-${id}-words`}
          >
            {words && conditionComplete(group) ? `条件：${words}` : '请为每条条件选择字段、运算和值'}
          </Typography.Text>
        </>
      )}
    </div>
  );
}

function GroupEditor({
  path,
  group,
  fields,
  directory,
  readOnly,
  top,
  onChange,
  onRemove,
}: {
  path: string;
  group: ConditionGroup;
  fields: readonly FormField[];
  directory: Directory;
  readOnly?: boolean;
  top?: boolean;
  onChange: (next: ConditionGroup) => void;
  onRemove?: () => void;
}) {
  const setRule = (i: number, next: ConditionNode) =>
    onChange({ ...group, rules: group.rules.map((r, j) => (j === i ? next : r)) });
  const removeRule = (i: number) => onChange({ ...group, rules: group.rules.filter((_, j) => j !== i) });
  return (
    <div className={`condition-group${top ? '' : ' condition-group--nested'}`}>
      <Space size={4} wrap>
        <Select<'all' | 'any'>
          size="small"
          aria-label={`${path}的组合方式`}
          value={group.match}
          disabled={readOnly}
          style={{ width: 176 }}
          options={[
            { value: 'all', label: '全部满足（并且）' },
            { value: 'any', label: '任一满足（或者）' },
          ]}
          onChange={(match) => onChange({ ...group, match })}
        />
        {onRemove && (
          <Button
            size="small"
            type="text"
            icon={<DeleteOutlined />}
            aria-label={`删除${path}`}
            disabled={readOnly}
            onClick={onRemove}
          />
        )}
      </Space>
      {group.rules.map((rule, i) =>
        isGroup(rule) ? (
          <GroupEditor
            key={i}
            path={`${path}第${i + 1}组`}
            group={rule}
            fields={fields}
            directory={directory}
            readOnly={readOnly}
            onChange={(g) => setRule(i, g)}
            onRemove={() => removeRule(i)}
          />
        ) : (
          <RuleEditor
            key={i}
            path={`${path}第${i + 1}条`}
            rule={rule}
            fields={fields}
            directory={directory}
            readOnly={readOnly}
            onChange={(r) => setRule(i, r)}
            onRemove={() => removeRule(i)}
          />
        ),
      )}
      <Space size={4}>
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={readOnly}
          onClick={() => onChange({ ...group, rules: [...group.rules, { field: '', op: '' }] })}
        >
          添加条件
        </Button>
        {top && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            disabled={readOnly}
            onClick={() =>
              onChange({
                ...group,
                rules: [
                  ...group.rules,
                  { match: group.match === 'all' ? 'any' : 'all', rules: [{ field: '', op: '' }] },
                ],
              })
            }
          >
            添加条件组
          </Button>
        )}
      </Space>
    </div>
  );
}

function RuleEditor({
  path,
  rule,
  fields,
  directory,
  readOnly,
  onChange,
  onRemove,
}: {
  path: string;
  rule: ConditionRule;
  fields: readonly FormField[];
  directory: Directory;
  readOnly?: boolean;
  onChange: (next: ConditionRule) => void;
  onRemove: () => void;
}) {
  const field = fields.find((f) => f.key === rule.field);
  const ops = opsFor(field);
  return (
    <div className="condition-rule" data-testid="condition-rule">
      <Select
        size="small"
        aria-label={`${path}的字段`}
        placeholder="选择字段"
        showSearch
        optionFilterProp="label"
        value={rule.field || undefined}
        disabled={readOnly}
        status={rule.field && !field ? 'error' : undefined}
        style={{ width: '100%' }}
        options={fields.map((f) => ({ value: f.key, label: f.label }))}
        onChange={(key: string) => {
          const next = fields.find((f) => f.key === key);
          const first = opsFor(next)[0];
          onChange({ field: key, op: first, value: next && fieldKind(next) === 'boolean' ? true : undefined });
        }}
      />
      <Select<ConditionOp>
        size="small"
        aria-label={`${path}的运算`}
        placeholder="运算"
        value={(rule.op || undefined) as ConditionOp | undefined}
        disabled={readOnly || !field}
        style={{ width: 84 }}
        options={ops.map((op) => ({ value: op, label: OP_LABELS[op] }))}
        onChange={(op) =>
          onChange({
            ...rule,
            op,
            value: unaryOp(op)
              ? undefined
              : op === 'in'
                ? Array.isArray(rule.value)
                  ? rule.value
                  : rule.value !== undefined && rule.value !== null && rule.value !== ''
                    ? [rule.value]
                    : []
                : Array.isArray(rule.value)
                  ? rule.value[0]
                  : rule.value,
          })
        }
      />
      {field && rule.op && !unaryOp(rule.op) && (
        <ValueEditor
          label={`${path}的值`}
          field={field}
          many={rule.op === 'in'}
          value={rule.value}
          directory={directory}
          readOnly={readOnly}
          onChange={(v) => onChange({ ...rule, value: v })}
        />
      )}
      <Button
        size="small"
        type="text"
        icon={<DeleteOutlined />}
        aria-label={`删除${path}`}
        disabled={readOnly}
        onClick={onRemove}
      />
    </div>
  );
}

function ValueEditor({
  label,
  field,
  many,
  value,
  directory,
  readOnly,
  onChange,
}: {
  label: string;
  field: FormField;
  many: boolean;
  value: JsonValue | undefined;
  directory: Directory;
  readOnly?: boolean;
  onChange: (next: JsonValue | undefined) => void;
}) {
  const kind = fieldKind(field);
  const tree = useMemo(() => (kind === 'unit' ? unitTree(directory.units) : []), [kind, directory.units]);
  const width = { width: 150 };
  if (kind === 'choice' || kind === 'multiChoice') {
    return (
      <Select
        size="small"
        aria-label={label}
        placeholder="选择"
        mode={many ? 'multiple' : undefined}
        value={(value ?? undefined) as string | string[] | undefined}
        disabled={readOnly}
        style={width}
        options={(field.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
        onChange={(v: string | string[]) => onChange(v)}
      />
    );
  }
  if (kind === 'boolean') {
    return (
      <Select
        size="small"
        aria-label={label}
        value={value === false ? 'false' : 'true'}
        disabled={readOnly}
        style={{ width: 72 }}
        options={[
          { value: 'true', label: '已勾选' },
          { value: 'false', label: '未勾选' },
        ]}
        onChange={(v: string) => onChange(v === 'true')}
      />
    );
  }
  if (kind === 'unit') {
    return (
      <TreeSelect
        size="small"
        aria-label={label}
        placeholder="选择单位"
        multiple={many}
        treeDefaultExpandAll
        value={(value ?? undefined) as string | string[] | undefined}
        disabled={readOnly}
        style={width}
        treeData={tree}
        onChange={(v: string | string[]) => onChange(v)}
      />
    );
  }
  if (kind === 'person') {
    return (
      <Select
        size="small"
        aria-label={label}
        placeholder="选择人员"
        showSearch
        optionFilterProp="label"
        mode={many ? 'multiple' : undefined}
        value={(value ?? undefined) as string | string[] | undefined}
        disabled={readOnly}
        style={width}
        options={directory.users.map((u) => ({ value: u.id, label: u.displayName }))}
        onChange={(v: string | string[]) => onChange(v)}
      />
    );
  }
  if (kind === 'number') {
    return (
      <InputNumber
        size="small"
        aria-label={label}
        placeholder="数字"
        value={typeof value === 'number' ? value : null}
        disabled={readOnly}
        style={{ width: 110 }}
        onChange={(n) => onChange(n === null ? undefined : Number(n))}
      />
    );
  }
  if (kind === 'date') {
    return (
      <DatePicker
        size="small"
        aria-label={label}
        placeholder="选择日期"
        value={typeof value === 'string' && dayjs(value).isValid() ? dayjs(value) : null}
        disabled={readOnly}
        style={{ width: 130 }}
        onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : undefined)}
      />
    );
  }
  return (
    <Input
      size="small"
      aria-label={label}
      placeholder="值"
      value={typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)}
      disabled={readOnly}
      style={width}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    />
  );
}
