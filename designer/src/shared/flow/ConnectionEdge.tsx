import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, useInternalNode, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';

const GAP = 24;
const RADIUS = 8;

/** A path through the points with rounded corners. */
function rounded(points: { x: number; y: number }[]): string {
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [p, c, n] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(RADIUS, Math.hypot(c.x - p.x, c.y - p.y) / 2, Math.hypot(n.x - c.x, n.y - c.y) / 2);
    const a = { x: c.x + (Math.sign(p.x - c.x) * r || 0), y: c.y + (Math.sign(p.y - c.y) * r || 0) };
    const b = { x: c.x + (Math.sign(n.x - c.x) * r || 0), y: c.y + (Math.sign(n.y - c.y) * r || 0) };
    d += ` L ${a.x} ${a.y} Q ${c.x} ${c.y} ${b.x} ${b.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
}

/**
 * Connections run top to bottom with right angles. One that goes back up (a 退回 to an earlier step) is routed
 * around the right of both nodes, so it does not cross them.
 */
function ConnectionEdgeImpl(props: EdgeProps) {
  const {
    source,
    target,
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    markerEnd,
    style,
    interactionWidth,
    data,
    id,
  } = props;
  const label = typeof data?.label === 'string' ? data.label : undefined;
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  let path: string;
  let labelAt = { x: (sourceX + targetX) / 2, y: (sourceY + targetY) / 2 };
  if (targetY < sourceY + GAP && from && to) {
    const right =
      Math.max(
        from.internals.positionAbsolute.x + (from.measured.width ?? from.width ?? 0),
        to.internals.positionAbsolute.x + (to.measured.width ?? to.width ?? 0),
      ) + GAP;
    path = rounded([
      { x: sourceX, y: sourceY },
      { x: sourceX, y: sourceY + GAP / 2 },
      { x: right, y: sourceY + GAP / 2 },
      { x: right, y: targetY - GAP / 2 },
      { x: targetX, y: targetY - GAP / 2 },
      { x: targetX, y: targetY },
    ]);
  } else {
    let labelX: number;
    let labelY: number;
    [path, labelX, labelY] = getSmoothStepPath({
      sourceX,
      sourceY,
      targetX,
      targetY,
      sourcePosition,
      targetPosition,
      borderRadius: RADIUS,
      offset: GAP / 2,
    });
    // On the edge's last vertical run, just above its target: a branch's words sit on the line that takes that branch.
    labelAt =
      Math.abs(targetX - sourceX) < 2
        ? { x: labelX, y: labelY }
        : { x: targetX, y: Math.max(labelY, targetY - GAP - 6) };
  }
  return (
    <>
      <BaseEdge path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth} />
      {label && (
        <EdgeLabelRenderer>
          <div
            className={`flow-edge-label${label === '否' || label === '其他情况' ? ' flow-edge-label--else' : ''}`}
            data-testid={`edge-label-${id}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelAt.x}px, ${labelAt.y}px)` }}
            title={label}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const ConnectionEdge = memo(ConnectionEdgeImpl);

export const edgeTypes = { connection: ConnectionEdge };
