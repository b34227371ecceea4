import { Form } from 'antd';
import { getLiteral, setLiteral, type FieldPermission } from '../../../../shared/flow';
import { FieldPermissionsEditor } from '../editors';
import type { InputEditorProps } from './types';

/** `fieldPermissions`: per field of the form the related input names; shown once that form exists. */
export function FieldPermissionsInput({ activity, input, context, set }: InputEditorProps) {
  const formId = getLiteral<string>(activity, input.editorOptions?.relatedInput ?? 'form');
  const form = context.forms.find((f) => f.id === formId);
  if (!form) return null;
  return (
    <Form.Item label={input.displayName}>
      <FieldPermissionsEditor
        form={form}
        value={getLiteral<Record<string, FieldPermission>>(activity, input.name) ?? {}}
        disabled={context.readOnly}
        onChange={(p) => set(setLiteral(activity, input.name, p), input.name)}
      />
    </Form.Item>
  );
}
