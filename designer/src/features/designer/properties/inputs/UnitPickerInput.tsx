import { Form, Radio, Select, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { unitTree, useDirectory } from '../../../../shared/forms/directory';
import { getLiteral, getScript, removeInput, setLiteral, setScript } from '../../../../shared/flow';
import { ScriptEditor } from '../../script/ScriptEditor';
import type { InputEditorProps } from './types';

type Mode = 'units' | 'field' | 'script';

/**
 * `unitPicker`: fixed units of the organization (one, or several with `multiple`), the units picked in a form field
 * (`{ field: key }`, e.g. the 主办单位 chosen at registration), or — 高级 — a script that names them.
 */
export function UnitPickerInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  const multiple = editorOptions?.multiple === true;
  const { directory } = useDirectory(true);
  const tree = useMemo(() => unitTree(directory.units), [directory.units]);
  const script = getScript(activity, name);
  const literal = getLiteral(activity, name);
  const field =
    literal && typeof literal === 'object' && !Array.isArray(literal) && typeof literal.field === 'string'
      ? literal.field
      : undefined;
  const mode: Mode = script !== undefined ? 'script' : field !== undefined ? 'field' : 'units';
  const units = (Array.isArray(literal) ? literal : typeof literal === 'string' ? [literal] : []).filter(
    (x): x is string => typeof x === 'string',
  );
  // Unit fields of the procedure's forms, by label; one field per key (the same key in two forms is one value).
  const unitFields = [
    ...new Map(
      context.forms
        .flatMap((f) => f.fields)
        .filter((f) => f.type === 'unit')
        .map((f) => [f.key, f] as const),
    ).values(),
  ];
  return (
    <Form.Item label={displayName} required={input.required} help={input.description}>
      <Radio.Group
        size="small"
        optionType="button"
        value={mode}
        aria-label={`${displayName}来源`}
        options={[
          { value: 'units', label: '指定单位' },
          { value: 'field', label: '取表单字段' },
          { value: 'script', label: '高级（脚本）' },
        ]}
        onChange={(e) => {
          const next = e.target.value as Mode;
          set(
            next === 'script'
              ? setScript(activity, name, '', 'Object')
              : next === 'field' && unitFields.length === 1
                ? setLiteral(activity, name, { field: unitFields[0].key })
                : next === 'field'
                  ? setLiteral(activity, name, { field: '' })
                  : removeInput(activity, name),
            name,
          );
        }}
      />
      {mode === 'script' && (
        <ScriptEditor
          id={name}
          aria-label={displayName}
          value={script ?? ''}
          hint={editorOptions?.scriptHint ?? undefined}
          readOnly={context.readOnly}
          onChange={(v) => set(setScript(activity, name, v, 'Object'), name)}
        />
      )}
      {mode === 'field' && (
        <Select
          aria-label={`${displayName}取自字段`}
          placeholder={unitFields.length ? '选择表单中的单位字段' : '表单中还没有“单位选择”字段'}
          value={field || undefined}
          options={unitFields.map((f) => ({
            value: f.key,
            label: f.multiple && !multiple ? `${f.label}（多选，只能用于协办）` : f.label,
            disabled: !!f.multiple && !multiple,
          }))}
          onChange={(key: string) => set(setLiteral(activity, name, { field: key }), name)}
        />
      )}
      {mode === 'units' && (
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
