import { Alert, Form, Input, Typography } from 'antd';
import { useMemo } from 'react';
import {
  inputNames,
  typeLabel,
  type ActivityNode,
  type DescriptorIndex,
  type WorkflowDefinition,
} from '../../../shared/flow';
import { ACTIVITY_PANELS, GUESSED_NAMES, guessedInputs } from './activities/registry';
import { DeclaredInputs } from './DeclaredInputs';
import { IdField } from './IdField';
import type { ActivityChange, PanelContext } from './inputs/types';
import { OtherInputs } from './OtherInputs';

export type { ActivityChange } from './inputs/types';

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

/**
 * The selected node's properties: its name and id, then each input its type declares (GET /api/activities), edited
 * with the editor the input's UI hint names (inputs/registry.ts) under its category's heading. A few types compose
 * their inputs by hand (activities/). Inputs no declaration names stay reachable as JSON under “其他参数”.
 */
export function PropertyPanel(props: PropertyPanelProps) {
  const { activity, definition, descriptors, errors, readOnly, procedures, onChange, onRename } = props;
  const descriptor = descriptors.get(activity.type);
  const declared = descriptor?.inputs ?? [];
  const inputs = declared.length > 0 ? declared : guessedInputs(activity, descriptor);
  const handled = declared.length > 0 ? declared.map((i) => i.name) : GUESSED_NAMES;
  const others = inputNames(activity).filter((n) => !handled.includes(n));
  const forms = useMemo(() => definition.forms ?? [], [definition.forms]);
  const context: PanelContext = { definition, forms, descriptors, procedures, readOnly };
  const set = (next: ActivityNode, input: string, change?: ActivityChange) =>
    onChange(next, { mergeKey: `${activity.id}:${input}`, ...change });
  const Composed = ACTIVITY_PANELS[activity.type];

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

      {Composed ? (
        <Composed activity={activity} inputs={inputs} context={context} set={set} />
      ) : (
        <DeclaredInputs activity={activity} inputs={inputs} context={context} set={set} />
      )}

      <OtherInputs activity={activity} names={others} readOnly={readOnly} set={set} open={declared.length === 0} />
    </Form>
  );
}
