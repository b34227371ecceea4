import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space } from 'antd';
import { useMemo } from 'react';
import {
  CONDITION_EXPRESSION,
  conditionFields,
  emptyCondition,
  getLiteral,
  setLiteral,
  type JsonValue,
} from '../../../../shared/flow';
import { ConditionEditor, type ConditionValue } from '../ConditionEditor';
import { readConditionValue } from './ConditionInput';
import type { InputEditorProps } from './types';

interface SwitchCase {
  label: string;
  condition: ConditionValue | undefined;
  /** The case as stored, so what this editor does not know survives. */
  raw: Record<string, unknown>;
}

/** A case's condition: `{ type, value }` as Elsa writes it, or (older definitions) the script's text. */
function readCaseCondition(condition: unknown): ConditionValue | undefined {
  if (typeof condition === 'string') return readConditionValue('JavaScript', condition);
  if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
    const o = condition as { type?: unknown; value?: unknown };
    return readConditionValue(o.type, o.value);
  }
  return undefined;
}

function writeCaseCondition(condition: ConditionValue | undefined): JsonValue {
  if (!condition) return null;
  // A script stays the plain text older definitions and the shipped templates have; a built one is Elsa's expression.
  if (condition.kind === 'script') return condition.script;
  return { type: CONDITION_EXPRESSION, value: condition.group as unknown as JsonValue };
}

function readCases(raw: unknown): SwitchCase[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((c: unknown) => {
    const o = c && typeof c === 'object' ? (c as Record<string, unknown>) : {};
    return {
      label: typeof o.label === 'string' ? o.label : '',
      condition: readCaseCondition(o.condition),
      raw: o,
    };
  });
}

/** `switchCases`: a switch's cases in order, each a name (a port) and a condition built by clicking (or a script). */
export function SwitchCasesInput({ activity, input, context, set }: InputEditorProps) {
  const { name } = input;
  const fields = useMemo(() => conditionFields(context.definition), [context.definition]);
  const cases = readCases(getLiteral(activity, name));
  const write = (next: SwitchCase[], renamed: Record<string, string> = {}) =>
    set(
      setLiteral(
        activity,
        name,
        next.map((c) => ({
          ...(c.raw as Record<string, JsonValue>),
          label: c.label,
          condition: writeCaseCondition(c.condition),
        })),
      ),
      name,
      { portRenames: renamed },
    );
  return (
    <Form.Item label={input.displayName} help={input.description ?? undefined}>
      <div className="switch-cases" data-testid="switch-cases">
        {cases.map((c, i) => (
          <div key={i} className="switch-cases__case">
            <Space.Compact block>
              <Input
                aria-label={`分支${i + 1}名称`}
                value={c.label}
                disabled={context.readOnly}
                status={
                  c.label.trim() === '' || cases.some((o, j) => j !== i && o.label === c.label) ? 'error' : undefined
                }
                onChange={(e) => {
                  const next = cases.map((x, j) => (j === i ? { ...x, label: e.target.value } : x));
                  write(next, c.label && e.target.value ? { [c.label]: e.target.value } : {});
                }}
              />
              <Button
                aria-label={`删除分支${i + 1}`}
                icon={<DeleteOutlined />}
                disabled={context.readOnly}
                onClick={() => write(cases.filter((_, j) => j !== i))}
              />
            </Space.Compact>
            <ConditionEditor
              id={`case-${i}`}
              label={`分支${i + 1}条件`}
              value={c.condition}
              fields={fields}
              readOnly={context.readOnly}
              onChange={(v) => write(cases.map((x, j) => (j === i ? { ...x, condition: v } : x)))}
            />
          </div>
        ))}
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={context.readOnly}
          onClick={() => {
            let n = cases.length + 1;
            while (cases.some((c) => c.label === `分支${n}`)) n++;
            write([...cases, { label: `分支${n}`, condition: { kind: 'builder', group: emptyCondition() }, raw: {} }]);
          }}
        >
          添加分支
        </Button>
      </div>
    </Form.Item>
  );
}
