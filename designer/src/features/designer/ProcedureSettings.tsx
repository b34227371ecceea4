import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Drawer, Form, Input, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import type { JsonObject, JsonValue, WorkflowDefinition } from '../../shared/flow';
import { DeadlineEditor } from './properties/DeadlineEditor';
import { ProcedureRules } from './ProcedureRules';
import { DeadlinePreview } from './procedure/DeadlinePreview';
import { ExtensionEditor } from './procedure/ExtensionEditor';
import { LightsEditor } from './procedure/LightsEditor';
import { NumberingEditor } from './procedure/NumberingEditor';
import { objectAt, withPart } from './procedure/options';
import { ProcedureLadder } from './procedure/ProcedureLadder';
import { StartersEditor } from './procedure/StartersEditor';
import { VariablesEditor } from './procedure/VariablesEditor';

/** options with its deadlines.item replaced (undefined: removed), the rest of options kept. */
export function withItemDeadline(
  options: JsonObject | null | undefined,
  item: JsonValue | undefined,
): JsonObject | null {
  const deadlines = { ...((options?.deadlines as JsonObject | undefined) ?? {}) };
  if (item === undefined) delete deadlines.item;
  else deadlines.item = item;
  const next: JsonObject = { ...(options ?? {}) };
  if (Object.keys(deadlines).length) next.deadlines = deadlines;
  else delete next.deadlines;
  return Object.keys(next).length ? next : null;
}

/** 默认时限: named limits steps refer to (e.g. 反馈 5 个工作日), each edited like any deadline. */
function DeadlinePresets({
  definition,
  onChange,
  disabled,
}: {
  definition: WorkflowDefinition;
  onChange: (options: JsonObject | null) => void;
  disabled?: boolean;
}) {
  const [name, setName] = useState('');
  const deadlines = objectAt(definition.options, 'deadlines') ?? {};
  const names = Object.keys(deadlines).filter((k) => k !== 'item');
  const write = (next: JsonObject) =>
    onChange(withPart(definition.options, 'deadlines', Object.keys(next).length ? next : undefined));
  const trimmed = name.trim();
  return (
    <div data-testid="deadline-presets">
      <Typography.Paragraph type="secondary">
        各环节的办理时限可以选用这里的默认时限，修改一处即对所有选用它的环节生效。
      </Typography.Paragraph>
      {names.map((preset) => (
        <div key={preset} className="deadline-preset">
          <Space className="deadline-preset__head">
            <Typography.Text strong>{preset}</Typography.Text>
            <Button
              size="small"
              type="text"
              icon={<DeleteOutlined />}
              aria-label={`删除默认时限${preset}`}
              disabled={disabled}
              onClick={() => {
                const next = { ...deadlines };
                delete next[preset];
                write(next);
              }}
            />
          </Space>
          <DeadlineEditor
            label={`「${preset}」时限`}
            value={deadlines[preset]}
            forms={definition.forms ?? []}
            presets={null}
            disabled={disabled}
            onChange={(v) => v !== undefined && write({ ...deadlines, [preset]: v })}
          />
          <DeadlinePreview deadline={deadlines[preset]} presets={deadlines} />
        </div>
      ))}
      <Space.Compact>
        <Input
          aria-label="新默认时限名称"
          placeholder="名称，如：反馈"
          value={name}
          maxLength={20}
          disabled={disabled}
          onChange={(e) => setName(e.target.value)}
        />
        <Button
          icon={<PlusOutlined />}
          disabled={disabled || trimmed === '' || trimmed === 'item' || trimmed in deadlines}
          onClick={() => {
            write({ ...deadlines, [trimmed]: { kind: 'workingDays', amount: 5 } });
            setName('');
          }}
        >
          添加默认时限
        </Button>
      </Space.Compact>
    </div>
  );
}

/**
 * 流程设置: every procedure setting as a form (decision 029) — name and description; who may start; numbering with the
 * next number; the item's deadline and named defaults with their dates on the organization's calendar; lights;
 * extensions; the procedure's own chasing ladder; variables. The definition's JSON is only imported and exported whole.
 */
export function ProcedureSettings({
  open,
  readOnly,
  definition,
  onClose,
  onChange,
}: {
  open: boolean;
  readOnly: boolean;
  definition: WorkflowDefinition;
  onClose: () => void;
  onChange: (patch: Partial<WorkflowDefinition>) => void;
}) {
  const options = definition.options;
  const setOptions = (next: JsonObject | null) => onChange({ options: next });
  const itemDeadline = objectAt(options, 'deadlines')?.item;
  const tabs = [
    {
      key: 'basic',
      label: '基本信息',
      children: (
        <>
          <Form.Item label="流程标识" help="导入导出、接口中使用，创建后不能修改">
            <Typography.Text code copyable>
              {definition.definitionId}
            </Typography.Text>
          </Form.Item>
          <Form.Item
            label="流程名称"
            required
            validateStatus={definition.name.trim() === '' ? 'error' : undefined}
            help={definition.name.trim() === '' ? '请填写流程名称' : undefined}
          >
            <Input
              aria-label="流程名称"
              value={definition.name}
              maxLength={200}
              onChange={(e) => onChange({ name: e.target.value })}
            />
          </Form.Item>
          <Form.Item label="说明">
            <Input.TextArea
              aria-label="流程说明"
              rows={3}
              value={definition.description ?? ''}
              onChange={(e) => onChange({ description: e.target.value === '' ? null : e.target.value })}
            />
          </Form.Item>
        </>
      ),
    },
    {
      key: 'starters',
      label: '发起权限',
      children: <StartersEditor options={options} onChange={setOptions} disabled={readOnly} />,
    },
    {
      key: 'numbering',
      label: '事项编号',
      children: (
        <>
          <NumberingEditor
            numbering={objectAt(options, 'numbering')}
            disabled={readOnly}
            onChange={(numbering) => setOptions(withPart(options, 'numbering', numbering))}
          />
          <ProcedureRules definition={definition} onChange={setOptions} only="numbering" />
        </>
      ),
    },
    {
      key: 'deadlines',
      label: '时限与红黄灯',
      children: (
        <>
          <div data-testid="item-deadline">
            <DeadlineEditor
              label="事项完成时限"
              forItem
              noneHelp="事项本身不设完成时限（各环节仍按各自的办理时限）；流程中的“设定完成时限”节点可按分支另行设定"
              value={itemDeadline}
              forms={definition.forms ?? []}
              presets={objectAt(options, 'deadlines') ?? null}
              disabled={readOnly}
              onChange={(item) => setOptions(withItemDeadline(options, item))}
            />
            <DeadlinePreview deadline={itemDeadline} presets={objectAt(options, 'deadlines')} />
          </div>
          <Typography.Title level={5}>默认时限</Typography.Title>
          <DeadlinePresets definition={definition} onChange={setOptions} disabled={readOnly} />
          <Typography.Title level={5}>红黄绿灯</Typography.Title>
          <LightsEditor options={options} onChange={setOptions} disabled={readOnly} />
        </>
      ),
    },
    {
      key: 'extensions',
      label: '延期申请',
      children: <ExtensionEditor definition={definition} onChange={setOptions} disabled={readOnly} />,
    },
    {
      key: 'ladder',
      label: '催办阶梯',
      children: <ProcedureLadder options={options} onChange={setOptions} disabled={readOnly} />,
    },
    {
      key: 'variables',
      label: '流程变量',
      children: (
        <VariablesEditor
          variables={definition.variables ?? []}
          disabled={readOnly}
          onChange={(variables) => onChange({ variables })}
        />
      ),
    },
  ];
  return (
    <Drawer title="流程设置" open={open} onClose={onClose} width={760} className="procedure-settings">
      <Form layout="vertical" disabled={readOnly} component="div">
        <Tabs items={tabs} />
      </Form>
    </Drawer>
  );
}
