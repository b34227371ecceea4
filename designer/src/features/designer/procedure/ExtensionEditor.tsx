import { Checkbox, Form } from 'antd';
import type { JsonObject, WorkflowDefinition } from '../../../shared/flow';
import { ProcedureRules } from '../ProcedureRules';
import { objectAt, strings, withField, withPart } from './options';

/** 延期: who approves a request (督查部门, then 领导), whether a late request is accepted, and the rules of decision 023. */
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
  const stages = strings(extensions?.approval);
  const leader = stages.includes('leader');
  return (
    <div data-testid="extension-editor">
      <Form.Item label="延期审批" help="延期申请须在时限届满前提出，先由督查部门审核">
        <Checkbox checked disabled>
          督查部门审核
        </Checkbox>
        <Checkbox
          checked={leader}
          disabled={disabled}
          onChange={(e) =>
            onChange(
              withPart(
                options,
                'extensions',
                withField(extensions, 'approval', e.target.checked ? ['office', 'leader'] : undefined),
              ),
            )
          }
        >
          再报领导审批
        </Checkbox>
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
