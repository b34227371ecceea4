import { Drawer, Form, Input, Typography } from 'antd';
import type { JsonObject, JsonValue, WorkflowDefinition } from '../../shared/flow';
import { DeadlineEditor } from './properties/DeadlineEditor';
import { ProcedureRules } from './ProcedureRules';
import { JsonInput } from './properties/editors';

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

/** 流程设置: name, description, variables and the procedure options (deadlines, lights, numbering …) as JSON. */
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
  return (
    <Drawer title="流程设置" open={open} onClose={onClose} width={480}>
      <Form layout="vertical" disabled={readOnly} component="div">
        <Form.Item label="流程标识">
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
        <div data-testid="item-deadline">
          <DeadlineEditor
            label="事项完成时限"
            forItem
            noneHelp="事项本身不设完成时限（各环节仍按各自的办理时限）；流程中的“设定完成时限”节点可按分支另行设定"
            value={(definition.options?.deadlines as JsonObject | undefined)?.item}
            forms={definition.forms ?? []}
            presets={(definition.options?.deadlines as JsonObject | undefined) ?? null}
            disabled={readOnly}
            onChange={(item) => onChange({ options: withItemDeadline(definition.options, item) })}
          />
        </div>
        <ProcedureRules definition={definition} onChange={(options) => onChange({ options })} />
        <Form.Item
          label="流程选项（JSON）"
          help="督办设置，如 deadlines（默认时限：item、feedback …）、lights（红黄绿灯）、extensions（延期）、ladder（催办阶梯）、numbering（编号规则）"
        >
          <JsonInput
            ariaLabel="流程选项"
            rows={10}
            value={definition.options ?? undefined}
            onChange={(v) =>
              onChange({ options: v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : null })
            }
          />
        </Form.Item>
        <Form.Item label="流程变量（JSON 数组）" help='如 [{ "name": "count", "typeName": "Number", "value": 0 }]'>
          <JsonInput
            ariaLabel="流程变量"
            rows={4}
            value={definition.variables ?? []}
            onChange={(v) =>
              onChange({ variables: Array.isArray(v) ? (v as unknown as WorkflowDefinition['variables']) : [] })
            }
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
