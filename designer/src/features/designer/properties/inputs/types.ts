import {
  getExpression,
  removeInput,
  setLiteral,
  setScript,
  type ActivityInputDescriptor,
  type ActivityNode,
  type DescriptorIndex,
  type FormDefinition,
  type JsonValue,
  type WorkflowDefinition,
} from '../../../../shared/flow';
import type { ExpressionValue } from '../editors';

export interface ActivityChange {
  /** Commits with the same key in quick succession merge into one undo step (typing). */
  mergeKey?: string;
  /** Ports renamed by this change (old → new), so their connections follow. */
  portRenames?: Record<string, string>;
}

/** Writes the node after a change to one input (the key merges typing into one undo step). */
export type SetInput = (next: ActivityNode, input: string, change?: ActivityChange) => void;

/** What every editor may need besides its input: the procedure being designed and the panel's state. */
export interface PanelContext {
  definition: WorkflowDefinition;
  forms: readonly FormDefinition[];
  descriptors: DescriptorIndex;
  /** Other procedures (for 子流程). */
  procedures: readonly { definitionId: string; name: string }[];
  readOnly?: boolean;
}

/** One editor: the panel renders each declared input with the editor its `uiHint` names. */
export interface InputEditorProps {
  activity: ActivityNode;
  input: ActivityInputDescriptor;
  context: PanelContext;
  set: SetInput;
}

export function expressionValue(activity: ActivityNode, name: string): ExpressionValue | undefined {
  const e = getExpression(activity, name);
  if (!e) return undefined;
  if (e.type === 'JavaScript') return { type: 'JavaScript', value: typeof e.value === 'string' ? e.value : '' };
  return { type: 'Literal', value: (e.value ?? null) as JsonValue };
}

export function withExpression(
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

export function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : undefined;
}

/** `outcomesUntilDue` → `outcomes-until-due`, for test ids. */
export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
