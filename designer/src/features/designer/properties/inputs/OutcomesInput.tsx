import { Checkbox, Form, Select, Typography } from 'antd';
import { request } from '../../../../api/client';
import type { components } from '../../../../api/schema';
import { getLiteral, removeInput, setLiteral, type ActivityNode } from '../../../../shared/flow';
import { useQuery } from '../../../../shared/useQuery';
import { NameListEditor } from '../editors';
import { kebab, stringList, type InputEditorProps } from './types';

/** The outcome that sends back whatever the designer ticks (older definitions rely on it). */
const RETURN = '退回';

type ScoreEvent = components['schemas']['ScoreEventDefinition'];
type Scores = Record<string, string>;

function scoreMap(value: unknown): Scores {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/**
 * `outcomes`: a human step's outcomes, each a port (a renamed outcome takes its connections along). When the
 * declaration names a `sendsBackInput`, each outcome has a 「退回重办」 checkbox: whether choosing it sends the work
 * back (a reason is required and it counts as a redo in scoring), whatever it is called — 退回, 复办, 不满意重办 ….
 * When it names a `scoresInput`, each outcome has a 「计入考核」 drop-down of the organization's score events: choosing
 * that outcome counts the event against the unit whose report the step judged.
 */
export function OutcomesInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  const fallback = stringList(input.defaultValue) ?? [];
  const outcomes = stringList(getLiteral(activity, name)) ?? fallback;
  const sendsBackInput = editorOptions?.sendsBackInput ?? undefined;
  const ticked = sendsBackInput ? (stringList(getLiteral(activity, sendsBackInput)) ?? []) : [];
  const scoresInput = editorOptions?.scoresInput ?? undefined;
  const scores = scoresInput ? scoreMap(getLiteral(activity, scoresInput)) : {};

  /** Keeps the score events of the outcomes still listed, following renames. */
  const withScores = (node: ActivityNode, list: string[], next: Scores): ActivityNode => {
    if (!scoresInput) return node;
    const kept = Object.fromEntries(Object.entries(next).filter(([o, e]) => list.includes(o) && e));
    return Object.keys(kept).length ? setLiteral(node, scoresInput, kept) : removeInput(node, scoresInput);
  };

  const withSendsBack = (node: ActivityNode, list: string[], ticks: string[]): ActivityNode => {
    if (!sendsBackInput) return node;
    const kept = list.filter((o) => o !== RETURN && ticks.includes(o));
    return kept.length ? setLiteral(node, sendsBackInput, kept) : removeInput(node, sendsBackInput);
  };

  return (
    <Form.Item label={displayName} help={input.description ?? undefined}>
      <NameListEditor
        testId={name}
        addLabel={editorOptions?.addLabel ?? '添加'}
        minItems={editorOptions?.minItems ?? 0}
        value={outcomes}
        disabled={context.readOnly}
        onChange={(list, renamed) => {
          // A renamed outcome keeps its tick.
          const renamedTicks = ticked.map((o) => renamed[o] ?? o);
          const renamedScores = Object.fromEntries(Object.entries(scores).map(([o, e]) => [renamed[o] ?? o, e]));
          const node = list.length ? setLiteral(activity, name, list) : removeInput(activity, name);
          set(withScores(withSendsBack(node, list, renamedTicks), list, renamedScores), name, {
            portRenames: editorOptions?.ports === true && list.length ? renamed : {},
          });
        }}
      />
      {sendsBackInput && (
        <div className="outcomes__sends-back" data-testid={kebab(sendsBackInput)}>
          <div>退回重办（选择时须填写理由，并计入复办考核）：</div>
          {outcomes.map((o) => (
            <Checkbox
              key={o}
              aria-label={`「${o}」退回重办`}
              checked={o === RETURN || ticked.includes(o)}
              disabled={context.readOnly || o === RETURN}
              onChange={(e) => {
                const next = e.target.checked ? [...ticked, o] : ticked.filter((t) => t !== o);
                set(withSendsBack(activity, outcomes, next), sendsBackInput);
              }}
            >
              {o}
            </Checkbox>
          ))}
        </div>
      )}
      {scoresInput && (
        <OutcomeScores
          testId={kebab(scoresInput)}
          outcomes={outcomes}
          scores={scores}
          disabled={context.readOnly}
          onChange={(next) => set(withScores(activity, outcomes, next), scoresInput)}
        />
      )}
    </Form.Item>
  );
}

/** 计入考核: per outcome, the organization's score event it counts as, or none. */
function OutcomeScores({
  testId,
  outcomes,
  scores,
  disabled,
  onChange,
}: {
  testId: string;
  outcomes: string[];
  scores: Scores;
  disabled?: boolean;
  onChange: (next: Scores) => void;
}) {
  const events = useQuery(['score-events'], (signal) =>
    request<ScoreEvent[]>('GET', '/api/scoring/events', { signal }),
  );
  const options = (events.data ?? []).map((e) => ({
    value: e.key,
    label: e.adds ? `${e.name}（加分）` : e.name,
  }));
  // An event no longer in the organization's list still shows by its key rather than vanishing.
  const label = (key: string) => options.find((o) => o.value === key)?.label ?? '（已删除的考核事件）';
  return (
    <div className="outcomes__scores" data-testid={testId}>
      <div>计入考核（选择该结果时，记入被审核单位的考核；分值在 督查设置 → 考核规则 中设置）：</div>
      {events.error != null && !events.data && (
        <Typography.Text type="warning">考核事件加载失败，暂不能修改</Typography.Text>
      )}
      {outcomes.map((o) => (
        <div key={o} className="outcomes__score-row">
          <span className="outcomes__score-outcome">{o}</span>
          <Select
            aria-label={`「${o}」计入考核`}
            size="small"
            style={{ minWidth: 200 }}
            allowClear
            placeholder="不计入考核"
            disabled={disabled || !events.data}
            value={scores[o]}
            options={
              scores[o] && !options.some((x) => x.value === scores[o])
                ? [...options, { value: scores[o], label: label(scores[o]) }]
                : options
            }
            onChange={(value: string | undefined) => {
              const next = { ...scores };
              if (value) next[o] = value;
              else delete next[o];
              onChange(next);
            }}
          />
        </div>
      ))}
    </div>
  );
}
