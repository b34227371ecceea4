import dagre from '@dagrejs/dagre';

/** Size of a node on the canvas: wide enough for its port chips. */
export const NODE_MIN_WIDTH = 176;
export const NODE_HEIGHT = 66;
const PORT_WIDTH = 64;

export function nodeWidth(portCount: number): number {
  return Math.max(NODE_MIN_WIDTH, portCount * PORT_WIDTH + 16);
}

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

/**
 * Top-to-bottom layered layout (dagre). Returns the top-left corner of each node, rounded to whole pixels.
 * Edges that point back up (a 退回 loop) are left to dagre's cycle breaking, so the main path reads downwards.
 */
export function layoutGraph(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 64, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  edges.forEach((edge, index) => {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target))
      graph.setEdge(edge.source, edge.target, {}, `e${index}`);
  });
  dagre.layout(graph);
  const out = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const placed = graph.node(node.id) as { x: number; y: number } | undefined;
    if (!placed) continue;
    out.set(node.id, { x: Math.round(placed.x - node.width / 2), y: Math.round(placed.y - node.height / 2) });
  }
  return out;
}
