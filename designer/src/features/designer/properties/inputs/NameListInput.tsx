import { Form } from 'antd';
import { getLiteral, removeInput, setLiteral } from '../../../../shared/flow';
import { NameListEditor } from '../editors';
import { stringList, type InputEditorProps } from './types';

/**
 * `nameList`: distinct names; when they are ports (a fork's branches) a renamed entry takes its connections along. An
 * empty list removes the input (the engine's default applies). A step's `outcomes` have their own editor
 * (OutcomesInput: the same list, and a "sends back" checkbox per outcome).
 */
export function NameListInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  const fallback = stringList(input.defaultValue) ?? [];
  const ports = editorOptions?.ports === true;
  return (
    <Form.Item label={displayName} help={input.description ?? undefined}>
      <NameListEditor
        testId={name}
        addLabel={editorOptions?.addLabel ?? '添加'}
        minItems={editorOptions?.minItems ?? 0}
        value={stringList(getLiteral(activity, name)) ?? fallback}
        disabled={context.readOnly}
        onChange={(list, renamed) =>
          set(list.length ? setLiteral(activity, name, list) : removeInput(activity, name), name, {
            portRenames: ports && list.length ? renamed : {},
          })
        }
      />
    </Form.Item>
  );
}
