/** The unit tree from the flat GET /api/units list (pure, no React). */

export interface TreeUnit {
  id: string;
  name: string;
  parentId: string | null;
  sortOrder: number;
  isActive?: boolean;
}

export interface UnitNode<T extends TreeUnit = TreeUnit> {
  unit: T;
  children: UnitNode<T>[];
}

/**
 * Roots and children in sort order (then name). A unit whose parent is missing becomes a root; a cycle in the
 * data (which the server refuses, but a list is not to be trusted) cannot loop: each unit appears once.
 */
export function buildUnitTree<T extends TreeUnit>(units: readonly T[]): UnitNode<T>[] {
  const ids = new Set(units.map((u) => u.id));
  const byParent = new Map<string | null, T[]>();
  for (const unit of units) {
    const parent = unit.parentId && ids.has(unit.parentId) && unit.parentId !== unit.id ? unit.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), unit]);
  }
  const compare = (a: T, b: T) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN');
  const seen = new Set<string>();
  const nodes = (parent: string | null): UnitNode<T>[] =>
    (byParent.get(parent) ?? [])
      .slice()
      .sort(compare)
      .filter((u) => !seen.has(u.id) && !!seen.add(u.id))
      .map((unit) => ({ unit, children: nodes(unit.id) }));
  const roots = nodes(null);
  // Units caught in a cycle never hang under a root: list them at the top level so they can be fixed.
  const orphans = units.filter((u) => !seen.has(u.id)).sort(compare);
  for (const unit of orphans)
    if (!seen.has(unit.id)) {
      seen.add(unit.id);
      roots.push({ unit, children: nodes(unit.id) });
    }
  return roots;
}

/** The ids of a unit and all units under it. */
export function subtreeIds(units: readonly TreeUnit[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) if (u.parentId) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const result = new Set<string>();
  const pending = [rootId];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (result.has(id)) continue;
    result.add(id);
    pending.push(...(children.get(id) ?? []));
  }
  return result;
}

/** The names from the root down to the unit: 山东省司法厅 / 法制处. */
export function unitPath(units: readonly TreeUnit[], id: string): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const path: string[] = [];
  const seen = new Set<string>();
  for (let at = byId.get(id); at && !seen.has(at.id); at = at.parentId ? byId.get(at.parentId) : undefined) {
    seen.add(at.id);
    path.unshift(at.name);
  }
  return path;
}

export interface TreeSelectNode {
  value: string;
  title: string;
  disabled?: boolean;
  children?: TreeSelectNode[];
}

/**
 * Options for an antd TreeSelect. `disable` marks units that cannot be chosen (e.g. the unit itself and its
 * subtree when choosing a new parent, or disabled units); disabled units are labelled （已停用）.
 */
export function toTreeSelect<T extends TreeUnit>(
  nodes: readonly UnitNode<T>[],
  disable?: (unit: T) => boolean,
): TreeSelectNode[] {
  return nodes.map(({ unit, children }) => {
    const node: TreeSelectNode = {
      value: unit.id,
      title: unit.isActive === false ? `${unit.name}（已停用）` : unit.name,
    };
    if (disable?.(unit)) node.disabled = true;
    if (children.length > 0) node.children = toTreeSelect(children, disable);
    return node;
  });
}

/** Sort order for a unit placed last among the children of `parentId`. */
export function nextSortOrder(units: readonly TreeUnit[], parentId: string | null): number {
  const siblings = units.filter((u) => (u.parentId ?? null) === parentId);
  return siblings.length === 0 ? 0 : Math.max(...siblings.map((u) => u.sortOrder)) + 1;
}
