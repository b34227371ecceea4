/** Role- and permission-based filtering of the app's routes (pure, no React). */
import type { PermissionKey } from '../api/types';

export interface RoleRestricted {
  /** Roles allowed to open the route (the platform administrator's screens). */
  roles?: readonly string[];
  /**
   * Permissions allowed to open the route (decision 049: roles are each organization's data, so a screen names what it
   * needs, not who). Neither roles nor permissions: every signed-in person of an organization.
   */
  permissions?: readonly PermissionKey[];
}

/** Who is looking: his roles, what they let him do in his organization, and whether he is outside the business. */
export interface Viewer {
  roles: readonly string[];
  permissions?: readonly string[];
  outsideBusiness?: boolean;
}

/** The platform administrator's role: he belongs to no organization, so only screens meant for him are his. */
export const PLATFORM_ROLE = '平台管理员';

/** Roles outside the business when the server does not say (三员分立, decisions 044 and 049). */
export const OUTSIDE_BUSINESS_ROLES: readonly string[] = [PLATFORM_ROLE, '审计员', '安全管理员'];

export function outsideBusiness(viewer: Viewer): boolean {
  if (viewer.outsideBusiness !== undefined) return viewer.outsideBusiness;
  return viewer.roles.length > 0 && viewer.roles.every((role) => OUTSIDE_BUSINESS_ROLES.includes(role));
}

export function can(viewer: Viewer | null | undefined, permission: PermissionKey): boolean {
  return !!viewer?.permissions?.includes(permission);
}

export function canAccess(route: RoleRestricted, viewer: Viewer): boolean {
  const named =
    (route.roles?.some((role) => viewer.roles.includes(role)) ?? false) ||
    (route.permissions?.some((permission) => can(viewer, permission)) ?? false);
  if (outsideBusiness(viewer)) return named;
  if (!route.roles?.length && !route.permissions?.length) return true;
  return named;
}

export function filterRoutesByRole<T extends RoleRestricted>(routes: readonly T[], viewer: Viewer): T[] {
  return routes.filter((route) => canAccess(route, viewer));
}

/** Where a person outside the business lands: his own screen (组织管理, 安全审计 or 组织 for roles and policies). */
export function outsideLanding(viewer: Viewer): string {
  if (viewer.roles.includes(PLATFORM_ROLE)) return '/platform';
  if (can(viewer, 'readAuditLog')) return '/audit';
  return '/org';
}

/** Key of the menu entry that owns `pathname` (longest matching path prefix). */
export function activeRouteKey<T extends { key: string; path: string }>(
  routes: readonly T[],
  pathname: string,
): string | undefined {
  let best: T | undefined;
  for (const route of routes) {
    const matches =
      route.path === '/' ? pathname === '/' : pathname === route.path || pathname.startsWith(`${route.path}/`);
    if (matches && (!best || route.path.length > best.path.length)) best = route;
  }
  return best?.key;
}
