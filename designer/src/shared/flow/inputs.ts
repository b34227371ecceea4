import type { ActivityInput, ActivityNode, Expression, JsonValue } from './types';

/** Properties of an activity node that are not inputs. */
export const NODE_OWN_KEYS: ReadonlySet<string> = new Set(['id', 'type', 'name', 'metadata']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The input object `{ typeName, expression }` of a node, or undefined when absent or not an input. */
export function getInput(node: ActivityNode, name: string): ActivityInput | undefined {
  if (NODE_OWN_KEYS.has(name)) return undefined;
  const value = node[name];
  return isObject(value) ? (value as ActivityInput) : undefined;
}

export function getExpression(node: ActivityNode, name: string): Expression | undefined {
  const expression = getInput(node, name)?.expression;
  return isObject(expression) ? (expression as Expression) : undefined;
}

/** A literal input's value; undefined when absent or when the input is a script. */
export function getLiteral<T = JsonValue>(node: ActivityNode, name: string): T | undefined {
  const expression = getExpression(node, name);
  if (!expression || expression.type !== 'Literal') return undefined;
  return (expression.value ?? undefined) as T | undefined;
}

export function getLiteralString(node: ActivityNode, name: string): string | undefined {
  const value = getLiteral(node, name);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A JavaScript input's source text; undefined when absent or a literal. */
export function getScript(node: ActivityNode, name: string): string | undefined {
  const expression = getExpression(node, name);
  if (!expression || expression.type !== 'JavaScript') return undefined;
  return typeof expression.value === 'string' ? expression.value : undefined;
}

/** typeName for a literal value, as the engine's examples write it. */
export function typeNameOf(value: JsonValue): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'boolean') return 'Boolean';
  return 'Object';
}

/**
 * Returns a copy of the node with the input set to a literal (undefined removes it). An existing input keeps its
 * other properties and its typeName.
 */
export function setLiteral(
  node: ActivityNode,
  name: string,
  value: JsonValue | undefined,
  typeName?: string,
): ActivityNode {
  if (value === undefined) return removeInput(node, name);
  const existing = getInput(node, name);
  const input: ActivityInput = {
    ...existing,
    typeName: typeName ?? existing?.typeName ?? typeNameOf(value),
    expression: { type: 'Literal', value },
  };
  return { ...node, [name]: input };
}

/** Returns a copy with the input set to a script (undefined removes it). */
export function setScript(
  node: ActivityNode,
  name: string,
  script: string | undefined,
  typeName = 'Object',
): ActivityNode {
  if (script === undefined) return removeInput(node, name);
  const existing = getInput(node, name);
  const input: ActivityInput = {
    ...existing,
    typeName: existing?.typeName ?? typeName,
    expression: { type: 'JavaScript', value: script },
  };
  return { ...node, [name]: input };
}

export function removeInput(node: ActivityNode, name: string): ActivityNode {
  if (!(name in node) || NODE_OWN_KEYS.has(name)) return node;
  const copy = { ...node };
  delete copy[name];
  return copy;
}

/** Names of the node's input properties (every property except id, type, name and metadata). */
export function inputNames(node: ActivityNode): string[] {
  return Object.keys(node).filter((key) => !NODE_OWN_KEYS.has(key) && isObject(node[key]));
}
