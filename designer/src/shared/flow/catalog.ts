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
} as const;

/**
 * What the engine's registry says about its built-in types. The designer reads the real list from
 * GET /api/activities (new types appear there without code changes); this copy lets read-only views
 * (the item page's flowchart) render without that request.
 */
export const BUILT_IN_DESCRIPTORS: readonly ActivityDescriptor[] = [
  {
    type: ActivityTypes.start,
    displayName: '开始',
    category: '基础',
    ports: ['Done'],
    description: '流程开始，填写发起表单',
  },
  { type: ActivityTypes.end, displayName: '结束', category: '基础', ports: [], description: '流程结束，记录办理结果' },
  {
    type: ActivityTypes.userTask,
    displayName: '人工办理',
    category: '人工',
    ports: ['提交'],
    description: '由指定人员填写表单并选择办理结果',
  },
  {
    type: ActivityTypes.assign,
    displayName: '交办',
    category: '督查',
    ports: ['提交'],
    description: '交办给一个主办单位和若干协办单位：协办单位提交意见，主办单位汇总后提交办理情况',
  },
  {
    type: ActivityTypes.notify,
    displayName: '抄送阅知',
    category: '人工',
    ports: ['Done'],
    description: '发送只读阅知，接收人点“已阅”即可',
  },
  {
    type: ActivityTypes.decision,
    displayName: '条件判断',
    category: '流程控制',
    ports: ['True', 'False'],
    description: '按条件走“是”或“否”分支',
  },
  {
    type: ActivityTypes.switch,
    displayName: '多路分支',
    category: '流程控制',
    ports: ['Default'],
    description: '走第一个条件成立的分支',
  },
  {
    type: ActivityTypes.fork,
    displayName: '并行分支',
    category: '流程控制',
    ports: ['Done'],
    description: '同时走所有出口连线',
  },
  {
    type: ActivityTypes.join,
    displayName: '汇聚',
    category: '流程控制',
    ports: ['Done'],
    description: '等待所有分支（或任一分支）到达后继续',
  },
  {
    type: ActivityTypes.subProcess,
    displayName: '子流程（逐项）',
    category: '流程控制',
    ports: ['Done'],
    description: '为列表中的每一项发起一个子事项',
  },
  {
    type: ActivityTypes.timer,
    displayName: '定时等待',
    category: '时间',
    ports: ['Done'],
    description: '等到指定时间或等待一段时长后继续',
  },
  {
    type: ActivityTypes.setVariables,
    displayName: '设置变量',
    category: '数据',
    ports: ['Done'],
    description: '运行脚本修改流程变量',
  },
];

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
