import { Form } from 'antd';
import { getScript, removeInput, setScript } from '../../../../shared/flow';
import { ScriptEditor } from '../../script/ScriptEditor';
import type { InputEditorProps } from './types';

/** `script`: JavaScript, syntax-checked as it is typed; an empty script removes the input. */
export function ScriptInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, typeName, editorOptions } = input;
  return (
    <Form.Item label={displayName} required={input.required} help={input.description}>
      <ScriptEditor
        id={name}
        aria-label={displayName}
        minHeight={editorOptions?.rows ? editorOptions.rows * 20 : undefined}
        value={getScript(activity, name) ?? ''}
        hint={editorOptions?.scriptHint ?? undefined}
        placeholder={editorOptions?.placeholder ?? undefined}
        readOnly={context.readOnly}
        onChange={(v) =>
          set(v.trim() === '' ? removeInput(activity, name) : setScript(activity, name, v, typeName), name)
        }
      />
    </Form.Item>
  );
}
