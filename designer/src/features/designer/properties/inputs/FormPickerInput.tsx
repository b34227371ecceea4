import { Form, Select, Typography } from 'antd';
import { Link } from 'react-router';
import { getLiteral, removeInput, setLiteral } from '../../../../shared/flow';
import type { InputEditorProps } from './types';

/** `formPicker`: one of the procedure's forms; choosing none also clears the permissions input tied to it. */
export function FormPickerInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName } = input;
  const { forms, definition } = context;
  const formId = getLiteral<string>(activity, name);
  const form = forms.find((f) => f.id === formId);
  const permissions = input.editorOptions?.relatedInput;
  const formsLink = `/forms?definition=${encodeURIComponent(definition.definitionId)}${formId ? `&form=${encodeURIComponent(formId)}` : ''}`;
  return (
    <Form.Item
      label={displayName}
      help={
        forms.length === 0 ? (
          <span>
            该流程还没有表单，请先到 <Link to={formsLink}>表单设计</Link> 新建
          </span>
        ) : formId && !form ? (
          <Typography.Text type="danger">表单「{formId}」不存在</Typography.Text>
        ) : (
          <Link to={formsLink}>在表单设计中编辑</Link>
        )
      }
    >
      <Select
        aria-label={displayName}
        data-testid={`select-${name}`}
        allowClear
        placeholder="不使用表单"
        value={formId ?? undefined}
        options={forms.map((f) => ({ value: f.id, label: f.name }))}
        onChange={(id: string | undefined) => {
          const cleared = removeInput(activity, name);
          set(
            id ? setLiteral(activity, name, id, 'String') : permissions ? removeInput(cleared, permissions) : cleared,
            name,
          );
        }}
      />
    </Form.Item>
  );
}
