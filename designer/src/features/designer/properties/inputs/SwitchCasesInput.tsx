import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space } from 'antd';
import { getLiteral, setLiteral } from '../../../../shared/flow';
import { ScriptEditor } from '../../script/ScriptEditor';
import type { InputEditorProps } from './types';

interface SwitchCase {
  label: string;
  condition: string;
}

function readCases(raw: unknown): SwitchCase[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((c: unknown) => {
    const o = c && typeof c === 'object' ? (c as Record<string, unknown>) : {};
    return {
      label: typeof o.label === 'string' ? o.label : '',
      condition: typeof o.condition === 'string' ? o.condition : '',
    };
  });
}

/** `switchCases`: a switch's cases in order, each a name (a port) and a condition. */
export function SwitchCasesInput({ activity, input, context, set }: InputEditorProps) {
  const { name } = input;
  const cases = readCases(getLiteral(activity, name));
  const write = (next: SwitchCase[], renamed: Record<string, string> = {}) =>
    set(
      setLiteral(
        activity,
        name,
        next.map((c) => ({ label: c.label, condition: c.condition })),
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
                onClick={() => write(cases.filter((_, j) => j !== i))}
              />
            </Space.Compact>
            <ScriptEditor
              id={`case-${i}`}
              aria-label={`分支${i + 1}条件`}
              value={c.condition}
              placeholder="条件，例如 item.level === '省级'"
              readOnly={context.readOnly}
              onChange={(v) => write(cases.map((x, j) => (j === i ? { ...x, condition: v } : x)))}
            />
          </div>
        ))}
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => {
            let n = cases.length + 1;
            while (cases.some((c) => c.label === `分支${n}`)) n++;
            write([...cases, { label: `分支${n}`, condition: '' }]);
          }}
        >
          添加分支
        </Button>
      </div>
    </Form.Item>
  );
}
