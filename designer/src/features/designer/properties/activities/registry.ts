import type { ComponentType } from 'react';
import {
  ActivityTypes,
  type ActivityInputDescriptor,
  type ActivityNode,
  type ActivityDescriptor,
} from '../../../../shared/flow';
import { getInput } from '../../../../shared/flow';
import { AssignPanel } from './AssignPanel';
import { TimerPanel } from './TimerPanel';
import { UserTaskPanel } from './UserTaskPanel';
import type { ActivityPanelProps } from './types';

/** Activity types composed by hand; every other type shows its declared inputs in order. */
export const ACTIVITY_PANELS: Partial<Record<string, ComponentType<ActivityPanelProps>>> = {
  [ActivityTypes.timer]: TimerPanel,
  [ActivityTypes.assign]: AssignPanel,
  [ActivityTypes.userTask]: UserTaskPanel,
};

const PORT_NAMES = ['Done', 'True', 'False', 'Default'];

/**
 * For a type that declares no inputs (one the server has and this build's copy lacks, or an imported file's): the
 * human-step inputs it appears to use, so its form, outcomes and deadline are still edited as usual.
 */
export function guessedInputs(
  activity: ActivityNode,
  descriptor: ActivityDescriptor | undefined,
): ActivityInputDescriptor[] {
  const ports = descriptor?.ports ?? [];
  const hasOutcomes =
    getInput(activity, 'outcomes') !== undefined || (ports.length > 0 && !ports.every((p) => PORT_NAMES.includes(p)));
  const human = descriptor?.category === '人工' || getInput(activity, 'form') !== undefined;
  const input = (name: string, displayName: string, uiHint: string, extra: Partial<ActivityInputDescriptor> = {}) => ({
    name,
    displayName,
    typeName: 'Object',
    uiHint,
    ...extra,
  });
  return [
    ...(human
      ? [
          input('form', '表单', 'formPicker', { editorOptions: { relatedInput: 'fieldPermissions' } }),
          input('fieldPermissions', '表单字段权限', 'fieldPermissions', { editorOptions: { relatedInput: 'form' } }),
        ]
      : []),
    ...(hasOutcomes
      ? [
          input('outcomes', '办理结果（出口）', 'outcomes', {
            description: '每个结果是一个出口；名为“退回”的结果要求填写退回理由',
            defaultValue: ['提交'],
            editorOptions: { addLabel: '添加结果', minItems: 1, ports: true },
          }),
        ]
      : []),
    ...(human ? [input('deadline', '办理时限', 'deadline', { editorOptions: { legacyInput: 'dueIn' } })] : []),
  ];
}

/** Inputs the guessed panel edits, or leaves alone, for a type without declarations. */
export const GUESSED_NAMES = ['outcomes', 'form', 'fieldPermissions', 'instructions', 'deadline', 'dueIn'];
