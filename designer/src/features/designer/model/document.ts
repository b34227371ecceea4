import {
  ActivityTypes,
  definitionToFlow,
  edgeId,
  flowToDefinition,
  makeEdge,
  nodePorts,
  nodeWidth,
  NODE_HEIGHT,
  layoutGraph,
  setLiteral,
  type ActivityFlowNode,
  type ActivityNode,
  type Connection,
  type ConnectionFlowEdge,
  type DefinitionValidationError,
  type DescriptorIndex,
  type WorkflowDefinition,
} from '../../../shared/flow';

/**
 * What the designer edits: the definition's other parts (forms, options, name …) plus the canvas.
 * `definition.root.activities/connections` are stale while editing; `toDefinition` rebuilds them.
 */
export interface DesignDoc {
  definition: WorkflowDefinition;
  nodes: ActivityFlowNode[];
  edges: ConnectionFlowEdge[];
}

export function fromDefinition(definition: WorkflowDefinition, descriptors: DescriptorIndex): DesignDoc {
  const { nodes, edges } = definitionToFlow(definition, descriptors);
  return { definition, nodes, edges };
}

export function toDefinition(doc: DesignDoc): WorkflowDefinition {
  return flowToDefinition(doc.definition, doc.nodes, doc.edges);
}

/** A readable id for a new node of `type`: task1, task2 …; unique among `existing`. */
export function newActivityId(type: string, existing: ReadonlySet<string>): string {
  const short: Record<string, string> = {
    [ActivityTypes.start]: 'start',
    [ActivityTypes.userTask]: 'task',
    [ActivityTypes.decision]: 'decision',
    [ActivityTypes.switch]: 'switch',
    [ActivityTypes.fork]: 'fork',
    [ActivityTypes.join]: 'join',
    [ActivityTypes.timer]: 'timer',
    [ActivityTypes.setVariables]: 'setVars',
    [ActivityTypes.notify]: 'notify',
    [ActivityTypes.subProcess]: 'subProcess',
    [ActivityTypes.end]: 'end',
  };
  const last = type.split('.').pop() ?? 'node';
  const stem = short[type] ?? (last.charAt(0).toLowerCase() + last.slice(1)).replace(/[^A-Za-z0-9_]/g, '') ?? 'node';
  for (let n = 1; ; n++) {
    const id = `${stem || 'node'}${n}`;
    if (!existing.has(id)) return id;
  }
}

/** Inputs a new node starts with, so it is close to usable (the property panel shows the rest). */
export function defaultActivity(type: string, id: string, name: string): ActivityNode {
  let node: ActivityNode = { id, type, name };
  switch (type) {
    case ActivityTypes.userTask:
      node = setLiteral(node, 'outcomes', ['提交']);
      node = setLiteral(node, 'countersign', 'single', 'String');
      break;
    case ActivityTypes.end:
      node = setLiteral(node, 'result', '办结', 'String');
      break;
    case ActivityTypes.join:
      node = setLiteral(node, 'mode', 'waitAll', 'String');
      break;
    case ActivityTypes.timer:
      node = setLiteral(node, 'duration', 'P1D', 'String');
      break;
    case ActivityTypes.switch:
      node = setLiteral(node, 'cases', [{ label: '分支1', condition: '' }]);
      break;
    default:
      break;
  }
  return node;
}

export function buildNode(
  activity: ActivityNode,
  position: { x: number; y: number },
  descriptors: DescriptorIndex,
): ActivityFlowNode {
  const ports = nodePorts(activity, descriptors);
  return {
    id: activity.id,
    type: 'activity',
    position,
    width: nodeWidth(ports.ports.length),
    height: NODE_HEIGHT,
    data: { activity, ...ports },
  };
}

function ids(doc: DesignDoc): Set<string> {
  return new Set(doc.nodes.map((n) => n.id));
}

export function addActivity(
  doc: DesignDoc,
  type: string,
  position: { x: number; y: number },
  descriptors: DescriptorIndex,
): { doc: DesignDoc; id: string } {
  const id = newActivityId(type, ids(doc));
  const name = descriptors.get(type)?.displayName ?? type;
  const node = { ...buildNode(defaultActivity(type, id, name), position, descriptors), selected: true };
  return {
    doc: {
      ...doc,
      nodes: [...doc.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
      edges: deselect(doc.edges),
    },
    id,
  };
}

function deselect<T extends { selected?: boolean }>(items: T[]): T[] {
  return items.map((i) => (i.selected ? { ...i, selected: false } : i));
}

/** Why a connection may not be drawn, or null when it may. */
export function connectionProblem(doc: DesignDoc, source: string, port: string, target: string): string | null {
  if (source === target) return '不能连到节点自身';
  const targetNode = doc.nodes.find((n) => n.id === target);
  if (!targetNode) return '目标节点不存在';
  if (targetNode.data.activity.type === ActivityTypes.start) return '不能连回开始节点';
  if (doc.edges.some((e) => !e.hidden && e.source === source && e.sourceHandle === port && e.target === target))
    return '这两个节点之间已有这条连线';
  return null;
}

export function connect(doc: DesignDoc, source: string, port: string, target: string): DesignDoc {
  if (connectionProblem(doc, source, port, target)) return doc;
  let id = edgeId(source, port, target);
  const taken = new Set(doc.edges.map((e) => e.id));
  for (let n = 1; taken.has(id); n++) id = `${edgeId(source, port, target)}#${n}`;
  return { ...doc, edges: [...doc.edges, makeEdge(id, source, port, target)] };
}

/**
 * Replaces a node's activity. Its ports are recomputed; `portRenames` moves connections from renamed ports
 * (an outcome or a switch case renamed), and connections from ports the node offered before but no longer
 * offers are removed (the outcome was deleted).
 */
export function updateActivity(
  doc: DesignDoc,
  nodeId: string,
  activity: ActivityNode,
  descriptors: DescriptorIndex,
  portRenames: Record<string, string> = {},
): DesignDoc {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return doc;
  const before = node.data.ports.filter((p) => !node.data.strayPorts?.includes(p));
  let edges = doc.edges.map((e) =>
    e.source === nodeId && e.sourceHandle && portRenames[e.sourceHandle] !== undefined && !e.hidden
      ? { ...e, sourceHandle: portRenames[e.sourceHandle], id: edgeId(nodeId, portRenames[e.sourceHandle], e.target) }
      : e,
  );
  const used = edges.filter((e) => e.source === nodeId && !e.hidden).map((e) => e.sourceHandle ?? 'Done');
  const offered = nodePorts(activity, descriptors).ports;
  const removed = new Set(before.filter((p) => !offered.includes(p) && !Object.values(portRenames).includes(p)));
  edges = edges.filter((e) => !(e.source === nodeId && !e.hidden && removed.has(e.sourceHandle ?? 'Done')));
  const ports = nodePorts(
    activity,
    descriptors,
    used.filter((p) => !removed.has(p)),
  );
  const nodes = doc.nodes.map((n) =>
    n.id === nodeId
      ? {
          ...n,
          width: nodeWidth(ports.ports.length),
          data: { ...n.data, activity, ports: ports.ports, strayPorts: ports.strayPorts },
        }
      : n,
  );
  return { ...doc, nodes, edges: dedupeEdgeIds(edges) };
}

function dedupeEdgeIds(edges: ConnectionFlowEdge[]): ConnectionFlowEdge[] {
  const seen = new Set<string>();
  return edges.map((e) => {
    if (!seen.has(e.id)) {
      seen.add(e.id);
      return e;
    }
    let n = 1;
    while (seen.has(`${e.id}#${n}`)) n++;
    seen.add(`${e.id}#${n}`);
    return { ...e, id: `${e.id}#${n}` };
  });
}

export const ACTIVITY_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** Why `next` cannot be the node's new id, or null. */
export function activityIdProblem(doc: DesignDoc, current: string, next: string): string | null {
  if (!ACTIVITY_ID_PATTERN.test(next)) return '编号只能包含字母、数字、_ 和 -，以字母或 _ 开头，最长 64 个字符';
  if (next !== current && doc.nodes.some((n) => n.id === next)) return `编号「${next}」已被其他节点使用`;
  return null;
}

/** Renames a node; its connections follow. */
export function renameActivity(doc: DesignDoc, current: string, next: string): DesignDoc {
  if (current === next || activityIdProblem(doc, current, next)) return doc;
  const nodes = doc.nodes.map((n) =>
    n.id === current ? { ...n, id: next, data: { ...n.data, activity: { ...n.data.activity, id: next } } } : n,
  );
  const edges = doc.edges.map((e) => {
    if (e.source !== current && e.target !== current) return e;
    const source = e.source === current ? next : e.source;
    const target = e.target === current ? next : e.target;
    // A hidden edge keeps a connection that could not be drawn; rename inside it too.
    if (e.hidden && e.data?.connection) {
      const c = e.data.connection;
      return {
        ...e,
        source,
        target,
        data: {
          connection: {
            ...c,
            source: c.source.activity === current ? { ...c.source, activity: next } : c.source,
            target: c.target.activity === current ? { ...c.target, activity: next } : c.target,
          },
        },
      };
    }
    return { ...e, id: edgeId(source, e.sourceHandle ?? 'Done', target), source, target };
  });
  return { ...doc, nodes, edges: dedupeEdgeIds(edges) };
}

export function deleteSelection(doc: DesignDoc): DesignDoc {
  const removed = new Set(doc.nodes.filter((n) => n.selected).map((n) => n.id));
  if (removed.size === 0 && !doc.edges.some((e) => e.selected)) return doc;
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !removed.has(n.id)),
    edges: doc.edges.filter((e) => !e.selected && !removed.has(e.source) && !removed.has(e.target)),
  };
}

/** What Ctrl+C keeps: the selected nodes and the connections among them (also put on the system clipboard). */
export interface Clipboard {
  kind: 'duban-flow-clipboard';
  nodes: { activity: ActivityNode; position: { x: number; y: number } }[];
  connections: Connection[];
}

export function copySelection(doc: DesignDoc): Clipboard | null {
  const selected = doc.nodes.filter((n) => n.selected);
  if (selected.length === 0) return null;
  const chosen = new Set(selected.map((n) => n.id));
  const inner = doc.edges.filter((e) => !e.hidden && chosen.has(e.source) && chosen.has(e.target));
  const part = flowToDefinition(
    { definitionId: '', name: '', root: { activities: [], connections: [] } },
    selected,
    inner,
  );
  return {
    kind: 'duban-flow-clipboard',
    nodes: selected.map((n, i) => ({ activity: part.root.activities[i], position: { ...n.position } })),
    connections: part.root.connections,
  };
}

export function parseClipboard(text: string): Clipboard | null {
  try {
    const value = JSON.parse(text) as Partial<Clipboard>;
    if (value?.kind === 'duban-flow-clipboard' && Array.isArray(value.nodes) && Array.isArray(value.connections))
      return value as Clipboard;
  } catch {
    // not ours
  }
  return null;
}

/**
 * Adds copies of the clipboard's nodes, moved by `offset`, with fresh ids and the connections among them.
 * A second 开始 is not pasted (a procedure has exactly one). The copies become the selection.
 */
export function paste(
  doc: DesignDoc,
  clip: Clipboard,
  descriptors: DescriptorIndex,
  offset = { x: 40, y: 40 },
): DesignDoc {
  const taken = ids(doc);
  const hasStart = doc.nodes.some((n) => n.data.activity.type === ActivityTypes.start);
  const renamed = new Map<string, string>();
  const added: ActivityFlowNode[] = [];
  for (const { activity, position } of clip.nodes) {
    if (activity.type === ActivityTypes.start && hasStart) continue;
    const id = newActivityId(activity.type, taken);
    taken.add(id);
    renamed.set(activity.id, id);
    const copy: ActivityNode = structuredClone({ ...activity, id });
    delete copy.metadata;
    added.push({
      ...buildNode(copy, { x: position.x + offset.x, y: position.y + offset.y }, descriptors),
      selected: true,
    });
  }
  let next: DesignDoc = { ...doc, nodes: [...deselect(doc.nodes), ...added], edges: deselect(doc.edges) };
  for (const c of clip.connections) {
    const source = renamed.get(c.source.activity);
    const target = renamed.get(c.target.activity);
    if (source && target) next = connect(next, source, c.source.port || 'Done', target);
  }
  return next;
}

/** Lays the whole chart out top to bottom. */
export function autoLayout(doc: DesignDoc): DesignDoc {
  const placed = layoutGraph(
    doc.nodes.map((n) => ({
      id: n.id,
      width: n.width ?? nodeWidth(n.data.ports.length),
      height: n.height ?? NODE_HEIGHT,
    })),
    doc.edges.filter((e) => !e.hidden),
    (id) => doc.nodes.find((n) => n.id === id)?.data.ports,
  );
  return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: placed.get(n.id) ?? n.position })) };
}

/** Puts the validator's messages on their nodes (outlined in red on the canvas). */
export function withValidation(
  nodes: ActivityFlowNode[],
  errors: readonly DefinitionValidationError[],
): ActivityFlowNode[] {
  const byNode = new Map<string, string[]>();
  for (const e of errors) {
    if (!e.activityId) continue;
    byNode.set(e.activityId, [...(byNode.get(e.activityId) ?? []), e.message]);
  }
  return nodes.map((n) => {
    const errs = byNode.get(n.id);
    if (!errs && !n.data.errors) return n;
    return { ...n, data: { ...n.data, errors: errs } };
  });
}
