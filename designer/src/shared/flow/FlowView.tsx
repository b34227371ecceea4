import { Background, Controls, MarkerType, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './flow.css';
import { useMemo } from 'react';
import { indexDescriptors } from './catalog';
import { definitionToFlow, type ActivityFlowNode, type ConnectionFlowEdge } from './convert';
import { DescriptorsContext } from './DescriptorsContext';
import { nodeTypes } from './ActivityNodeView';
import { FLOW_ARIA_LABELS } from './a11y';
import { FitViewOnLoad } from './FitViewOnLoad';
import { edgeTypes } from './ConnectionEdge';
import type { ActivityDescriptor, WorkflowDefinition } from './types';

export interface FlowViewProps {
  definition: WorkflowDefinition;
  /** Activities where the item is now (open tasks, waiting timers): outlined in orange with 「当前」. */
  activeActivityIds?: readonly string[];
  /** Activities the item has passed: green with 「已办」. */
  doneActivityIds?: readonly string[];
  /** Descriptors from GET /api/activities; the built-in list is used when absent. */
  descriptors?: readonly ActivityDescriptor[];
  /** CSS height of the view (default 420px). */
  height?: number | string;
}

/** Styles the edges the item has travelled (both ends done or active). */
export function decorateRun(
  nodes: ActivityFlowNode[],
  edges: ConnectionFlowEdge[],
  active: ReadonlySet<string>,
  done: ReadonlySet<string>,
): { nodes: ActivityFlowNode[]; edges: ConnectionFlowEdge[] } {
  const runState = (id: string) => (active.has(id) ? 'active' : done.has(id) ? 'done' : undefined);
  return {
    nodes: nodes.map((n) => ({ ...n, data: { ...n.data, runState: runState(n.id) } })),
    edges: edges.map((e) => {
      const travelled = done.has(e.source) && (done.has(e.target) || active.has(e.target));
      return {
        ...e,
        type: 'connection',
        markerEnd: { type: MarkerType.ArrowClosed, color: travelled ? '#52c41a' : '#8c8c8c' },
        style: travelled ? { stroke: '#52c41a', strokeWidth: 2 } : { stroke: '#8c8c8c' },
      };
    }),
  };
}

/**
 * Read-only flowchart of a procedure, with the item's current position highlighted. Pan and zoom work;
 * nothing can be edited. Used on the item page (事项详情) and for old versions in the designer.
 */
export function FlowView({ definition, activeActivityIds, doneActivityIds, descriptors, height = 420 }: FlowViewProps) {
  const index = useMemo(() => indexDescriptors(descriptors), [descriptors]);
  const { nodes, edges } = useMemo(() => {
    const flow = definitionToFlow(definition, index);
    return decorateRun(flow.nodes, flow.edges, new Set(activeActivityIds ?? []), new Set(doneActivityIds ?? []));
  }, [definition, index, activeActivityIds, doneActivityIds]);

  return (
    <DescriptorsContext.Provider value={index}>
      <ReactFlowProvider>
        <div className="flow-view" style={{ height }} data-testid="flow-view">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            edgesFocusable={false}
            nodesFocusable={false}
            zoomOnScroll={false}
            preventScrolling={false}
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
            ariaLabelConfig={FLOW_ARIA_LABELS}
          >
            <Background gap={16} size={1} />
            <Controls showInteractive={false} />
            <FitViewOnLoad padding={0.15} />
          </ReactFlow>
        </div>
      </ReactFlowProvider>
    </DescriptorsContext.Provider>
  );
}

export default FlowView;
