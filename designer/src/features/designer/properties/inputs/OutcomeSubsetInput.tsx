import { Form, Select } from 'antd';
import { getLiteral, removeInput, setLiteral } from '../../../../shared/flow';
import { kebab, stringList, type InputEditorProps } from './types';

/**
 * `outcomeSubset`: some of another input's outcomes (e.g. 限期内才可选的结果, offered only until the step's deadline),
 * never all of them: one always stays open.
 */
export function OutcomeSubsetInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  const source = editorOptions?.outcomesInput ?? 'outcomes';
  const sourceDefault = stringList(
    context.descriptors.get(activity.type)?.inputs?.find((i) => i.name === source)?.defaultValue,
  );
  const outcomes = stringList(getLiteral(activity, source)) ?? sourceDefault ?? ['提交'];
  const value = (stringList(getLiteral(activity, name)) ?? []).filter((o) => outcomes.includes(o));
  return (
    <Form.Item label={displayName} help={input.description ?? undefined}>
      <Select
        mode="multiple"
        allowClear
        data-testid={kebab(name)}
        aria-label={displayName}
        placeholder={editorOptions?.placeholder ?? undefined}
        disabled={context.readOnly}
        value={value}
        options={outcomes.map((o) => ({
          value: o,
          label: o,
          disabled: !value.includes(o) && value.length >= outcomes.length - 1,
        }))}
        onChange={(list: string[]) =>
          set(list.length === 0 ? removeInput(activity, name) : setLiteral(activity, name, list), name)
        }
      />
    </Form.Item>
  );
}
