import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Checkbox,
  Collapse,
  Divider,
  Form,
  Input,
  Radio,
  Select,
  Space,
  TreeSelect,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { unitTree, useDirectory } from '../../../shared/forms/directory';
import {
  ActivityTypes,
  getExpression,
  getInput,
  getLiteral,
  getScript,
  inputNames,
  removeInput,
  setLiteral,
  setScript,
  typeLabel,
  type ActivityNode,
  type DescriptorIndex,
  type FieldPermission,
  type FormDefinition,
  type JsonValue,
  type WorkflowDefinition,
} from '../../../shared/flow';
import { ScriptEditor } from '../script/ScriptEditor';
import type { AssigneeRule } from './assignee';
import { AssigneeRuleEditor } from './AssigneeRuleEditor';
import { DeadlineEditor } from './DeadlineEditor';
import {
  DurationInput,
  FieldPermissionsEditor,
  JsonInput,
  NameListEditor,
  TextOrScriptInput,
  type ExpressionValue,
} from './editors';

export interface ActivityChange {
  /** Commits with the same key in quick succession merge into one undo step (typing). */
  mergeKey?: string;
  /** Ports renamed by this change (old → new), so their connections follow. */
  portRenames?: Record<string, string>;
}

export interface PropertyPanelProps {
  activity: ActivityNode;
  definition: WorkflowDefinition;
  descriptors: DescriptorIndex;
  /** Messages from the last validation for this node. */
  errors?: string[];
  readOnly?: boolean;
  /** Other procedures (for 子流程). */
  procedures: { definitionId: string; name: string }[];
  onChange: (activity: ActivityNode, change?: ActivityChange) => void;
  /** Rename the node id; returns a problem message or null when done. */
  onRename: (id: string) => string | null;
}

const SCRIPT_HINT = '可用：form（本次提交）、item（事项数据）、vars（流程变量）、user（当前办理人）';

/** Inputs each built-in type's panel edits itself; anything else shows under “其他参数”. */
const HANDLED: Record<string, string[]> = {
  [ActivityTypes.start]: ['form', 'fieldPermissions', 'title'],
  [ActivityTypes.userTask]: [
    'assignee',
    'form',
    'fieldPermissions',
    'outcomes',
    'outcomesUntilDue',
    'countersign',
    'dueIn',
    'deadline',
    'instructions',
  ],
  [ActivityTypes.notify]: ['assignee', 'message', 'wait'],
  [ActivityTypes.decision]: ['condition'],
  [ActivityTypes.switch]: ['cases'],
  [ActivityTypes.fork]: ['branches'],
  [ActivityTypes.join]: ['mode'],
  [ActivityTypes.timer]: ['duration', 'until'],
  [ActivityTypes.setVariables]: ['script'],
  [ActivityTypes.subProcess]: ['definitionId', 'items'],
  [ActivityTypes.end]: ['result'],
  'Duban.Assign': [
    'unitsFrom',
    'lead',
    'co',
    'completion',
    'form',
    'fieldPermissions',
    'coForm',
    'coFieldPermissions',
    'outcomes',
    'instructions',
    'coInstructions',
    'dueIn',
    'coDueIn',
    'deadline',
  ],
};

/** Generic sections for activity types this panel has no page for (added on the server later). */
const GENERIC_HANDLED = ['outcomes', 'form', 'fieldPermissions', 'instructions', 'deadline', 'dueIn'];

function expressionValue(activity: ActivityNode, name: string): ExpressionValue | undefined {
  const e = getExpression(activity, name);
  if (!e) return undefined;
  if (e.type === 'JavaScript') return { type: 'JavaScript', value: typeof e.value === 'string' ? e.value : '' };
  return { type: 'Literal', value: (e.value ?? null) as JsonValue };
}

function withExpression(
  activity: ActivityNode,
  name: string,
  value: ExpressionValue | undefined,
  typeName = 'String',
): ActivityNode {
  if (!value) return removeInput(activity, name);
  return value.type === 'JavaScript'
    ? setScript(activity, name, value.value, typeName)
    : setLiteral(activity, name, value.value, typeName);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : undefined;
}

export function PropertyPanel(props: PropertyPanelProps) {
  const { activity, definition, descriptors, errors, readOnly, onChange, onRename } = props;
  const descriptor = descriptors.get(activity.type);
  const forms = useMemo(() => definition.forms ?? [], [definition.forms]);
  const known = activity.type in HANDLED;
  const handled = HANDLED[activity.type] ?? GENERIC_HANDLED;
  const others = inputNames(activity).filter((n) => !handled.includes(n));
  const set = (next: ActivityNode, input: string, change?: ActivityChange) =>
    onChange(next, { mergeKey: `${activity.id}:${input}`, ...change });

  return (
    <Form layout="vertical" size="small" className="property-panel" disabled={readOnly} component="div">
      <div className="property-panel__head">
        <Typography.Text strong>{typeLabel(activity.type, descriptors)}</Typography.Text>
        {descriptor?.description && (
          <Typography.Paragraph type="secondary">{descriptor.description}</Typography.Paragraph>
        )}
      </div>
      {errors && errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="property-panel__errors"
          message="发布前需处理"
          description={
            <ul>
              {errors.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          }
        />
      )}
      <Form.Item label="名称" required>
        <Input
          aria-label="节点名称"
          value={activity.name ?? ''}
          maxLength={100}
          onChange={(e) => set({ ...activity, name: e.target.value }, 'name')}
        />
      </Form.Item>
      <IdField id={activity.id} onRename={onRename} disabled={readOnly} />

      {activity.type === ActivityTypes.start && <StartSection {...props} forms={forms} set={set} />}
      {activity.type === ActivityTypes.userTask && <UserTaskSection {...props} forms={forms} set={set} />}
      {activity.type === ActivityTypes.notify && <NotifySection {...props} forms={forms} set={set} />}
      {activity.type === ActivityTypes.decision && (
        <Form.Item label="判断条件" required help="结果为真走“是”，否则走“否”">
          <ScriptEditor
            id="condition"
            aria-label="判断条件"
            value={getScript(activity, 'condition') ?? ''}
            hint={SCRIPT_HINT}
            placeholder="例如：item.amount > 10000"
            readOnly={readOnly}
            onChange={(v) =>
              set(
                v.trim() === '' ? removeInput(activity, 'condition') : setScript(activity, 'condition', v, 'Boolean'),
                'condition',
              )
            }
          />
        </Form.Item>
      )}
      {activity.type === ActivityTypes.switch && <SwitchSection {...props} set={set} />}
      {activity.type === ActivityTypes.fork && (
        <Form.Item label="分支" help="不设分支时，所有从“完成”出口连出的线同时执行">
          <NameListEditor
            testId="branches"
            addLabel="添加分支"
            value={stringList(getLiteral(activity, 'branches')) ?? []}
            disabled={readOnly}
            onChange={(list, renamed) =>
              set(
                list.length ? setLiteral(activity, 'branches', list) : removeInput(activity, 'branches'),
                'branches',
                {
                  portRenames: list.length ? renamed : {},
                },
              )
            }
          />
        </Form.Item>
      )}
      {activity.type === ActivityTypes.join && (
        <Form.Item label="汇聚方式">
          <Radio.Group
            value={getLiteral(activity, 'mode') ?? 'waitAll'}
            onChange={(e) => set(setLiteral(activity, 'mode', e.target.value, 'String'), 'mode')}
            options={[
              { value: 'waitAll', label: '等待全部分支' },
              { value: 'waitAny', label: '任一分支到达即继续（其余分支取消）' },
            ]}
          />
        </Form.Item>
      )}
      {activity.type === ActivityTypes.timer && <TimerSection {...props} set={set} />}
      {activity.type === ActivityTypes.setVariables && (
        <Form.Item label="脚本" required>
          <ScriptEditor
            id="script"
            aria-label="脚本"
            minHeight={120}
            value={getScript(activity, 'script') ?? ''}
            hint="修改 vars 中的流程变量，例如 vars.count = (vars.count || 0) + 1"
            readOnly={readOnly}
            onChange={(v) => set(setScript(activity, 'script', v), 'script')}
          />
        </Form.Item>
      )}
      {activity.type === ActivityTypes.subProcess && <SubProcessSection {...props} set={set} />}
      {activity.type === ActivityTypes.end && (
        <Form.Item label="办理结果" help="记入事项的结论，如 办结、不予立项">
          <TextOrScriptInput
            id="result"
            ariaLabel="办理结果"
            value={expressionValue(activity, 'result')}
            placeholder="办结"
            scriptHint={SCRIPT_HINT}
            disabled={readOnly}
            onChange={(v) => set(withExpression(activity, 'result', v), 'result')}
          />
        </Form.Item>
      )}
      {activity.type === 'Duban.Assign' && <AssignSection {...props} forms={forms} set={set} />}
      {!known && <GenericSection {...props} forms={forms} set={set} />}

      <OtherInputs activity={activity} names={others} readOnly={readOnly} set={set} />
    </Form>
  );
}

type SectionProps = PropertyPanelProps & {
  forms?: readonly FormDefinition[];
  set: (next: ActivityNode, input: string, change?: ActivityChange) => void;
};

function IdField({
  id,
  onRename,
  disabled,
}: {
  id: string;
  onRename: (id: string) => string | null;
  disabled?: boolean;
}) {
  const [text, setText] = useState(id);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText(id);
    setProblem(null);
  }, [id]);
  const apply = () => {
    if (text === id) return;
    setProblem(onRename(text.trim()));
  };
  return (
    <Form.Item
      label="编号"
      validateStatus={problem ? 'error' : undefined}
      help={problem ?? '连线与办理记录用它指代本节点'}
    >
      <Input
        aria-label="节点编号"
        value={text}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onPressEnter={apply}
      />
    </Form.Item>
  );
}

function FormAndPermissions({
  activity,
  forms,
  set,
  readOnly,
  definition,
  formInput = 'form',
  permissionInput = 'fieldPermissions',
  label = '表单',
}: SectionProps & { formInput?: string; permissionInput?: string; label?: string }) {
  const formId = getLiteral<string>(activity, formInput);
  const form = (forms ?? []).find((f) => f.id === formId);
  const permissions = (getLiteral<Record<string, FieldPermission>>(activity, permissionInput) ?? {}) as Record<
    string,
    FieldPermission
  >;
  const formsLink = `/forms?definition=${encodeURIComponent(definition.definitionId)}${formId ? `&form=${encodeURIComponent(formId)}` : ''}`;
  return (
    <>
      <Form.Item
        label={label}
        help={
          (forms ?? []).length === 0 ? (
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
          aria-label={label}
          data-testid={`select-${formInput}`}
          allowClear
          placeholder="不使用表单"
          value={formId ?? undefined}
          options={(forms ?? []).map((f) => ({ value: f.id, label: f.name }))}
          onChange={(id: string | undefined) =>
            set(
              id
                ? setLiteral(activity, formInput, id, 'String')
                : removeInput(removeInput(activity, formInput), permissionInput),
              formInput,
            )
          }
        />
      </Form.Item>
      {form && (
        <Form.Item label={`${label}字段权限`}>
          <FieldPermissionsEditor
            form={form}
            value={permissions}
            disabled={readOnly}
            onChange={(p) => set(setLiteral(activity, permissionInput, p), permissionInput)}
          />
        </Form.Item>
      )}
    </>
  );
}

function StartSection(props: SectionProps) {
  const { activity, set, readOnly } = props;
  return (
    <>
      <Divider plain orientation="left">
        发起
      </Divider>
      <FormAndPermissions {...props} label="发起表单" />
      <Form.Item label="事项标题" help="不设置时取表单中的 title 字段，再不然用流程名称">
        <TextOrScriptInput
          id="title"
          ariaLabel="事项标题"
          value={expressionValue(activity, 'title')}
          placeholder="例如 form.title（选“脚本”）"
          scriptHint={SCRIPT_HINT}
          disabled={readOnly}
          onChange={(v) => set(withExpression(activity, 'title', v), 'title')}
        />
      </Form.Item>
    </>
  );
}

const COUNTERSIGN = [
  { value: 'single', label: '单人办理' },
  { value: 'any', label: '或签（任一人）' },
  { value: 'all', label: '会签（全部）' },
  { value: 'sequence', label: '依次办理' },
];

function Outcomes({ activity, set, readOnly }: SectionProps) {
  const outcomes = stringList(getLiteral(activity, 'outcomes')) ?? ['提交'];
  return (
    <Form.Item label="办理结果（出口）" help="每个结果是一个出口；名为“退回”的结果要求填写退回理由">
      <NameListEditor
        testId="outcomes"
        addLabel="添加结果"
        minItems={1}
        value={outcomes}
        disabled={readOnly}
        onChange={(list, renamed) => set(setLiteral(activity, 'outcomes', list), 'outcomes', { portRenames: renamed })}
      />
    </Form.Item>
  );
}

/** 限期可选的结果: outcomes offered only until the step's deadline (e.g. a 交办异议 “退回” within 5 working days). */
function OutcomesUntilDue({ activity, set, readOnly }: SectionProps) {
  const outcomes = stringList(getLiteral(activity, 'outcomes')) ?? ['提交'];
  const value = (stringList(getLiteral(activity, 'outcomesUntilDue')) ?? []).filter((o) => outcomes.includes(o));
  return (
    <Form.Item
      label="限期内才可选的结果"
      help="过了本环节的办理期限，这些结果不再提供（如异议期过后不能再“退回”）；至少留一个结果不选"
    >
      <Select
        mode="multiple"
        allowClear
        data-testid="outcomes-until-due"
        aria-label="限期内才可选的结果"
        placeholder="不限"
        disabled={readOnly}
        value={value}
        options={outcomes.map((o) => ({
          value: o,
          label: o,
          disabled: !value.includes(o) && value.length >= outcomes.length - 1,
        }))}
        onChange={(list: string[]) =>
          set(
            list.length === 0
              ? removeInput(activity, 'outcomesUntilDue')
              : setLiteral(activity, 'outcomesUntilDue', list),
            'outcomesUntilDue',
          )
        }
      />
    </Form.Item>
  );
}

function Deadline({ activity, set, readOnly, forms, definition }: SectionProps) {
  const legacy = getInput(activity, 'dueIn');
  return (
    <>
      <DeadlineEditor
        value={getLiteral(activity, 'deadline')}
        forms={forms ?? []}
        presets={(definition.options?.deadlines ?? null) as never}
        disabled={readOnly || getScript(activity, 'deadline') !== undefined}
        onChange={(v) =>
          set(v === undefined ? removeInput(activity, 'deadline') : setLiteral(activity, 'deadline', v), 'deadline')
        }
      />
      {getScript(activity, 'deadline') !== undefined && (
        <Typography.Text type="secondary">办理时限由脚本计算，请在“其他参数”中查看。</Typography.Text>
      )}
      {legacy && (
        <Form.Item
          label="时长（旧格式 dueIn）"
          help={getInput(activity, 'deadline') ? '已设置办理时限，此项不再生效' : '自收到任务起的自然时长'}
        >
          <Space>
            <DurationInput
              ariaLabel="时长"
              value={getLiteral(activity, 'dueIn')}
              disabled={readOnly}
              onChange={(v) =>
                set(
                  v === undefined ? removeInput(activity, 'dueIn') : setLiteral(activity, 'dueIn', v, 'String'),
                  'dueIn',
                )
              }
            />
            <Button size="small" disabled={readOnly} onClick={() => set(removeInput(activity, 'dueIn'), 'dueIn')}>
              移除
            </Button>
          </Space>
        </Form.Item>
      )}
    </>
  );
}

function UserTaskSection(props: SectionProps) {
  const { activity, set, readOnly, forms } = props;
  return (
    <>
      <Divider plain orientation="left">
        办理人
      </Divider>
      <AssigneeRuleEditor
        value={getLiteral<AssigneeRule>(activity, 'assignee') as AssigneeRule | undefined}
        forms={forms ?? []}
        disabled={readOnly}
        onChange={(rule) => set(setLiteral(activity, 'assignee', rule as JsonValue), 'assignee')}
      />
      <Form.Item label="多人时">
        <Select
          aria-label="会签方式"
          value={getLiteral<string>(activity, 'countersign') ?? 'single'}
          options={COUNTERSIGN}
          onChange={(v: string) => set(setLiteral(activity, 'countersign', v, 'String'), 'countersign')}
        />
      </Form.Item>
      <Divider plain orientation="left">
        表单与结果
      </Divider>
      <FormAndPermissions {...props} />
      <Outcomes {...props} />
      <Divider plain orientation="left">
        时限与说明
      </Divider>
      <Deadline {...props} />
      <OutcomesUntilDue {...props} />
      <Form.Item label="办理说明">
        <Input.TextArea
          aria-label="办理说明"
          rows={2}
          value={getLiteral<string>(activity, 'instructions') ?? ''}
          onChange={(e) =>
            set(
              e.target.value === ''
                ? removeInput(activity, 'instructions')
                : setLiteral(activity, 'instructions', e.target.value, 'String'),
              'instructions',
            )
          }
        />
      </Form.Item>
    </>
  );
}

function NotifySection(props: SectionProps) {
  const { activity, set, readOnly, forms } = props;
  return (
    <>
      <Divider plain orientation="left">
        接收人
      </Divider>
      <AssigneeRuleEditor
        noun="接收人"
        value={getLiteral<AssigneeRule>(activity, 'assignee') as AssigneeRule | undefined}
        forms={forms ?? []}
        disabled={readOnly}
        onChange={(rule) => set(setLiteral(activity, 'assignee', rule as JsonValue), 'assignee')}
      />
      <Form.Item label="阅知内容">
        <TextOrScriptInput
          id="message"
          ariaLabel="阅知内容"
          value={expressionValue(activity, 'message')}
          scriptHint={SCRIPT_HINT}
          disabled={readOnly}
          onChange={(v) => set(withExpression(activity, 'message', v), 'message')}
        />
      </Form.Item>
      <Checkbox
        checked={getLiteral<boolean>(activity, 'wait') === true}
        onChange={(e) =>
          set(e.target.checked ? setLiteral(activity, 'wait', true, 'Boolean') : removeInput(activity, 'wait'), 'wait')
        }
      >
        等所有人已阅后再继续
      </Checkbox>
    </>
  );
}

interface SwitchCase {
  label: string;
  condition: string;
}

function SwitchSection({ activity, set, readOnly }: SectionProps) {
  const raw = getLiteral(activity, 'cases');
  const cases: SwitchCase[] = Array.isArray(raw)
    ? raw.map((c) => {
        const o = (c ?? {}) as Partial<SwitchCase>;
        return {
          label: typeof o.label === 'string' ? o.label : '',
          condition: typeof o.condition === 'string' ? o.condition : '',
        };
      })
    : [];
  const write = (next: SwitchCase[], renamed: Record<string, string> = {}) =>
    set(setLiteral(activity, 'cases', next as unknown as JsonValue), 'cases', { portRenames: renamed });
  return (
    <Form.Item label="分支（按顺序判断）" help="都不成立时走“默认”出口">
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
              readOnly={readOnly}
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

function TimerSection({ activity, set, readOnly }: SectionProps) {
  const mode = getInput(activity, 'until') ? 'until' : 'duration';
  return (
    <>
      <Form.Item label="等待方式">
        <Radio.Group
          value={mode}
          onChange={(e) =>
            set(
              e.target.value === 'until'
                ? setScript(removeInput(activity, 'duration'), 'until', '', 'String')
                : setLiteral(removeInput(activity, 'until'), 'duration', 'P1D', 'String'),
              'timer-mode',
            )
          }
          options={[
            { value: 'duration', label: '等待一段时长' },
            { value: 'until', label: '等到某一时刻' },
          ]}
        />
      </Form.Item>
      {mode === 'duration' ? (
        <Form.Item label="时长" required>
          <DurationInput
            ariaLabel="等待时长"
            value={getLiteral(activity, 'duration')}
            disabled={readOnly}
            onChange={(v) =>
              set(
                v === undefined ? removeInput(activity, 'duration') : setLiteral(activity, 'duration', v, 'String'),
                'duration',
              )
            }
          />
        </Form.Item>
      ) : (
        <Form.Item label="到期时刻" required help="ISO 日期时间，如 2026-07-15T09:00:00+08:00；脚本可取表单日期">
          <TextOrScriptInput
            id="until"
            ariaLabel="到期时刻"
            value={expressionValue(activity, 'until')}
            scriptHint={SCRIPT_HINT}
            disabled={readOnly}
            onChange={(v) => set(withExpression(activity, 'until', v), 'until')}
          />
        </Form.Item>
      )}
    </>
  );
}

function SubProcessSection({ activity, set, readOnly, procedures, definition }: SectionProps) {
  return (
    <>
      <Form.Item label="子流程" required help="须为已发布的流程">
        <Select
          aria-label="子流程"
          showSearch
          optionFilterProp="label"
          value={getLiteral<string>(activity, 'definitionId') ?? undefined}
          options={procedures
            .filter((p) => p.definitionId !== definition.definitionId)
            .map((p) => ({ value: p.definitionId, label: p.name }))}
          onChange={(v: string) => set(setLiteral(activity, 'definitionId', v, 'String'), 'definitionId')}
        />
      </Form.Item>
      <Form.Item label="逐项列表（可选）" help="返回数组的脚本，每项发起一个子事项，如 item.tasks；不设置时发起一个">
        <ScriptEditor
          id="items"
          aria-label="逐项列表"
          value={getScript(activity, 'items') ?? ''}
          readOnly={readOnly}
          hint={SCRIPT_HINT}
          onChange={(v) =>
            set(v.trim() === '' ? removeInput(activity, 'items') : setScript(activity, 'items', v, 'Object'), 'items')
          }
        />
      </Form.Item>
    </>
  );
}

/** 交办 (Duban.Assign): 主办 / 协办 units, completion, each side's form and instructions. */
function AssignSection(props: SectionProps) {
  const { activity, set, readOnly } = props;
  const { directory } = useDirectory(true);
  const tree = useMemo(() => unitTree(directory.units), [directory.units]);
  const from = getLiteral<string>(activity, 'unitsFrom') ?? 'inputs';
  const units = (name: string) => {
    const v = getLiteral(activity, name);
    return (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x): x is string => typeof x === 'string');
  };
  const unitInput = (name: string, label: string, multiple: boolean) => {
    const script = getScript(activity, name);
    return (
      <Form.Item label={label} required={name === 'lead'}>
        <Radio.Group
          size="small"
          optionType="button"
          value={script !== undefined ? 'script' : 'units'}
          options={[
            { value: 'units', label: '选择单位' },
            { value: 'script', label: '脚本（取表单）' },
          ]}
          onChange={(e) =>
            set(
              e.target.value === 'script' ? setScript(activity, name, '', 'Object') : removeInput(activity, name),
              name,
            )
          }
        />
        {script !== undefined ? (
          <ScriptEditor
            id={name}
            aria-label={label}
            value={script}
            hint="返回单位编号或列表，如 item.leadUnit"
            readOnly={readOnly}
            onChange={(v) => set(setScript(activity, name, v, 'Object'), name)}
          />
        ) : (
          <TreeSelect
            aria-label={label}
            multiple={multiple}
            treeDefaultExpandAll
            value={multiple ? units(name) : units(name)[0]}
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
  };
  return (
    <>
      <Divider plain orientation="left">
        交办单位
      </Divider>
      <Form.Item label="单位来源">
        <Radio.Group
          value={from}
          onChange={(e) => set(setLiteral(activity, 'unitsFrom', e.target.value, 'String'), 'unitsFrom')}
          options={[
            { value: 'inputs', label: '在此设置' },
            { value: 'previous', label: '上一环节选择' },
          ]}
        />
      </Form.Item>
      {from === 'inputs' && unitInput('lead', '主办单位', false)}
      {from === 'inputs' && unitInput('co', '协办单位', true)}
      <Form.Item label="办结方式">
        <Radio.Group
          value={getLiteral<string>(activity, 'completion') ?? 'lead'}
          onChange={(e) => set(setLiteral(activity, 'completion', e.target.value, 'String'), 'completion')}
          options={[
            { value: 'lead', label: '主办提交即完成' },
            { value: 'all', label: '协办全部提交后主办才能提交' },
          ]}
        />
      </Form.Item>
      <Divider plain orientation="left">
        主办
      </Divider>
      <FormAndPermissions {...props} label="主办表单" />
      <Outcomes {...props} />
      <Form.Item label="主办办理说明">
        <Input.TextArea
          aria-label="主办办理说明"
          rows={2}
          value={getLiteral<string>(activity, 'instructions') ?? ''}
          onChange={(e) =>
            set(
              e.target.value === ''
                ? removeInput(activity, 'instructions')
                : setLiteral(activity, 'instructions', e.target.value, 'String'),
              'instructions',
            )
          }
        />
      </Form.Item>
      <Deadline {...props} />
      <Divider plain orientation="left">
        协办
      </Divider>
      <FormAndPermissions {...props} label="协办表单" formInput="coForm" permissionInput="coFieldPermissions" />
      <Form.Item label="协办办理说明">
        <Input.TextArea
          aria-label="协办办理说明"
          rows={2}
          value={getLiteral<string>(activity, 'coInstructions') ?? ''}
          onChange={(e) =>
            set(
              e.target.value === ''
                ? removeInput(activity, 'coInstructions')
                : setLiteral(activity, 'coInstructions', e.target.value, 'String'),
              'coInstructions',
            )
          }
        />
      </Form.Item>
      <Form.Item label="协办时长">
        <DurationInput
          ariaLabel="协办时长"
          value={getLiteral(activity, 'coDueIn')}
          disabled={readOnly}
          onChange={(v) =>
            set(
              v === undefined ? removeInput(activity, 'coDueIn') : setLiteral(activity, 'coDueIn', v, 'String'),
              'coDueIn',
            )
          }
        />
      </Form.Item>
    </>
  );
}

/** Types without their own page: the parts most human steps share. */
function GenericSection(props: SectionProps) {
  const { activity, descriptors } = props;
  const ports = descriptors.get(activity.type)?.ports ?? [];
  const hasOutcomes =
    getInput(activity, 'outcomes') !== undefined ||
    (ports.length > 0 && !ports.every((p) => ['Done', 'True', 'False', 'Default'].includes(p)));
  const human = descriptors.get(activity.type)?.category === '人工' || getInput(activity, 'form') !== undefined;
  return (
    <>
      {human && <FormAndPermissions {...props} />}
      {hasOutcomes && <Outcomes {...props} />}
      {human && <Deadline {...props} />}
    </>
  );
}

/** Inputs no section edits: raw `{ typeName, expression }` JSON, so nothing is out of reach. */
function OtherInputs({
  activity,
  names,
  readOnly,
  set,
}: {
  activity: ActivityNode;
  names: string[];
  readOnly?: boolean;
  set: (next: ActivityNode, input: string, change?: ActivityChange) => void;
}) {
  const [newName, setNewName] = useState('');
  const reserved = ['id', 'type', 'name', 'metadata'];
  const items: { key: string; label: ReactNode; children: ReactNode }[] = [
    {
      key: 'other',
      label: `其他参数${names.length ? `（${names.length}）` : ''}`,
      children: (
        <div className="other-inputs">
          {names.map((name) => (
            <Form.Item key={name} label={name}>
              <JsonInput
                ariaLabel={`参数 ${name}`}
                value={activity[name]}
                disabled={readOnly}
                onChange={(v) =>
                  set(v === undefined ? removeInput(activity, name) : { ...activity, [name]: v }, `other:${name}`)
                }
              />
            </Form.Item>
          ))}
          <Space.Compact block>
            <Input
              aria-label="新参数名"
              placeholder="参数名"
              value={newName}
              disabled={readOnly}
              onChange={(e) => setNewName(e.target.value.trim())}
            />
            <Button
              disabled={readOnly || newName === '' || reserved.includes(newName) || newName in activity}
              onClick={() => {
                set(setLiteral(activity, newName, ''), `other:${newName}`);
                setNewName('');
              }}
            >
              添加
            </Button>
          </Space.Compact>
        </div>
      ),
    },
  ];
  return (
    <Collapse
      ghost
      size="small"
      items={items}
      className="property-panel__other"
      defaultActiveKey={names.length && !(activity.type in HANDLED) ? ['other'] : []}
    />
  );
}
