import { Checkbox, Form } from 'antd';
import { getLiteral, removeInput, setLiteral, type ActivityNode } from '../../../../shared/flow';
import { NameListEditor } from '../editors';
import { kebab, stringList, type InputEditorProps } from './types';

/** The outcome that sends back whatever the designer ticks (older definitions rely on it). */
const RETURN = '退回';

/**
 * `outcomes`: a human step's outcomes, each a port (a renamed outcome takes its connections along). When the
 * declaration names a `sendsBackInput`, each outcome has a 「退回重办」 checkbox: whether choosing it sends the work
 * back (a reason is required and it counts as a redo in scoring), whatever it is called — 退回, 复办, 不满意重办 ….
 */
export function OutcomesInput({ activity, input, context, set }: InputEditorProps) {
  const { name, displayName, editorOptions } = input;
  const fallback = stringList(input.defaultValue) ?? [];
  const outcomes = stringList(getLiteral(activity, name)) ?? fallback;
  const sendsBackInput = editorOptions?.sendsBackInput ?? undefined;
  const ticked = sendsBackInput ? (stringList(getLiteral(activity, sendsBackInput)) ?? []) : [];

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
          const node = list.length ? setLiteral(activity, name, list) : removeInput(activity, name);
          set(withSendsBack(node, list, renamedTicks), name, {
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
    </Form.Item>
  );
}
