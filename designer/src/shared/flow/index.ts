/**
 * Procedure flowcharts: definition JSON ↔ React Flow, the activity catalogue and the read-only FlowView.
 * Import FlowView lazily (it pulls in @xyflow/react): `lazy(() => import('../shared/flow/FlowView'))`.
 */
export * from './types';
export * from './inputs';
export * from './catalog';
export * from './convert';
export * from './layout';
export * from './a11y';
export * from './conditions';
