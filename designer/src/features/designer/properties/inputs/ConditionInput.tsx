import { Form } from 'antd';
import { useMemo } from 'react';
import {
  CONDITION_EXPRESSION,
  conditionFields,
  getExpression,
  readCondition,
  removeInput,
  scriptToCondition,
  setScript,
  type ActivityInput,
  type JsonValue,
} from '../../../../shared/flow';
import { ConditionEditor, type ConditionValue } from '../ConditionEditor';
import type { InputEditorProps } from './types';

/** The input's expression as the condition editor holds it. */
export function readConditionValue(type: unknown, value: unknown): ConditionValue | undefined {
  if (type === CONDITION_EXPRESSION) {
    const group = readCondition(value);
    return group ? { kind: 'builder', group } : undefined;
  }
  if (type === 'JavaScript') {
    const script = typeof value === 'string' ? value : '';
    // A plain comparison of fields is shown as clicks; it is written as a built condition only when it is changed.
    const simple = scriptToCondition(script);
    return simple ? { kind: 'builder', group: simple } : { kind: 'script', script };
  }
  return undefined;
}

/**
 * `conditionBuilder`: a Decision's condition, built by clicking (`{ type: 'Condition', value }`) or written as a script
 * (「高级」, `{ type: 'JavaScript' }`); clearing it removes the input.
 */
export function ConditionInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  const fields = useMemo(() => conditionFields(context.definition), [context.definition]);
  const expression = getExpression(activity, name);
  const value = expression ? readConditionValue(expression.type, expression.value) : undefined;
  const write = (next: ConditionValue | undefined) => {
    if (!next) return set(removeInput(activity, name), name);
    if (next.kind === 'script') return set(setScript(activity, name, next.script, input.typeName), name);
    const existing = activity[name] as ActivityInput | undefined;
    set(
      {
        ...activity,
        [name]: {
          ...existing,
          typeName: input.typeName,
          expression: { type: CONDITION_EXPRESSION, value: next.group as unknown as JsonValue },
        },
      },
      name,
    );
  };
  return (
    <Form.Item label={displayName} required={input.required} help={input.description}>
      <ConditionEditor
        id={name}
        label={displayName}
        value={value}
        fields={fields}
        readOnly={context.readOnly}
        scriptHint={editorOptions?.scriptHint ?? undefined}
        onChange={write}
      />
    </Form.Item>
  );
}
