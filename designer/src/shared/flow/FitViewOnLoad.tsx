import { useNodesInitialized, useReactFlow, useStore } from '@xyflow/react';
import { useEffect, useRef } from 'react';

/**
 * Fits the chart into view once its nodes are measured and the pane has a size. React Flow's own `fitView`
 * prop may run while a lazily loaded page is still laying out (a zero-height pane), leaving the chart off-centre.
 * Render inside <ReactFlow>.
 */
export function FitViewOnLoad({ padding = 0.2, maxZoom = 1 }: { padding?: number; maxZoom?: number }) {
  const initialized = useNodesInitialized();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const flow = useReactFlow();
  const done = useRef(false);
  useEffect(() => {
    if (done.current || !initialized || width === 0 || height === 0) return;
    done.current = true;
    const frame = requestAnimationFrame(() => void flow.fitView({ padding, maxZoom }));
    return () => cancelAnimationFrame(frame);
  }, [initialized, width, height, flow, padding, maxZoom]);
  return null;
}
