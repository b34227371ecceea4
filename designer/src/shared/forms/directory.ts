import { useEffect, useState } from 'react';
import { request } from '../../api/client';
import type { DirectoryUnit, DirectoryUser } from './types';

/** Units and people for the pickers, loaded once per page (GET /api/units, GET /api/users). */
export interface Directory {
  units: DirectoryUnit[];
  users: DirectoryUser[];
  unitName(id: string): string | undefined;
  userName(id: string): string | undefined;
}

interface UserRow extends DirectoryUser {
  isActive?: boolean;
}

let pending: Promise<Directory> | undefined;

function build(units: DirectoryUnit[], users: DirectoryUser[]): Directory {
  const unitById = new Map(units.map((u) => [u.id, u.name]));
  const userById = new Map(users.map((u) => [u.id, u.displayName]));
  return {
    units,
    users,
    unitName: (id) => unitById.get(id),
    userName: (id) => userById.get(id),
  };
}

export const emptyDirectory: Directory = build([], []);

/** Loads the directory once; a failure is forgotten so the next caller tries again. */
export function loadDirectory(): Promise<Directory> {
  pending ??= Promise.all([request<DirectoryUnit[]>('GET', '/api/units'), request<UserRow[]>('GET', '/api/users')])
    .then(([units, users]) =>
      build(
        Array.isArray(units) ? units : [],
        (Array.isArray(users) ? users : []).filter((u) => u.isActive !== false),
      ),
    )
    .catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
  return pending;
}

/** Forget the loaded directory (tests; after the organization changes). */
export function resetDirectory() {
  pending = undefined;
}

/** The directory when `needed`; an empty one until it has loaded (or when loading failed). */
export function useDirectory(needed = true): { directory: Directory; loading: boolean; error: unknown } {
  const [state, setState] = useState<{ directory: Directory; loading: boolean; error: unknown }>({
    directory: emptyDirectory,
    loading: needed,
    error: null,
  });
  useEffect(() => {
    if (!needed) return;
    let live = true;
    loadDirectory()
      .then((directory) => live && setState({ directory, loading: false, error: null }))
      .catch((error: unknown) => live && setState({ directory: emptyDirectory, loading: false, error }));
    return () => {
      live = false;
    };
  }, [needed]);
  return state;
}

/** Unit tree for a TreeSelect: parents before children, in the server's order. */
export interface UnitTreeNode {
  value: string;
  title: string;
  children?: UnitTreeNode[];
}

export function unitTree(units: DirectoryUnit[]): UnitTreeNode[] {
  const ids = new Set(units.map((u) => u.id));
  const byParent = new Map<string | null, DirectoryUnit[]>();
  for (const unit of units) {
    const parent = unit.parentId && ids.has(unit.parentId) ? unit.parentId : null;
    const list = byParent.get(parent) ?? [];
    list.push(unit);
    byParent.set(parent, list);
  }
  const seen = new Set<string>();
  const nodes = (parent: string | null): UnitTreeNode[] =>
    (byParent.get(parent) ?? [])
      .filter((u) => !seen.has(u.id) && seen.add(u.id))
      .map((u) => {
        const children = nodes(u.id);
        return children.length > 0 ? { value: u.id, title: u.name, children } : { value: u.id, title: u.name };
      });
  return nodes(null);
}
