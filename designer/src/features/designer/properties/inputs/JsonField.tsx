import { Form } from 'antd';
import { removeInput } from '../../../../shared/flow';
import { JsonInput } from '../editors';
import type { InputEditorProps } from './types';

/** `json`, and any hint this web app has no editor for yet: the raw `{ typeName, expression }` as JSON. */
export function JsonField({ activity, input, context, set }: InputEditorProps) {
  const { name } = input;
  return (
    <Form.Item label={input.displayName} help={input.description ?? undefined}>
      <JsonInput
        ariaLabel={`参数 ${name}`}
        value={activity[name]}
        disabled={context.readOnly}
        onChange={(v) =>
          set(v === undefined ? removeInput(activity, name) : { ...activity, [name]: v }, `other:${name}`)
        }
      />
    </Form.Item>
  );
}
