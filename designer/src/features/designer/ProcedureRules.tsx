import { Form, Select } from 'antd';
import type { JsonObject, JsonValue, WorkflowDefinition } from '../../shared/flow';

/** One choice of a procedure rule kept in the definition's options; undefined means the product's default. */
type Rule = {
  /** Path in options, e.g. ['extensions', 'units']. */
  path: [string, string];
  label: string;
  help: string;
  choices: { value: string; label: string }[];
  /** The value used when the option is not set (shown as the default). */
  fallback: string;
  /** Shown only when the options already have the object (e.g. numbering), so it is not switched on by accident. */
  needsParent?: boolean;
};

const rules: Rule[] = [
  {
    path: ['extensions', 'units'],
    label: '延期适用范围',
    help: '批准延期后，哪些单位的在办环节一并延至新的时限（均记入事项日志，催办按新时限）',
    choices: [
      { value: 'leadAndCo', label: '申请单位及其协办单位（默认）' },
      { value: 'lead', label: '仅申请单位' },
      { value: 'all', label: '事项的全部承办单位' },
    ],
    fallback: 'leadAndCo',
  },
  {
    path: ['extensions', 'restDay'],
    label: '延期至休息日',
    help: '申请的新时限落在周末或法定节假日（按本单位工作日历）时如何处理',
    choices: [
      { value: 'warn', label: '照填，并提醒审批人（默认）' },
      { value: 'move', label: '自动顺延至下一个工作日' },
      { value: 'refuse', label: '不予受理，提示下一个工作日' },
    ],
    fallback: 'warn',
  },
  {
    path: ['numbering', 'assignAt'],
    label: '编号时机',
    help: '何时给事项编号；未通过审定的事项不占用编号',
    choices: [
      { value: 'registration', label: '登记时（默认）' },
      { value: 'approval', label: '审定同意时' },
      { value: 'firstAssign', label: '首次交办时' },
    ],
    fallback: 'registration',
    needsParent: true,
  },
];

function read(options: JsonObject | null | undefined, [outer, inner]: [string, string]): string | undefined {
  const parent = options?.[outer];
  if (!parent || typeof parent !== 'object' || Array.isArray(parent)) return undefined;
  const value = (parent as JsonObject)[inner];
  return typeof value === 'string' ? value : undefined;
}

function write(options: JsonObject | null | undefined, [outer, inner]: [string, string], value: string): JsonObject {
  const parent = options?.[outer];
  const next: JsonObject =
    parent && typeof parent === 'object' && !Array.isArray(parent) ? { ...(parent as JsonObject) } : {};
  next[inner] = value as JsonValue;
  return { ...(options ?? {}), [outer]: next };
}

/** 督办规则: the procedure's rules an administrator picks from lists instead of typing JSON (docs/decisions/023). */
export function ProcedureRules({
  definition,
  onChange,
  only,
}: {
  definition: WorkflowDefinition;
  onChange: (options: JsonObject) => void;
  /** Only the rules of one part of the options (流程设置 shows each part under its own tab). */
  only?: 'extensions' | 'numbering';
}) {
  const options = definition.options;
  const humanSteps = definition.root.activities
    .filter((a) => a.type === 'Duban.UserTask')
    .map((a) => ({ value: a.id, label: a.name ?? a.id }));
  return (
    <>
      {rules
        .filter((rule) => !only || rule.path[0] === only)
        .filter((rule) => !rule.needsParent || options?.[rule.path[0]])
        .map((rule) => {
          const id = `rule-${rule.path.join('-')}`;
          return (
            <Form.Item key={id} label={rule.label} help={rule.help} htmlFor={id}>
              <Select
                id={id}
                aria-label={rule.label}
                value={read(options, rule.path) ?? rule.fallback}
                options={rule.choices}
                onChange={(value: string) => onChange(write(options, rule.path, value))}
              />
            </Form.Item>
          );
        })}
      {(!only || only === 'numbering') && read(options, ['numbering', 'assignAt']) === 'approval' && (
        <Form.Item label="审定环节" help="该环节以第一个办理结果（如“同意”）完成时编号" htmlFor="rule-numbering-step">
          <Select
            id="rule-numbering-step"
            aria-label="审定环节"
            value={read(options, ['numbering', 'step'])}
            options={humanSteps}
            placeholder="选择审定环节"
            onChange={(value: string) => onChange(write(options, ['numbering', 'step'], value))}
          />
        </Form.Item>
      )}
    </>
  );
}
