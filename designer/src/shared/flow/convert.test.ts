/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexDescriptors, portsOf, typeLabel } from './catalog';
import { definitionToFlow, flowToDefinition, makeEdge } from './convert';
import { getLiteral, setLiteral } from './inputs';
import type { ActivityNode, WorkflowDefinition } from './types';

function loadDemo(): WorkflowDefinition {
  // Vitest runs in designer/.
  return JSON.parse(
    readFileSync(resolve(process.cwd(), '../workflows/demo-supervision.json'), 'utf8'),
  ) as WorkflowDefinition;
}

const literal = (value: unknown, typeName = 'Object') => ({ typeName, expression: { type: 'Literal', value } });

function smallDefinition(withPositions: boolean): WorkflowDefinition {
  const at = (x: number, y: number) => (withPositions ? { metadata: { designer: { position: { x, y } } } } : {});
  return {
    definitionId: 'small',
    name: '小流程',
    forms: [],
    root: {
      type: 'Duban.Flowchart',
      id: 'flowchart',
      activities: [
        { id: 'start', type: 'Duban.Start', name: '开始', ...at(0, 0) },
        {
          id: 'check',
          type: 'Duban.UserTask',
          name: '审核',
          outcomes: literal(['通过', '退回']),
          assignee: literal({ type: 'initiator' }),
          ...at(0, 120),
        },
        { id: 'end', type: 'Duban.End', name: '办结', ...at(0, 240) },
      ],
      connections: [
        { source: { activity: 'start', port: 'Done' }, target: { activity: 'check' } },
        { source: { activity: 'check', port: '通过' }, target: { activity: 'end' } },
        { source: { activity: 'check', port: '退回' }, target: { activity: 'start' } },
      ],
    },
  };
}

const workflowsDir = resolve(process.cwd(), '../workflows');
const shipped = readdirSync(workflowsDir).filter((f) => f.endsWith('.json'));

describe('definition ↔ flow', () => {
  it.each(shipped)('round-trips the shipped template %s without losing anything', (file) => {
    const definition = JSON.parse(readFileSync(resolve(workflowsDir, file), 'utf8')) as WorkflowDefinition;
    const { nodes, edges } = definitionToFlow(definition);
    expect(edges.filter((e) => e.hidden)).toEqual([]);
    // Every connection leaves from a port the browser also computes for that node (same rules as the engine).
    expect(nodes.filter((n) => n.data.strayPorts).map((n) => `${n.id}: ${n.data.strayPorts!.join('、')}`)).toEqual([]);
    const back = flowToDefinition(definition, nodes, edges);
    // Templates without designer positions get them from the layout; everything else is unchanged.
    const strip = (d: WorkflowDefinition) => ({
      ...d,
      root: {
        ...d.root,
        activities: d.root.activities.map((a) => {
          const { metadata, ...rest } = a;
          const { designer, ...otherMeta } = (metadata ?? {}) as Record<string, unknown>;
          const { position: _p, ...otherDesigner } = (designer ?? {}) as Record<string, unknown>;
          return { ...rest, metadata: { ...otherMeta, designer: otherDesigner } };
        }),
      },
    });
    expect(strip(back)).toEqual(strip(definition));
    for (const node of nodes) expect(Number.isFinite(node.position.x) && Number.isFinite(node.position.y)).toBe(true);
  });

  it('round-trips the shipped demo procedure without losing anything', () => {
    const demo = loadDemo();
    const { nodes, edges } = definitionToFlow(demo);
    expect(nodes).toHaveLength(demo.root.activities.length);
    expect(edges).toHaveLength(demo.root.connections.length);
    expect(flowToDefinition(demo, nodes, edges)).toEqual(demo);
  });

  it('takes positions from metadata and gives ports per configuration', () => {
    const demo = loadDemo();
    const { nodes, edges } = definitionToFlow(demo);
    const review = nodes.find((n) => n.id === 'review')!;
    expect(review.position).toEqual({ x: 0, y: 360 });
    expect(review.data.ports).toEqual(['通过', '退回']);
    expect(nodes.find((n) => n.id === 'register')!.data.ports).toEqual(['Done']);
    expect(nodes.find((n) => n.id === 'done')!.data.ports).toEqual([]);
    const back = edges.find((e) => e.source === 'review' && e.sourceHandle === '退回')!;
    expect(back.target).toBe('handle');
  });

  it('keeps unknown inputs, bookkeeping and connection extras of imported files', () => {
    const def = smallDefinition(true);
    const check = def.root.activities[1] as ActivityNode;
    check.futureInput = literal({ deep: [1, 2, { x: null }] });
    check.version = 1; // Elsa's bookkeeping, not an input
    check.metadata = { designer: { position: { x: 0, y: 120 }, size: { w: 3 } }, note: '保留' };
    def.root.connections[0] = {
      ...def.root.connections[0],
      vertices: [{ x: 1, y: 2 }],
      target: { activity: 'check', port: 'In' },
    };
    def.options = { numbering: '督〔{year}〕{seq}号' };
    def.somethingElse = { kept: true };

    const { nodes, edges } = definitionToFlow(def);
    expect(flowToDefinition(def, nodes, edges)).toEqual(def);
  });

  it('lays out nodes without positions top to bottom and writes the positions back', () => {
    const def = smallDefinition(false);
    const { nodes, edges } = definitionToFlow(def);
    const y = (id: string) => nodes.find((n) => n.id === id)!.position.y;
    expect(y('start')).toBeLessThan(y('check'));
    expect(y('check')).toBeLessThan(y('end'));

    const back = flowToDefinition(def, nodes, edges);
    for (const activity of back.root.activities) {
      expect(activity.metadata?.designer?.position).toEqual(nodes.find((n) => n.id === activity.id)!.position);
    }
    // Apart from the positions the definition is unchanged.
    const strip = (d: WorkflowDefinition) => ({
      ...d,
      root: { ...d.root, activities: d.root.activities.map(({ metadata: _m, ...rest }) => rest) },
    });
    expect(strip(back)).toEqual(strip(def));
  });

  it('lays out only the nodes that have no position', () => {
    const def = smallDefinition(true);
    delete (def.root.activities[2] as ActivityNode).metadata;
    const { nodes } = definitionToFlow(def);
    expect(nodes[0].position).toEqual({ x: 0, y: 0 });
    expect(nodes[1].position).toEqual({ x: 0, y: 120 });
    expect(Number.isFinite(nodes[2].position.y)).toBe(true);
  });

  it('writes edits made on the canvas: moved nodes, new and re-targeted connections', () => {
    const def = smallDefinition(true);
    const { nodes, edges } = definitionToFlow(def);
    nodes[2] = { ...nodes[2], position: { x: 300.4, y: 240 } };
    const kept = edges.filter((e) => e.sourceHandle !== '退回');
    const retargeted = { ...kept[1], target: 'start' };
    const added = makeEdge('new', 'check', '退回', 'end');
    const back = flowToDefinition(def, nodes, [kept[0], retargeted, added]);

    expect(back.root.activities[2].metadata?.designer?.position).toEqual({ x: 300, y: 240 });
    expect(back.root.connections).toEqual([
      { source: { activity: 'start', port: 'Done' }, target: { activity: 'check' } },
      { source: { activity: 'check', port: '通过' }, target: { activity: 'start' } },
      { source: { activity: 'check', port: '退回' }, target: { activity: 'end' } },
    ]);
  });

  it('treats a connection without a port as Done and writes it back unchanged', () => {
    const def = smallDefinition(true);
    def.root.connections[0] = { source: { activity: 'start', port: null }, target: { activity: 'check', port: null } };
    const { nodes, edges } = definitionToFlow(def);
    expect(edges[0].sourceHandle).toBe('Done');
    expect(flowToDefinition(def, nodes, edges)).toEqual(def);
  });

  it('keeps connections to missing nodes and marks ports no longer offered', () => {
    const def = smallDefinition(true);
    def.root.connections.push({ source: { activity: 'check', port: '作废' }, target: { activity: 'end' } });
    def.root.connections.push({ source: { activity: 'check', port: '通过' }, target: { activity: 'ghost' } });
    const { nodes, edges } = definitionToFlow(def);
    const check = nodes.find((n) => n.id === 'check')!;
    expect(check.data.strayPorts).toEqual(['作废']);
    expect(edges.filter((e) => e.hidden)).toHaveLength(1);
    expect(flowToDefinition(def, nodes, edges)).toEqual(def);
  });
});

describe('ports', () => {
  const index = indexDescriptors([
    { type: 'Duban.Assign', displayName: '交办', category: '人工', ports: ['提交'], description: '' },
  ]);
  const node = (type: string, inputs: Record<string, unknown> = {}): ActivityNode => ({ id: 'n', type, ...inputs });

  it('follow each built-in type’s configuration', () => {
    expect(portsOf(node('Duban.UserTask'), index)).toEqual(['提交']);
    expect(portsOf(node('Duban.UserTask', { outcomes: literal(['同意', '不同意']) }), index)).toEqual([
      '同意',
      '不同意',
    ]);
    expect(portsOf(node('Duban.Decision'), index)).toEqual(['True', 'False']);
    expect(
      portsOf(
        node('Duban.Switch', {
          cases: literal([
            { label: '省级', condition: 'true' },
            { label: '市级', condition: 'x' },
          ]),
        }),
        index,
      ),
    ).toEqual(['省级', '市级', 'Default']);
    expect(portsOf(node('Duban.Fork', { branches: literal(['甲', '乙']) }), index)).toEqual(['甲', '乙']);
    expect(portsOf(node('Duban.Fork'), index)).toEqual(['Done']);
    expect(portsOf(node('Duban.End'), index)).toEqual([]);
  });

  it('come from the server’s descriptor for types the designer does not know', () => {
    const server = indexDescriptors([
      { type: 'Acme.Review', displayName: '外部评审', category: '其他', ports: ['同意', '驳回'], description: '' },
    ]);
    expect(portsOf(node('Acme.Review'), server)).toEqual(['同意', '驳回']);
    expect(portsOf(node('Some.Unknown'), index)).toEqual(['Done']);
  });

  it('of 交办 are its outcomes, known without asking the server (the item page draws it read-only)', () => {
    const builtIn = indexDescriptors();
    expect(typeLabel('Duban.Assign', builtIn)).toBe('交办');
    expect(portsOf(node('Duban.Assign'), builtIn)).toEqual(['提交']);
    expect(portsOf(node('Duban.Assign', { outcomes: literal(['办结', '需延期']) }), builtIn)).toEqual([
      '办结',
      '需延期',
    ]);
  });
});

describe('inputs', () => {
  it('set and read literals, keeping the input’s typeName', () => {
    let n: ActivityNode = { id: 'a', type: 'Duban.UserTask', dueIn: literal('P2D', 'String') };
    n = setLiteral(n, 'dueIn', 'P5D');
    expect(n.dueIn).toEqual(literal('P5D', 'String'));
    n = setLiteral(n, 'outcomes', ['通过']);
    expect(getLiteral(n, 'outcomes')).toEqual(['通过']);
    n = setLiteral(n, 'dueIn', undefined);
    expect('dueIn' in n).toBe(false);
  });
});
