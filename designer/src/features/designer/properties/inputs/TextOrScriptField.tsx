import { Form } from 'antd';
import { TextOrScriptInput } from '../editors';
import { expressionValue, withExpression, type InputEditorProps } from './types';

/** `textOrScript`: fixed text, or a script that computes it. */
export function TextOrScriptField({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  return (
    <Form.Item label={displayName} help={input.description} required={input.required}>
      <TextOrScriptInput
        id={name}
        ariaLabel={displayName}
        value={expressionValue(activity, name)}
        placeholder={editorOptions?.placeholder ?? undefined}
        scriptHint={editorOptions?.scriptHint ?? undefined}
        disabled={context.readOnly}
        onChange={(v) => set(withExpression(activity, name, v, input.typeName), name)}
      />
    </Form.Item>
  );
}
