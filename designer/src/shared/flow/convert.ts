import type { Edge, Node } from '@xyflow/react';
import { connectionPort, indexDescriptors, portsOf, type DescriptorIndex } from './catalog';
import { branchLabel, conditionFields, type NameOf } from './conditions';
import { layoutGraph, nodeWidth, NODE_HEIGHT } from './layout';
import type { ActivityDescriptor, ActivityNode, Connection, FormField, WorkflowDefinition } from './types';

/** Where the item's execution stands at a node (item page highlighting). */
export type NodeRunState = 'active' | 'done';

export interface ActivityNodeData extends Record<string, unknown> {
  /** The activity exactly as in the definition (unknown inputs included); the node's position is kept apart. */
  activity: ActivityNode;
  /** Outcome ports offered by the node's configuration, plus any port a connection uses that the node no longer offers. */
  ports: string[];
  /** Ports used by connections that the node's configuration does not offer (shown in red). */
  strayPorts?: string[];
  runState?: NodeRunState;
  /** Validation messages for this node. */
  errors?: string[];
}

export interface ConnectionEdgeData extends Record<string, unknown> {
  /** The connection as it was in the definition (extra properties kept); absent for edges drawn on the canvas. */
  connection?: Connection;
  /** Words on the line: a condition branch's condition (branchLabel). */
  label?: string;
}

export type ActivityFlowNode = Node<ActivityNodeData, 'activity'>;
export type ConnectionFlowEdge = Edge<ConnectionEdgeData>;

/** Handle id of every node's single input. */
export const TARGET_HANDLE = 'in';

export function edgeId(source: string, port: string, target: string): string {
  return `${source}:${port}->${target}`;
}

/** Ports of a node and those its outbound connections use that it no longer offers. */
export function nodePorts(
  activity: ActivityNode,
  descriptors: DescriptorIndex,
  usedPorts: Iterable<string> = [],
): Pick<ActivityNodeData, 'ports' | 'strayPorts'> {
  const ports = portsOf(activity, descriptors);
  const stray = [...new Set(usedPorts)].filter((p) => !ports.includes(p));
  return stray.length > 0 ? { ports: [...ports, ...stray], strayPorts: stray } : { ports };
}

export function designerPosition(activity: ActivityNode): { x: number; y: number } | undefined {
  const position = activity.metadata?.designer?.position;
  if (!position || typeof position.x !== 'number' || typeof position.y !== 'number') return undefined;
  if (!Number.isFinite(position.x) || !Number.isFinite(position.y)) return undefined;
  return { x: position.x, y: position.y };
}

export interface FlowGraph {
  nodes: ActivityFlowNode[];
  edges: ConnectionFlowEdge[];
}

/**
 * Definition → canvas. Positions come from each activity's `metadata.designer.position`; when any node has
 * none, the graph is laid out with dagre and only the nodes without a position take the computed place.
 */
export function definitionToFlow(
  definition: WorkflowDefinition,
  descriptors?: readonly ActivityDescriptor[] | DescriptorIndex | null,
): FlowGraph {
  const index =
    descriptors instanceof Map ? descriptors : indexDescriptors(descriptors as ActivityDescriptor[] | undefined);
  const activities = definition.root?.activities ?? [];
  const connections = definition.root?.connections ?? [];

  const used = new Map<string, string[]>();
  for (const c of connections) {
    if (!c?.source?.activity) continue;
    const list = used.get(c.source.activity) ?? [];
    list.push(connectionPort(c.source.port));
    used.set(c.source.activity, list);
  }

  const nodes: ActivityFlowNode[] = activities.map((activity) => {
    const ports = nodePorts(activity, index, used.get(activity.id));
    return {
      id: activity.id,
      type: 'activity',
      position: designerPosition(activity) ?? { x: 0, y: 0 },
      width: nodeWidth(ports.ports.length),
      height: NODE_HEIGHT,
      data: { activity, ...ports },
    };
  });

  const ids = new Set(nodes.map((n) => n.id));
  const edges: ConnectionFlowEdge[] = [];
  const seen = new Map<string, number>();
  for (const connection of connections) {
    const source = connection?.source?.activity;
    const target = connection?.target?.activity;
    if (!source || !target || !ids.has(source) || !ids.has(target)) {
      // A connection to nowhere cannot be drawn; keep it in the data of a hidden edge so saving does not drop it.
      edges.push({
        id: `dangling-${edges.length}`,
        source: source ?? '',
        target: target ?? '',
        hidden: true,
        data: { connection },
      });
      continue;
    }
    const port = connectionPort(connection.source.port);
    let id = edgeId(source, port, target);
    const count = seen.get(id) ?? 0;
    seen.set(id, count + 1);
    if (count > 0) id = `${id}#${count}`;
    edges.push(makeEdge(id, source, port, target, connection));
  }

  if (activities.some((a) => !designerPosition(a))) {
    const placed = layoutGraph(
      nodes.map((n) => ({ id: n.id, width: n.width ?? 176, height: n.height ?? NODE_HEIGHT })),
      edges.filter((e) => !e.hidden),
      (id) => nodes.find((n) => n.id === id)?.data.ports,
    );
    for (const node of nodes) {
      if (!designerPosition(node.data.activity)) node.position = placed.get(node.id) ?? node.position;
    }
  }
  return { nodes, edges: labelBranches(nodes, edges, conditionFields(definition)) };
}

/**
 * The edges with the words of their branch (`data.label`): each connection out of a 条件判断 or 多路分支 says the
 * condition that takes it (branchLabel). Edges whose words did not change are returned as they were.
 */
export function labelBranches(
  nodes: readonly Pick<ActivityFlowNode, 'id' | 'data'>[],
  edges: ConnectionFlowEdge[],
  fields: readonly FormField[],
  nameOf?: NameOf,
): ConnectionFlowEdge[] {
  const byId = new Map(nodes.map((n) => [n.id, n.data.activity]));
  return edges.map((e) => {
    if (e.hidden) return e;
    const label = branchLabel(byId.get(e.source), e.sourceHandle ?? 'Done', fields, nameOf);
    if (label === e.data?.label) return e;
    return { ...e, data: { ...e.data, label } };
  });
}

export function makeEdge(
  id: string,
  source: string,
  port: string,
  target: string,
  connection?: Connection,
): ConnectionFlowEdge {
  return {
    id,
    source,
    sourceHandle: port,
    target,
    targetHandle: TARGET_HANDLE,
    data: connection ? { connection } : {},
  };
}

/**
 * Canvas → definition. Everything the canvas does not edit is taken from `base` (forms, variables, options,
 * unknown properties); activities and connections come from the canvas, in its order. Node positions are written
 * to `metadata.designer.position`, leaving the rest of the metadata as it was.
 */
export function flowToDefinition(
  base: WorkflowDefinition,
  nodes: readonly Pick<ActivityFlowNode, 'id' | 'position' | 'data'>[],
  edges: readonly Pick<ConnectionFlowEdge, 'source' | 'sourceHandle' | 'target' | 'hidden' | 'data'>[],
): WorkflowDefinition {
  const activities: ActivityNode[] = nodes.map((node) => {
    const activity = node.data.activity;
    const metadata = activity.metadata ?? {};
    const designer = metadata.designer ?? {};
    const position = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
    const samePosition = designer.position?.x === position.x && designer.position?.y === position.y;
    return {
      ...activity,
      id: node.id,
      metadata: samePosition ? activity.metadata : { ...metadata, designer: { ...designer, position } },
    };
  });

  const connections: Connection[] = edges.map((edge) => {
    const original = edge.data?.connection;
    if (edge.hidden && original) return original;
    const port = edge.sourceHandle ?? 'Done';
    if (original) {
      const sourceUnchanged = original.source.activity === edge.source && connectionPort(original.source.port) === port;
      return {
        ...original,
        source: sourceUnchanged ? original.source : { ...original.source, activity: edge.source, port },
        target:
          original.target.activity === edge.target ? original.target : { ...original.target, activity: edge.target },
      };
    }
    return { source: { activity: edge.source, port }, target: { activity: edge.target } };
  });

  return { ...base, root: { ...base.root, activities, connections } };
}
