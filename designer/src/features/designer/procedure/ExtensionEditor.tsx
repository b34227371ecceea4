import { Checkbox, Form } from 'antd';
import type { JsonObject, WorkflowDefinition } from '../../../shared/flow';
import { ProcedureRules } from '../ProcedureRules';
import { objectAt, strings, withField, withPart } from './options';

const STAGES = [
  { value: 'office', label: '督查部门审核' },
  { value: 'supervisor', label: '分管领导审批' },
  { value: 'leader', label: '领导审批' },
];

/**
 * 延期: who approves a request (督查部门, the asking unit's 分管领导, 领导 — any of them, in that order), whether a late
 * request is accepted, and the rules of decision 023.
 */
export function ExtensionEditor({
  definition,
  onChange,
  disabled,
}: {
  definition: WorkflowDefinition;
  onChange: (next: JsonObject | null) => void;
  disabled?: boolean;
}) {
  const options = definition.options;
  const extensions = objectAt(options, 'extensions');
  const given = strings(extensions?.approval);
  const stages = given.length > 0 ? given : ['office'];
  const toggle = (stage: string, on: boolean) => {
    // In the regulation's order: the office, the asking unit's 分管领导, then a 领导; at least one of them.
    const next = STAGES.map((s) => s.value).filter((s) => (s === stage ? on : stages.includes(s)));
    if (next.length === 0) return;
    const isDefault = next.length === 1 && next[0] === 'office';
    onChange(withPart(options, 'extensions', withField(extensions, 'approval', isDefault ? undefined : next)));
  };
  return (
    <div data-testid="extension-editor">
      <Form.Item
        label="延期审批"
        help="按所选顺序逐级审批，至少选一级；分管领导为申请单位（或其上级单位）在“组织”中设置的分管领导，未设置时由领导审批"
      >
        {STAGES.map((stage) => (
          <Checkbox
            key={stage.value}
            checked={stages.includes(stage.value)}
            disabled={disabled || (stages.length === 1 && stages[0] === stage.value)}
            onChange={(e) => toggle(stage.value, e.target.checked)}
          >
            {stage.label}
          </Checkbox>
        ))}
      </Form.Item>
      <Form.Item label="逾期后申请">
        <Checkbox
          checked={extensions?.allowLate === true}
          disabled={disabled}
          onChange={(e) =>
            onChange(
              withPart(options, 'extensions', withField(extensions, 'allowLate', e.target.checked ? true : undefined)),
            )
          }
        >
          允许已逾期的单位申请延期
        </Checkbox>
      </Form.Item>
      <ProcedureRules definition={definition} onChange={(next) => onChange(next)} only="extensions" />
    </div>
  );
}
