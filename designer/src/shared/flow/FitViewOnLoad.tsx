import { getNodesBounds, getViewportForBounds, useReactFlow, useStore } from '@xyflow/react';
import { useEffect, useRef } from 'react';

/**
 * Fits the chart into view once the pane has a size. The viewport is computed from the nodes' own positions and
 * sizes (the designer gives every node its width and height), so it does not wait for React Flow to measure
 * anything; React Flow's `fitView` prop could run before the nodes were measured and centre on the first node.
 * Render inside <ReactFlow>.
 */
export function FitViewOnLoad({
  padding = 0.2,
  maxZoom = 1,
  minZoom = 0.2,
}: {
  padding?: number;
  maxZoom?: number;
  minZoom?: number;
}) {
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const nodes = useStore((s) => s.nodes);
  const flow = useReactFlow();
  const done = useRef(false);
  useEffect(() => {
    if (done.current || width === 0 || height === 0) return;
    done.current = true;
    const visible = nodes.filter((n) => !n.hidden);
    if (visible.length === 0) return;
    const bounds = getNodesBounds(visible);
    void flow.setViewport(getViewportForBounds(bounds, width, height, minZoom, maxZoom, padding));
  }, [width, height, nodes, flow, padding, maxZoom, minZoom]);
  return null;
}
