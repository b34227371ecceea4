import builtIn from '../../api/activities.json';
import { getLiteral } from './inputs';
import type { ActivityDescriptor, ActivityNode } from './types';

/** Activity type names of the engine's built-in activities (ActivityTypes in the engine). */
export const ActivityTypes = {
  start: 'Duban.Start',
  userTask: 'Duban.UserTask',
  decision: 'Duban.Decision',
  switch: 'Duban.Switch',
  fork: 'Duban.Fork',
  join: 'Duban.Join',
  timer: 'Duban.Timer',
  setVariables: 'Duban.SetVariables',
  notify: 'Duban.Notify',
  subProcess: 'Duban.SubProcess',
  end: 'Duban.End',
  assign: 'Duban.Assign',
  setItemDeadline: 'Duban.SetItemDeadline',
} as const;

/**
 * The engine's built-in types with their inputs, generated from its declarations (npm run api:generate writes
 * src/api/activities.json). The designer reads the live list from GET /api/activities (types added later appear there);
 * this copy lets read-only views (the item page's flowchart) render without that request.
 */
export const BUILT_IN_DESCRIPTORS: readonly ActivityDescriptor[] = builtIn;

export type DescriptorIndex = ReadonlyMap<string, ActivityDescriptor>;

/** Server descriptors first; built-in copies fill in types the server did not list (e.g. before it answered). */
export function indexDescriptors(descriptors?: readonly ActivityDescriptor[] | null): DescriptorIndex {
  const map = new Map<string, ActivityDescriptor>();
  for (const d of BUILT_IN_DESCRIPTORS) map.set(d.type, d);
  for (const d of descriptors ?? []) map.set(d.type, d);
  return map;
}

/** Chinese labels of the engine's fixed port names; other ports (通过, 退回, switch cases …) are already text. */
const PORT_LABELS: Record<string, string> = { Done: '完成', True: '是', False: '否', Default: '默认' };

export function portLabel(port: string): string {
  return PORT_LABELS[port] ?? port;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = value.filter((x): x is string => typeof x === 'string');
  return list.length > 0 ? list : undefined;
}

/**
 * The outcome ports a node offers given its configuration — the same answer as the engine's
 * IActivityHandler.Ports: a UserTask's outcomes, a Switch's case labels plus Default, a Fork's branches.
 * Types the designer does not know use their descriptor's ports, or a literal `outcomes` list when they have one.
 */
export function portsOf(node: ActivityNode, descriptors: DescriptorIndex): string[] {
  switch (node.type) {
    case ActivityTypes.userTask:
    case ActivityTypes.assign:
      return stringList(getLiteral(node, 'outcomes')) ?? ['提交'];
    case ActivityTypes.switch: {
      const cases = getLiteral(node, 'cases');
      const labels = Array.isArray(cases)
        ? cases
            .map((c) =>
              c && typeof c === 'object' && !Array.isArray(c) ? (c as { label?: unknown }).label : undefined,
            )
            .filter((l): l is string => typeof l === 'string' && l !== '')
        : [];
      return [...labels, 'Default'];
    }
    case ActivityTypes.fork:
      return stringList(getLiteral(node, 'branches')) ?? ['Done'];
    case ActivityTypes.end:
      return [];
    default: {
      const descriptor = descriptors.get(node.type);
      return stringList(getLiteral(node, 'outcomes')) ?? (descriptor ? [...descriptor.ports] : ['Done']);
    }
  }
}

/** The port a connection leaves from; an empty port means Done (FlowGraph.PortOf). */
export function connectionPort(port: string | null | undefined): string {
  return port ? port : 'Done';
}

export function typeLabel(type: string, descriptors: DescriptorIndex): string {
  return descriptors.get(type)?.displayName ?? type;
}
