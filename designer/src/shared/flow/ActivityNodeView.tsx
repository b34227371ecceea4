import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect } from 'react';
import { portLabel, typeLabel } from './catalog';
import { TARGET_HANDLE, type ActivityFlowNode } from './convert';
import { useDescriptors } from './DescriptorsContext';

/** Colour family per category (基础 / 人工 / 流程控制 / 时间 / 数据 / others). */
function categoryClass(category: string | undefined): string {
  switch (category) {
    case '基础':
      return 'flow-node--basic';
    case '人工':
      return 'flow-node--human';
    case '流程控制':
      return 'flow-node--control';
    case '时间':
      return 'flow-node--time';
    case '数据':
      return 'flow-node--data';
    default:
      return 'flow-node--other';
  }
}

/**
 * One activity on the canvas: its type, its name, an input handle on top and one labelled output handle per
 * outcome port along the bottom (Done, 是/否, a UserTask's 通过/退回, a Switch's cases …).
 */
function ActivityNodeViewImpl({ data, selected, id }: NodeProps<ActivityFlowNode>) {
  const descriptors = useDescriptors();
  const { activity, ports, strayPorts, runState, errors } = data;
  const descriptor = descriptors.get(activity.type);
  const isStart = activity.type === 'Duban.Start';
  // Handles are measured when the node mounts or resizes; a renamed or added port keeps the size, so ask again.
  const updateNodeInternals = useUpdateNodeInternals();
  const portKey = ports.join('\u0000');
  useEffect(() => updateNodeInternals(id), [id, portKey, updateNodeInternals]);
  const classes = [
    'flow-node',
    categoryClass(descriptor?.category),
    selected ? 'flow-node--selected' : '',
    runState ? `flow-node--${runState}` : '',
    errors && errors.length > 0 ? 'flow-node--invalid' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const name = activity.name && activity.name.trim() !== '' ? activity.name : activity.id;
  return (
    <div
      className={classes}
      data-testid={`flow-node-${id}`}
      data-run-state={runState ?? undefined}
      title={errors && errors.length > 0 ? errors.join('\n') : (descriptor?.description ?? activity.type)}
    >
      {!isStart && <Handle type="target" position={Position.Top} id={TARGET_HANDLE} className="flow-node__in" />}
      <div className="flow-node__type">
        {typeLabel(activity.type, descriptors)}
        {runState === 'active' && <span className="flow-node__badge">当前</span>}
        {runState === 'done' && <span className="flow-node__badge flow-node__badge--done">已办</span>}
      </div>
      <div className="flow-node__name">{name}</div>
      {ports.length > 0 && (
        <div className="flow-node__ports">
          {ports.map((port) => (
            <div
              key={port}
              className={`flow-node__port${strayPorts?.includes(port) ? ' flow-node__port--stray' : ''}`}
              data-testid={`port-${id}-${port}`}
            >
              <span className="flow-node__port-label">{portLabel(port)}</span>
              <Handle type="source" position={Position.Bottom} id={port} className="flow-node__out" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const ActivityNodeView = memo(ActivityNodeViewImpl);

export const nodeTypes = { activity: ActivityNodeView };
