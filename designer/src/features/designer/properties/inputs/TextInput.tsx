import { Form, Input } from 'antd';
import { getLiteral, removeInput, setLiteral } from '../../../../shared/flow';
import type { InputEditorProps } from './types';

/** `singleLine` / `multiLine`: plain text; an empty text removes the input. */
export function TextInput({ activity, input, set }: InputEditorProps) {
  const { name, displayName, typeName } = input;
  const write = (text: string) =>
    set(text === '' ? removeInput(activity, name) : setLiteral(activity, name, text, typeName), name);
  const value = getLiteral<string>(activity, name) ?? '';
  return (
    <Form.Item label={displayName} help={input.description} required={input.required}>
      {input.uiHint === 'multiLine' ? (
        <Input.TextArea
          aria-label={displayName}
          rows={input.editorOptions?.rows ?? 2}
          value={value}
          onChange={(e) => write(e.target.value)}
        />
      ) : (
        <Input
          aria-label={displayName}
          value={value}
          placeholder={input.editorOptions?.placeholder ?? undefined}
          onChange={(e) => write(e.target.value)}
        />
      )}
    </Form.Item>
  );
}
