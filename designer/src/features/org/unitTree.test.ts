import { describe, expect, it } from 'vitest';
import { buildUnitTree, nextSortOrder, subtreeIds, toTreeSelect, unitPath, type TreeUnit } from './unitTree';

const units: TreeUnit[] = [
  { id: 'fzc', name: '法制处', parentId: 'sft', sortOrder: 2 },
  { id: 'sft', name: '山东省司法厅', parentId: null, sortOrder: 0 },
  { id: 'bgs', name: '办公室', parentId: 'sft', sortOrder: 1 },
  { id: 'jinan', name: '济南市司法局', parentId: 'sft', sortOrder: 3, isActive: false },
  { id: 'jn-1', name: '济南一科', parentId: 'jinan', sortOrder: 0 },
  { id: 'lost', name: '上级已不存在', parentId: 'gone', sortOrder: 5 },
];

describe('unit tree', () => {
  it('nests children under parents in sort order; a unit with a missing parent becomes a root', () => {
    const tree = buildUnitTree(units);
    expect(tree.map((n) => n.unit.id)).toEqual(['sft', 'lost']);
    expect(tree[0].children.map((n) => n.unit.id)).toEqual(['bgs', 'fzc', 'jinan']);
    expect(tree[0].children[2].children.map((n) => n.unit.id)).toEqual(['jn-1']);
  });

  it('lists units caught in a cycle once, at the top, instead of looping', () => {
    const cyclic: TreeUnit[] = [
      { id: 'a', name: '甲', parentId: 'b', sortOrder: 0 },
      { id: 'b', name: '乙', parentId: 'a', sortOrder: 1 },
    ];
    const tree = buildUnitTree(cyclic);
    const ids: string[] = [];
    const walk = (nodes: typeof tree) => nodes.forEach((n) => (ids.push(n.unit.id), walk(n.children)));
    walk(tree);
    expect(ids.sort()).toEqual(['a', 'b']);
  });

  it('gives a unit and everything below it, and its path from the root', () => {
    expect([...subtreeIds(units, 'jinan')].sort()).toEqual(['jinan', 'jn-1']);
    expect(subtreeIds(units, 'sft').size).toBe(5);
    expect(unitPath(units, 'jn-1')).toEqual(['山东省司法厅', '济南市司法局', '济南一科']);
  });

  it('marks disabled units and the ones that cannot be chosen in a TreeSelect', () => {
    const blocked = subtreeIds(units, 'jinan');
    const options = toTreeSelect(buildUnitTree(units), (u) => blocked.has(u.id));
    const jinan = options[0].children!.find((o) => o.value === 'jinan')!;
    expect(jinan.title).toBe('济南市司法局（已停用）');
    expect(jinan.disabled).toBe(true);
    expect(jinan.children![0].disabled).toBe(true);
    expect(options[0].disabled).toBeUndefined();
  });

  it('places a new unit after its siblings', () => {
    expect(nextSortOrder(units, 'sft')).toBe(4);
    expect(nextSortOrder(units, 'fzc')).toBe(0);
  });
});
