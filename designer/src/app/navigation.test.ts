import { describe, expect, it } from 'vitest';
import { ROLES } from '../api/types';
import { activeRouteKey, canAccess, filterRoutesByRole, outsideLanding, type Viewer } from './navigation';
import { appRoutes } from './routes';

/** The built-in roles' permissions as the server gives them by default (decision 049). */
const DEFAULTS: Record<string, string[]> = {
  [ROLES.admin]: ['seeAllItems', 'supervise', 'designProcedures', 'configureSupervision', 'manageUnitsAndPeople'],
  [ROLES.securityAdmin]: ['manageRolesAndSecurity'],
  [ROLES.auditor]: ['readAuditLog'],
  [ROLES.supervisor]: ['seeAllItems', 'supervise', 'score'],
  [ROLES.leader]: ['seeAllItems'],
  [ROLES.liaison]: ['handleUnitTasks'],
  [ROLES.platform]: [],
};

const as = (roles: string[]): Viewer => ({ roles, permissions: roles.flatMap((r) => DEFAULTS[r] ?? []) });

const routes = [
  { key: 'inbox', path: '/' },
  { key: 'designer', path: '/designer', roles: [ROLES.admin] },
  { key: 'ledger', path: '/ledger', roles: [ROLES.supervisor, ROLES.leader] },
  { key: 'open', path: '/open', roles: [] },
];

describe('role-based route filtering', () => {
  it('keeps unrestricted routes for every user', () => {
    expect(filterRoutesByRole(routes, as([])).map((r) => r.key)).toEqual(['inbox', 'open']);
  });

  it('keeps routes where the user has any of the roles', () => {
    expect(filterRoutesByRole(routes, as([ROLES.leader])).map((r) => r.key)).toEqual(['inbox', 'ledger', 'open']);
    expect(filterRoutesByRole(routes, as([ROLES.admin, ROLES.supervisor])).map((r) => r.key)).toEqual([
      'inbox',
      'designer',
      'ledger',
      'open',
    ]);
  });

  it('hides restricted routes from a liaison', () => {
    expect(filterRoutesByRole(routes, as([ROLES.liaison])).map((r) => r.key)).toEqual(['inbox', 'open']);
    expect(canAccess({ roles: [ROLES.admin] }, as([ROLES.liaison]))).toBe(false);
  });

  it('gives every role 待办 and 台账, and only administrators the design and organization screens', () => {
    const menu = (role: string) =>
      filterRoutesByRole(appRoutes, as([role]))
        .filter((r) => !r.hideInMenu)
        .map((r) => r.label);
    for (const role of [ROLES.admin, ROLES.supervisor, ROLES.leader, ROLES.liaison])
      expect(menu(role)).toEqual(expect.arrayContaining(['待办', '台账']));
    expect(menu(ROLES.admin)).toEqual(expect.arrayContaining(['流程设计', '表单设计', '组织']));
    for (const role of [ROLES.supervisor, ROLES.leader, ROLES.liaison])
      expect(menu(role)).not.toEqual(expect.arrayContaining(['组织', '组织管理']));
    expect(menu(ROLES.admin)).not.toContain('组织管理');
  });

  it("gives the platform administrator, of no organization, only 组织管理 and the platform's audit log", () => {
    const menu = filterRoutesByRole(appRoutes, as([ROLES.platform]))
      .filter((r) => !r.hideInMenu)
      .map((r) => r.label);
    expect(menu).toEqual(['组织管理', '安全审计']);
    expect(canAccess({}, as([ROLES.platform]))).toBe(false);
  });

  it('gives the 审计员 the audit log, which no administrator, supervisor, leader or liaison has', () => {
    const menu = (roles: string[]) =>
      filterRoutesByRole(appRoutes, as(roles))
        .filter((r) => !r.hideInMenu)
        .map((r) => r.label);
    // Only his: no 待办, 台账 or 驾驶舱 — he takes no part in the business.
    expect(menu([ROLES.auditor])).toEqual(['安全审计']);
    for (const role of [ROLES.admin, ROLES.supervisor, ROLES.leader, ROLES.liaison])
      expect(menu([role])).not.toContain('安全审计');
  });
});

describe('permission-based route filtering (decision 049)', () => {
  it("opens a screen to an organization's own role by what it may do, not by its name", () => {
    const special: Viewer = {
      roles: ['特约督查员'],
      permissions: ['seeAllItems', 'supervise'],
      outsideBusiness: false,
    };
    const menu = filterRoutesByRole(appRoutes, special).map((r) => r.key);
    expect(menu).toEqual(expect.arrayContaining(['inbox', 'ledger', 'warnings', 'settings']));
    expect(menu).not.toEqual(expect.arrayContaining(['designer']));
    expect(menu).not.toContain('org');
  });

  it('gives the 安全管理员, outside the business, the 组织 screen and nothing of the business', () => {
    const security: Viewer = {
      roles: [ROLES.securityAdmin],
      permissions: ['manageRolesAndSecurity'],
      outsideBusiness: true,
    };
    expect(
      filterRoutesByRole(appRoutes, security)
        .filter((r) => !r.hideInMenu)
        .map((r) => r.label),
    ).toEqual(['组织']);
    expect(outsideLanding(security)).toBe('/org');
    expect(outsideLanding(as([ROLES.auditor]))).toBe('/audit');
  });
});

describe('activeRouteKey', () => {
  it('matches the index route only exactly and others by prefix', () => {
    expect(activeRouteKey(routes, '/')).toBe('inbox');
    expect(activeRouteKey(routes, '/ledger')).toBe('ledger');
    expect(activeRouteKey(routes, '/ledger/42')).toBe('ledger');
    expect(activeRouteKey(routes, '/ledgers')).toBeUndefined();
  });
});
