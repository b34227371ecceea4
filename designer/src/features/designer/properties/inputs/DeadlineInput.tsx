import { Button, Form, Space, Typography } from 'antd';
import { getInput, getLiteral, getScript, removeInput, setLiteral } from '../../../../shared/flow';
import { ActivityTypes } from '../../../../shared/flow/catalog';
import { DeadlineEditor } from '../DeadlineEditor';
import { DeadlinePreview } from '../../procedure/DeadlinePreview';
import { DurationInput } from '../editors';
import type { InputEditorProps } from './types';

/**
 * `deadline`: kind, amount and what it is counted from, or a named default (DeadlineEditor). While a node still has the
 * older input it replaces (`legacyInput`, a plain duration), that is shown too, with a way to remove it.
 */
export function DeadlineInput({ activity, input, context, set }: InputEditorProps) {
  const { name } = input;
  const { readOnly, forms, definition } = context;
  const legacyName = input.editorOptions?.legacyInput;
  const legacy = legacyName ? getInput(activity, legacyName) : undefined;
  const script = getScript(activity, name) !== undefined;
  const presets = definition.options?.deadlines;
  return (
    <>
      <DeadlineEditor
        value={getLiteral(activity, name)}
        forms={forms}
        presets={presets && typeof presets === 'object' && !Array.isArray(presets) ? presets : null}
        disabled={readOnly || script}
        label={input.displayName}
        noneHelp={input.description ?? undefined}
        forItem={activity.type === ActivityTypes.setItemDeadline}
        onChange={(v) => set(v === undefined ? removeInput(activity, name) : setLiteral(activity, name, v), name)}
      />
      {!script && (
        <DeadlinePreview
          deadline={getLiteral(activity, name)}
          presets={presets && typeof presets === 'object' && !Array.isArray(presets) ? presets : null}
        />
      )}
      {script && <Typography.Text type="secondary">办理时限由脚本计算，请在“其他参数”中查看。</Typography.Text>}
      {legacy && legacyName && (
        <Form.Item
          label={`时长（旧格式 ${legacyName}）`}
          help={getInput(activity, name) ? '已设置办理时限，此项不再生效' : '自收到任务起的自然时长'}
        >
          <Space>
            <DurationInput
              ariaLabel="时长"
              value={getLiteral(activity, legacyName)}
              disabled={readOnly}
              onChange={(v) =>
                set(
                  v === undefined ? removeInput(activity, legacyName) : setLiteral(activity, legacyName, v, 'String'),
                  legacyName,
                )
              }
            />
            <Button size="small" disabled={readOnly} onClick={() => set(removeInput(activity, legacyName), legacyName)}>
              移除
            </Button>
          </Space>
        </Form.Item>
      )}
    </>
  );
}
