import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, InputNumber, Select, Switch, Table, Typography } from 'antd';
import type { JsonValue, WorkflowDefinition } from '../../../shared/flow';
import { VARIABLE_TYPES, variableProblem, type VariableRow } from './options';

type Variables = WorkflowDefinition['variables'];

/** 流程变量: name, type and starting value per row — values the flow keeps besides the forms (e.g. 是否已重办). */
export function VariablesEditor({
  variables,
  onChange,
  disabled,
}: {
  variables: Variables;
  onChange: (next: Variables) => void;
  disabled?: boolean;
}) {
  const rows = (variables ?? []) as VariableRow[];
  const set = (index: number, patch: Partial<VariableRow>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)) as Variables);
  const typeOf = (row: VariableRow) => VARIABLE_TYPES.find((t) => t.value === row.typeName);
  return (
    <div data-testid="variables-editor">
      <Table<VariableRow & { index: number }>
        size="small"
        pagination={false}
        rowKey="index"
        dataSource={rows.map((r, index) => ({ ...r, index }))}
        locale={{ emptyText: '没有流程变量' }}
        columns={[
          {
            title: '变量名',
            render: (_, row) => {
              const problem = variableProblem(rows, row.index);
              return (
                <>
                  <Input
                    aria-label={`变量名${row.index + 1}`}
                    value={row.name}
                    disabled={disabled}
                    status={problem ? 'error' : undefined}
                    onChange={(e) => set(row.index, { name: e.target.value.trim() })}
                  />
                  {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
                </>
              );
            },
          },
          {
            title: '类型',
            width: 110,
            render: (_, row) => (
              <Select
                aria-label={`变量类型${row.index + 1}`}
                value={typeOf(row) ? row.typeName : undefined}
                placeholder={row.typeName}
                disabled={disabled}
                style={{ width: '100%' }}
                options={VARIABLE_TYPES.map((t) => ({ value: t.value, label: t.label }))}
                onChange={(typeName: string) =>
                  set(row.index, { typeName, value: VARIABLE_TYPES.find((t) => t.value === typeName)!.empty })
                }
              />
            ),
          },
          {
            title: '初始值',
            width: 150,
            render: (_, row) =>
              row.typeName === 'Boolean' ? (
                <Switch
                  aria-label={`变量初始值${row.index + 1}`}
                  checkedChildren="是"
                  unCheckedChildren="否"
                  checked={row.value === true}
                  disabled={disabled}
                  onChange={(v) => set(row.index, { value: v })}
                />
              ) : row.typeName === 'Number' ? (
                <InputNumber
                  aria-label={`变量初始值${row.index + 1}`}
                  value={typeof row.value === 'number' ? row.value : null}
                  disabled={disabled}
                  onChange={(v) => set(row.index, { value: v ?? 0 })}
                />
              ) : row.typeName === 'String' ? (
                <Input
                  aria-label={`变量初始值${row.index + 1}`}
                  value={typeof row.value === 'string' ? row.value : ''}
                  disabled={disabled}
                  onChange={(e) => set(row.index, { value: e.target.value })}
                />
              ) : (
                <Typography.Text type="secondary">（由流程设置）</Typography.Text>
              ),
          },
          {
            title: '',
            width: 40,
            render: (_, row) => (
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={`删除变量${row.name || row.index + 1}`}
                disabled={disabled}
                onClick={() => onChange(rows.filter((_, i) => i !== row.index) as Variables)}
              />
            ),
          },
        ]}
      />
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={disabled}
        className="variables-add"
        onClick={() => {
          let n = rows.length + 1;
          while (rows.some((r) => r.name === `var${n}`)) n++;
          onChange([...rows, { name: `var${n}`, typeName: 'Boolean', value: false as JsonValue }] as Variables);
        }}
      >
        添加变量
      </Button>
    </div>
  );
}
