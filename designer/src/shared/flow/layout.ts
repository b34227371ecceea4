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
  /** The outcome port the edge leaves from; a node's ports are laid out left to right in their order (是 before 否). */
  sourceHandle?: string | null;
}

/**
 * Top-to-bottom layered layout (dagre). Returns the top-left corner of each node, rounded to whole pixels.
 * Edges that point back up (a 退回 loop) are left to dagre's cycle breaking, so the main path reads downwards.
 */
export function layoutGraph(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  /** A node's ports in order (its port chips left to right): branches are placed in the same order. */
  portsOf?: (id: string) => readonly string[] | undefined,
): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 64, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  // dagre orders a rank by the order it meets edges: give it each node's branches in port order, so the 是 branch lies
  // under the 是 port (left) and the 否 branch under 否 (right).
  const rank = (e: LayoutEdge) => {
    const ports = portsOf?.(e.source);
    const i = ports && e.sourceHandle ? ports.indexOf(e.sourceHandle) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const ordered = edges
    .map((edge, index) => ({ edge, index }))
    .sort((a, b) =>
      a.edge.source === b.edge.source ? rank(a.edge) - rank(b.edge) || a.index - b.index : a.index - b.index,
    );
  ordered.forEach(({ edge, index }) => {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target))
      graph.setEdge(edge.source, edge.target, {}, `e${index}`);
  });
  dagre.layout(graph);
  keepBranchOrder(graph, nodes, edges, portsOf);
  const out = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const placed = graph.node(node.id) as { x: number; y: number } | undefined;
    if (!placed) continue;
    out.set(node.id, { x: Math.round(placed.x - node.width / 2), y: Math.round(placed.y - node.height / 2) });
  }
  return out;
}

/**
 * Where dagre still put a node's branches out of port order (crossing less elsewhere), moves them back. A branch whose
 * target is entered only from this node is the branch's own column (with everything only it leads to): when every
 * branch is one and they share a rank, the columns trade places; when another branch leads to a node others reach too
 * (是 → 领导审批 → 办结, 否 → 办结), that node stays and the own column moves to the side of its port, clear of the
 * other branch's line.
 */
function keepBranchOrder(
  graph: InstanceType<typeof dagre.graphlib.Graph>,
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  portsOf?: (id: string) => readonly string[] | undefined,
) {
  if (!portsOf) return;
  const GAP = 24;
  const inbound = new Map<string, number>();
  for (const e of edges) if (e.source !== e.target) inbound.set(e.target, (inbound.get(e.target) ?? 0) + 1);
  const successors = new Map<string, string[]>();
  for (const e of edges) successors.set(e.source, [...(successors.get(e.source) ?? []), e.target]);
  const widths = new Map(nodes.map((n) => [n.id, n.width]));
  const at = (id: string) => graph.node(id) as { x: number; y: number } | undefined;
  for (const node of nodes) {
    const ports = portsOf(node.id);
    const source = at(node.id);
    if (!ports || ports.length < 2 || !source) continue;
    const branches = ports
      .map((port, k) => ({ k, target: edges.find((e) => e.source === node.id && e.sourceHandle === port)?.target }))
      .filter((b): b is { k: number; target: string } => !!b.target && b.target !== node.id && !!at(b.target));
    if (branches.length < 2 || new Set(branches.map((b) => b.target)).size !== branches.length) continue;
    const own = (target: string) => inbound.get(target) === 1;
    // Each branch's own column: what it leads to that no other branch reaches.
    const reach = (from: string) => {
      const seen = new Set([from]);
      const stack = [from];
      while (stack.length)
        for (const n of successors.get(stack.pop()!) ?? [])
          if (n !== node.id && !seen.has(n)) {
            seen.add(n);
            stack.push(n);
          }
      return seen;
    };
    const reached = branches.map((b) => reach(b.target));
    const column = (i: number) => [...reached[i]].filter((n) => reached.every((other, j) => j === i || !other.has(n)));
    const shift = (i: number, dx: number) => {
      for (const n of column(i)) {
        const p = at(n);
        if (p) p.x += dx;
      }
    };
    const xs = branches.map((b) => at(b.target)!.x);
    if (branches.every((b) => own(b.target) && at(b.target)!.y === at(branches[0].target)!.y)) {
      const sorted = [...xs].sort((a, b) => a - b);
      if (!xs.every((x, i) => x === sorted[i])) branches.forEach((_, i) => shift(i, sorted[i] - xs[i]));
      continue;
    }
    const width = widths.get(node.id) ?? 0;
    const portX = (k: number) => source.x - width / 2 + (width * (k + 0.5)) / ports.length;
    branches.forEach((branch, i) => {
      if (!own(branch.target)) return;
      const half = (widths.get(branch.target) ?? 0) / 2;
      const fixed = branches.filter((o) => !own(o.target));
      const right = fixed.filter((o) => o.k > branch.k);
      const left = fixed.filter((o) => o.k < branch.k);
      const x = at(branch.target)!.x;
      if (right.length) {
        const limit = Math.min(...right.map((o) => Math.min(at(o.target)!.x, portX(o.k)))) - GAP - half;
        if (x > limit) shift(i, limit - x);
      } else if (left.length) {
        const limit = Math.max(...left.map((o) => Math.max(at(o.target)!.x, portX(o.k)))) + GAP + half;
        if (x < limit) shift(i, limit - x);
      }
    });
  }
}
