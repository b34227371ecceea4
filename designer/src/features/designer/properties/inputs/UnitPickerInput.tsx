import { Form, Radio, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { unitTree, useDirectory } from '../../../../shared/forms/directory';
import { getLiteral, getScript, removeInput, setLiteral, setScript } from '../../../../shared/flow';
import { ScriptEditor } from '../../script/ScriptEditor';
import type { InputEditorProps } from './types';

/** `unitPicker`: units from the organization (one, or several with `multiple`), or a script that names them. */
export function UnitPickerInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  const multiple = editorOptions?.multiple === true;
  const { directory } = useDirectory(true);
  const tree = useMemo(() => unitTree(directory.units), [directory.units]);
  const script = getScript(activity, name);
  const literal = getLiteral(activity, name);
  const units = (Array.isArray(literal) ? literal : typeof literal === 'string' ? [literal] : []).filter(
    (x): x is string => typeof x === 'string',
  );
  return (
    <Form.Item label={displayName} required={input.required}>
      <Radio.Group
        size="small"
        optionType="button"
        value={script !== undefined ? 'script' : 'units'}
        options={[
          { value: 'units', label: '选择单位' },
          { value: 'script', label: '脚本（取表单）' },
        ]}
        onChange={(e) =>
          set(e.target.value === 'script' ? setScript(activity, name, '', 'Object') : removeInput(activity, name), name)
        }
      />
      {script !== undefined ? (
        <ScriptEditor
          id={name}
          aria-label={displayName}
          value={script}
          hint={editorOptions?.scriptHint ?? undefined}
          readOnly={context.readOnly}
          onChange={(v) => set(setScript(activity, name, v, 'Object'), name)}
        />
      ) : (
        <TreeSelect
          aria-label={displayName}
          multiple={multiple}
          treeDefaultExpandAll
          value={multiple ? units : units[0]}
          treeData={tree}
          placeholder="选择单位"
          allowClear
          onChange={(v: string | string[] | undefined) => {
            const list = Array.isArray(v) ? v : v ? [v] : [];
            set(
              list.length ? setLiteral(activity, name, multiple ? list : list[0]) : removeInput(activity, name),
              name,
            );
          }}
        />
      )}
    </Form.Item>
  );
}
