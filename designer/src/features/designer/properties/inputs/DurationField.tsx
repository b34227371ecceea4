import { Form } from 'antd';
import { getLiteral, removeInput, setLiteral } from '../../../../shared/flow';
import { DurationInput } from '../editors';
import type { InputEditorProps } from './types';

/** `duration`: an ISO 8601 duration picked as an amount and a unit. */
export function DurationField({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName } = input;
  return (
    <Form.Item label={displayName} required={input.required} help={input.description}>
      <DurationInput
        ariaLabel={input.editorOptions?.ariaLabel ?? displayName}
        value={getLiteral(activity, name)}
        disabled={context.readOnly}
        onChange={(v) =>
          set(v === undefined ? removeInput(activity, name) : setLiteral(activity, name, v, 'String'), name)
        }
      />
    </Form.Item>
  );
}
