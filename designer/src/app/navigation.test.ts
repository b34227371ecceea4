import { describe, expect, it } from 'vitest';
import { ROLES } from '../api/types';
import { activeRouteKey, canAccess, filterRoutesByRole } from './navigation';
import { appRoutes } from './routes';

const routes = [
  { key: 'inbox', path: '/' },
  { key: 'designer', path: '/designer', roles: [ROLES.admin] },
  { key: 'ledger', path: '/ledger', roles: [ROLES.supervisor, ROLES.leader] },
  { key: 'open', path: '/open', roles: [] },
];

describe('role-based route filtering', () => {
  it('keeps unrestricted routes for every user', () => {
    expect(filterRoutesByRole(routes, []).map((r) => r.key)).toEqual(['inbox', 'open']);
  });

  it('keeps routes where the user has any of the roles', () => {
    expect(filterRoutesByRole(routes, [ROLES.leader]).map((r) => r.key)).toEqual(['inbox', 'ledger', 'open']);
    expect(filterRoutesByRole(routes, [ROLES.admin, ROLES.supervisor]).map((r) => r.key)).toEqual([
      'inbox',
      'designer',
      'ledger',
      'open',
    ]);
  });

  it('hides restricted routes from a liaison', () => {
    expect(filterRoutesByRole(routes, [ROLES.liaison]).map((r) => r.key)).toEqual(['inbox', 'open']);
    expect(canAccess({ roles: [ROLES.admin] }, [ROLES.liaison])).toBe(false);
  });

  it('gives every role 待办 and 台账, and only administrators the design and organization screens', () => {
    const menu = (role: string) =>
      filterRoutesByRole(appRoutes, [role])
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
    const menu = filterRoutesByRole(appRoutes, [ROLES.platform])
      .filter((r) => !r.hideInMenu)
      .map((r) => r.label);
    expect(menu).toEqual(['组织管理', '安全审计']);
    expect(canAccess({}, [ROLES.platform])).toBe(false);
  });

  it('gives the 审计员 the audit log, which no administrator, supervisor, leader or liaison has', () => {
    const menu = (roles: string[]) =>
      filterRoutesByRole(appRoutes, roles)
        .filter((r) => !r.hideInMenu)
        .map((r) => r.label);
    // Only his: no 待办, 台账 or 驾驶舱 — he takes no part in the business.
    expect(menu([ROLES.auditor])).toEqual(['安全审计']);
    for (const role of [ROLES.admin, ROLES.supervisor, ROLES.leader, ROLES.liaison])
      expect(menu([role])).not.toContain('安全审计');
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
