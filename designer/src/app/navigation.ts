/** Role-based filtering of the app's routes (pure, no React). */

export interface RoleRestricted {
  /** Roles allowed to open the route; undefined or empty = every signed-in user. */
  roles?: readonly string[];
}

/** The platform administrator's role: he belongs to no organization, so only screens meant for him are his. */
export const PLATFORM_ROLE = '平台管理员';

/** Roles outside the business (三员分立, decision 044): someone holding only these sees only the screens named for them. */
export const OUTSIDE_BUSINESS_ROLES: readonly string[] = [PLATFORM_ROLE, '审计员'];

export function outsideBusiness(userRoles: readonly string[]): boolean {
  return userRoles.length > 0 && userRoles.every((role) => OUTSIDE_BUSINESS_ROLES.includes(role));
}

export function canAccess(route: RoleRestricted, userRoles: readonly string[]): boolean {
  if (outsideBusiness(userRoles)) return route.roles?.some((role) => userRoles.includes(role)) ?? false;
  if (!route.roles || route.roles.length === 0) return true;
  return route.roles.some((role) => userRoles.includes(role));
}

export function filterRoutesByRole<T extends RoleRestricted>(routes: readonly T[], userRoles: readonly string[]): T[] {
  return routes.filter((route) => canAccess(route, userRoles));
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
