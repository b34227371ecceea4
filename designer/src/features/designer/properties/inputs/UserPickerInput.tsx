import { Form, Select } from 'antd';
import { useDirectory } from '../../../../shared/forms/directory';
import { getLiteral, removeInput, setLiteral } from '../../../../shared/flow';
import type { InputEditorProps } from './types';

/** `userPicker`: one person of the organization, by name (and unit). */
export function UserPickerInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName } = input;
  const { directory } = useDirectory(true);
  const value = getLiteral<string>(activity, name);
  return (
    <Form.Item label={displayName} help={input.description} required={input.required}>
      <Select
        aria-label={displayName}
        showSearch
        allowClear
        optionFilterProp="label"
        placeholder="选择人员"
        disabled={context.readOnly}
        value={typeof value === 'string' ? value : undefined}
        options={directory.users.map((u) => ({
          value: u.id,
          label: u.unitName ? `${u.displayName}（${u.unitName}）` : u.displayName,
        }))}
        onChange={(v: string | undefined) =>
          set(v ? setLiteral(activity, name, v, 'String') : removeInput(activity, name), name)
        }
      />
    </Form.Item>
  );
}
