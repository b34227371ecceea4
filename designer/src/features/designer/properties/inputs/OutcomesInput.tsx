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
type TemplateList = components['schemas']['DocumentTemplateList'];
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
 * that outcome counts the event against the unit whose report the step judged. When it names a `documentsInput`, each
 * outcome has a 「生成文书」 drop-down of the organization's document templates: choosing that outcome generates the
 * document and sends it to the item's 主办/协办 units; an `archiveInput` gives each outcome a 「归档」 checkbox: choosing
 * it files the item away, read-only from then on (decision 047).
 */
export function OutcomesInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  const fallback = stringList(input.defaultValue) ?? [];
  const outcomes = stringList(getLiteral(activity, name)) ?? fallback;
  const sendsBackInput = editorOptions?.sendsBackInput ?? undefined;
  const ticked = sendsBackInput ? (stringList(getLiteral(activity, sendsBackInput)) ?? []) : [];
  const scoresInput = editorOptions?.scoresInput ?? undefined;
  const scores = scoresInput ? scoreMap(getLiteral(activity, scoresInput)) : {};
  const documentsInput = editorOptions?.documentsInput ?? undefined;
  const documents = documentsInput ? scoreMap(getLiteral(activity, documentsInput)) : {};
  const archiveInput = editorOptions?.archiveInput ?? undefined;
  const archived = archiveInput ? (stringList(getLiteral(activity, archiveInput)) ?? []) : [];

  /** Keeps the templates of the outcomes still listed, following renames. */
  const withDocuments = (node: ActivityNode, list: string[], next: Scores): ActivityNode => {
    if (!documentsInput) return node;
    const kept = Object.fromEntries(Object.entries(next).filter(([o, t]) => list.includes(o) && t));
    return Object.keys(kept).length ? setLiteral(node, documentsInput, kept) : removeInput(node, documentsInput);
  };

  const withArchive = (node: ActivityNode, list: string[], ticks: string[]): ActivityNode => {
    if (!archiveInput) return node;
    const kept = list.filter((o) => ticks.includes(o));
    return kept.length ? setLiteral(node, archiveInput, kept) : removeInput(node, archiveInput);
  };

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
          const renamedDocuments = Object.fromEntries(Object.entries(documents).map(([o, t]) => [renamed[o] ?? o, t]));
          const renamedArchive = archived.map((o) => renamed[o] ?? o);
          const node = list.length ? setLiteral(activity, name, list) : removeInput(activity, name);
          const kept = withScores(withSendsBack(node, list, renamedTicks), list, renamedScores);
          set(withArchive(withDocuments(kept, list, renamedDocuments), list, renamedArchive), name, {
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
      {documentsInput && (
        <OutcomeDocuments
          testId={kebab(documentsInput)}
          outcomes={outcomes}
          documents={documents}
          disabled={context.readOnly}
          onChange={(next) => set(withDocuments(activity, outcomes, next), documentsInput)}
        />
      )}
      {archiveInput && (
        <div className="outcomes__sends-back" data-testid={kebab(archiveInput)}>
          <div>归档（选择时立卷归档，事项此后只能查看、不能再修改）：</div>
          {outcomes.map((o) => (
            <Checkbox
              key={o}
              aria-label={`「${o}」归档`}
              checked={archived.includes(o)}
              disabled={context.readOnly}
              onChange={(e) => {
                const next = e.target.checked ? [...archived, o] : archived.filter((t) => t !== o);
                set(withArchive(activity, outcomes, next), archiveInput);
              }}
            >
              {o}
            </Checkbox>
          ))}
        </div>
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

/** 生成文书: per outcome, the organization's document template generated and sent to the units, or none. */
function OutcomeDocuments({
  testId,
  outcomes,
  documents,
  disabled,
  onChange,
}: {
  testId: string;
  outcomes: string[];
  documents: Scores;
  disabled?: boolean;
  onChange: (next: Scores) => void;
}) {
  const templates = useQuery(['document-templates'], (signal) =>
    request<TemplateList>('GET', '/api/document-templates', { signal }),
  );
  const options = (templates.data?.templates ?? []).map((t) => ({ value: t.key, label: t.name }));
  return (
    <div className="outcomes__scores" data-testid={testId}>
      <div>生成文书（选择该结果时按模板生成文书、编文号，并送达主办、协办单位；模板在 文书模板 中管理）：</div>
      {templates.error != null && !templates.data && (
        <Typography.Text type="warning">文书模板加载失败，暂不能修改</Typography.Text>
      )}
      {outcomes.map((o) => (
        <div key={o} className="outcomes__score-row">
          <span className="outcomes__score-outcome">{o}</span>
          <Select
            aria-label={`「${o}」生成文书`}
            size="small"
            style={{ minWidth: 200 }}
            allowClear
            placeholder="不生成文书"
            disabled={disabled || !templates.data}
            value={documents[o]}
            options={
              documents[o] && !options.some((x) => x.value === documents[o])
                ? [...options, { value: documents[o], label: '（已删除的文书模板）' }]
                : options
            }
            onChange={(value: string | undefined) => {
              const next = { ...documents };
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
