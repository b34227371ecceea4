import { getLiteral, setLiteral, type JsonValue } from '../../../../shared/flow';
import type { AssigneeRule } from '../assignee';
import { AssigneeRuleEditor } from '../AssigneeRuleEditor';
import type { InputEditorProps } from './types';

/** `assigneeRule`: who does the step (or receives the notice). */
export function AssigneeInput({ activity, input, context, set }: InputEditorProps) {
  return (
    <AssigneeRuleEditor
      noun={input.editorOptions?.noun ?? undefined}
      value={getLiteral<AssigneeRule>(activity, input.name)}
      forms={context.forms}
      disabled={context.readOnly}
      onChange={(rule) => set(setLiteral(activity, input.name, rule as JsonValue), input.name)}
    />
  );
}
