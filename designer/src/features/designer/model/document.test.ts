import { describe, expect, it } from 'vitest';
import { getLiteral, indexDescriptors, setLiteral, type WorkflowDefinition } from '../../../shared/flow';
import {
  activityIdProblem,
  addActivity,
  autoLayout,
  connect,
  connectionProblem,
  copySelection,
  deleteSelection,
  fromDefinition,
  paste,
  parseClipboard,
  renameActivity,
  toDefinition,
  updateActivity,
  withValidation,
  type DesignDoc,
} from './document';
import { canRedo, canUndo, commit, createHistory, redo, setPresent, setSilently, undo } from './history';

const descriptors = indexDescriptors();

function empty(): DesignDoc {
  const definition: WorkflowDefinition = {
    definitionId: 'p',
    name: '测试流程',
    forms: [{ id: 'f', name: '表', fields: [] }],
    options: { numbering: 'x' },
    root: { type: 'Duban.Flowchart', id: 'flowchart', activities: [], connections: [] },
  };
  return fromDefinition(definition, descriptors);
}

/** 开始 → 审核(通过/退回) → 结束, built the way the canvas does. */
function threeSteps(): DesignDoc {
  let doc = empty();
  doc = addActivity(doc, 'Duban.Start', { x: 0, y: 0 }, descriptors).doc;
  doc = addActivity(doc, 'Duban.UserTask', { x: 0, y: 120 }, descriptors).doc;
  doc = addActivity(doc, 'Duban.End', { x: 0, y: 240 }, descriptors).doc;
  const task = doc.nodes[1];
  doc = updateActivity(doc, task.id, setLiteral(task.data.activity, 'outcomes', ['通过', '退回']), descriptors);
  doc = connect(doc, 'start1', 'Done', 'task1');
  doc = connect(doc, 'task1', '通过', 'end1');
  doc = connect(doc, 'task1', '退回', 'start1'); // refused: nothing goes back to the start
  doc = connect(doc, 'task1', '退回', 'end1');
  return doc;
}

describe('designer document', () => {
  it('adds nodes with readable ids, defaults and the new node selected', () => {
    const doc = threeSteps();
    expect(doc.nodes.map((n) => n.id)).toEqual(['start1', 'task1', 'end1']);
    expect(doc.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['end1']);
    const def = toDefinition(doc);
    expect(def.forms).toEqual([{ id: 'f', name: '表', fields: [] }]);
    expect(def.options).toEqual({ numbering: 'x' });
    expect(getLiteral(def.root.activities[2], 'result')).toBe('办结');
    expect(def.root.activities[1].name).toBe('人工办理');
  });

  it('refuses connections to itself, back to the start, or twice', () => {
    const doc = threeSteps();
    expect(connectionProblem(doc, 'task1', '通过', 'task1')).toMatch('自身');
    expect(connectionProblem(doc, 'task1', '退回', 'start1')).toMatch('开始');
    expect(doc.edges).toHaveLength(3);
    expect(connect(doc, 'task1', '通过', 'end1').edges).toHaveLength(doc.edges.length);
  });

  it('moves connections when an outcome is renamed and drops them when it is removed', () => {
    let doc = threeSteps();
    const task = () => doc.nodes.find((n) => n.id === 'task1')!;
    doc = updateActivity(doc, 'task1', setLiteral(task().data.activity, 'outcomes', ['同意', '退回']), descriptors, {
      通过: '同意',
    });
    expect(task().data.ports).toEqual(['同意', '退回']);
    expect(doc.edges.map((e) => `${e.source}:${e.sourceHandle}->${e.target}`)).toEqual([
      'start1:Done->task1',
      'task1:同意->end1',
      'task1:退回->end1',
    ]);

    doc = updateActivity(doc, 'task1', setLiteral(task().data.activity, 'outcomes', ['同意']), descriptors);
    expect(doc.edges.map((e) => e.sourceHandle)).toEqual(['Done', '同意']);
    expect(new Set(doc.edges.map((e) => e.id)).size).toBe(doc.edges.length);
  });

  it('renames a node id and its connections follow', () => {
    let doc = threeSteps();
    expect(activityIdProblem(doc, 'task1', 'end1')).toMatch('已被');
    expect(activityIdProblem(doc, 'task1', '1x')).toMatch('字母');
    doc = renameActivity(doc, 'task1', 'review');
    const def = toDefinition(doc);
    expect(def.root.activities[1].id).toBe('review');
    expect(def.root.connections.map((c) => `${c.source.activity}:${c.source.port}->${c.target.activity}`)).toEqual([
      'start1:Done->review',
      'review:通过->end1',
      'review:退回->end1',
    ]);
  });

  it('deletes the selection with its connections', () => {
    let doc = threeSteps();
    doc = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, selected: n.id === 'task1' })) };
    doc = deleteSelection(doc);
    expect(doc.nodes.map((n) => n.id)).toEqual(['start1', 'end1']);
    expect(doc.edges).toEqual([]);
  });

  it('copies and pastes nodes with fresh ids and their inner connections, never a second start', () => {
    let doc = threeSteps();
    doc = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, selected: true })) };
    const clip = parseClipboard(JSON.stringify(copySelection(doc)))!;
    expect(clip.nodes).toHaveLength(3);
    doc = paste(doc, clip, descriptors);
    expect(doc.nodes.map((n) => n.id)).toEqual(['start1', 'task1', 'end1', 'task2', 'end2']);
    expect(doc.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['task2', 'end2']);
    expect(doc.nodes[3].position).toEqual({ x: 40, y: 160 });
    expect(getLiteral(doc.nodes[3].data.activity, 'outcomes')).toEqual(['通过', '退回']);
    const pasted = doc.edges.filter((e) => e.source === 'task2');
    expect(pasted.map((e) => `${e.sourceHandle}->${e.target}`)).toEqual(['通过->end2', '退回->end2']);
    expect(parseClipboard('hello')).toBeNull();
  });

  it('lays out top to bottom and marks nodes with validation errors', () => {
    let doc = threeSteps();
    doc = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: { x: 500, y: 500 } })) };
    doc = autoLayout(doc);
    const y = (id: string) => doc.nodes.find((n) => n.id === id)!.position.y;
    expect(y('start1')).toBeLessThan(y('task1'));
    expect(y('task1')).toBeLessThan(y('end1'));
    const nodes = withValidation(doc.nodes, [
      { activityId: 'task1', message: '「人工办理」：未设置办理人规则' },
      { activityId: null, message: '流程名称不能为空' },
    ]);
    expect(nodes[1].data.errors).toEqual(['「人工办理」：未设置办理人规则']);
    expect(nodes[0].data.errors).toBeUndefined();
  });
});

describe('history', () => {
  it('undoes and redoes committed changes; merges quick edits of the same thing', () => {
    let h = createHistory('a');
    h = commit(h, 'b', undefined, 0);
    h = commit(h, 'bc', 'name', 10);
    h = commit(h, 'bcd', 'name', 20); // merged with the previous
    expect(h.past).toEqual(['a', 'b']);
    h = undo(h);
    expect(h.present).toBe('b');
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toBe('bcd');
    h = undo(undo(h));
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    h = commit(h, 'x', undefined, 5000);
    expect(canRedo(h)).toBe(false);
  });

  it('undoes a pending (uncommitted) change first; silent changes are not undo steps', () => {
    let h = createHistory('a');
    h = commit(h, 'b', undefined, 0);
    h = setSilently(h, 'b*'); // a selection
    h = setPresent(h, 'b-dragging');
    h = undo(h);
    expect(h.present).toBe('b*');
    h = undo(h);
    expect(h.present).toBe('a');
  });
});
