import { Form, Radio, Select } from 'antd';
import { getLiteral, setLiteral } from '../../../../shared/flow';
import type { InputEditorProps } from './types';

/** `radio` / `dropdown`: one of the declared options; absent means the declared default. */
export function ChoiceInput({ activity, input, set }: InputEditorProps) {
  const { name, displayName, typeName } = input;
  const options = (input.options ?? []).map((o) => ({ value: o.value, label: o.label }));
  const value =
    getLiteral<string>(activity, name) ?? (typeof input.defaultValue === 'string' ? input.defaultValue : undefined);
  const write = (v: string) => set(setLiteral(activity, name, v, typeName), name);
  return (
    <Form.Item label={displayName} help={input.description} required={input.required}>
      {input.uiHint === 'radio' ? (
        <Radio.Group value={value} onChange={(e) => write(e.target.value)} options={options} />
      ) : (
        <Select
          aria-label={input.editorOptions?.ariaLabel ?? displayName}
          value={value}
          options={options}
          onChange={(v: string) => write(v)}
        />
      )}
    </Form.Item>
  );
}
