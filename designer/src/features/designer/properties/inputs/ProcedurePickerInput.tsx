import { Form, Select } from 'antd';
import { getLiteral, setLiteral } from '../../../../shared/flow';
import type { InputEditorProps } from './types';

/** `procedurePicker`: another procedure (a sub-process starts its published version). */
export function ProcedurePickerInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName } = input;
  return (
    <Form.Item label={displayName} required={input.required} help={input.description ?? undefined}>
      <Select
        aria-label={displayName}
        showSearch
        optionFilterProp="label"
        value={getLiteral<string>(activity, name) ?? undefined}
        options={context.procedures
          .filter((p) => p.definitionId !== context.definition.definitionId)
          .map((p) => ({ value: p.definitionId, label: p.name }))}
        onChange={(v: string) => set(setLiteral(activity, name, v, 'String'), name)}
      />
    </Form.Item>
  );
}
