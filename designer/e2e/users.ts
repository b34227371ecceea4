import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_PASSWORD = 'Duban@2026';

/** Demo users seeded by the server. */
export const demoUsers = {
  admin: { userName: 'admin', role: '管理员' },
  ducha: { userName: 'ducha', role: '督查员' },
  lingdao: { userName: 'lingdao', role: '领导' },
  fazhi: { userName: 'fazhi', role: '承办单位联络员', unitName: '法制处' },
  // 法制处's head: a colleague of 张联络 to delegate to, and 李厅长's deputy (task-operations.spec.ts).
  fzcz: { userName: 'fzcz', role: '承办单位联络员', unitName: '法制处' },
  // Of no organization: adds organizations (platform.spec.ts, decision 035).
  platform: { userName: 'platform', role: '平台管理员' },
} as const;

export type DemoUser = keyof typeof demoUsers;

const designerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// DUBAN_E2E_RESULTS_DIR keeps a run's sign-ins and screenshots apart from another run against another server.
export const resultsDir = process.env.DUBAN_E2E_RESULTS_DIR ?? path.join(designerDir, 'test-results');
export const screenshotDir = path.join(resultsDir, 'screenshots');

/** storageState file written by auth.setup.ts for `user`. */
export function authFile(user: DemoUser): string {
  return path.join(resultsDir, '.auth', `${user}.json`);
}

export const viewports = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 375, height: 812 },
} as const;

/**
 * A user of their own for a test that ends sessions (logout, a password change): ending a demo user's sessions would
 * sign out the stored sign-ins other specs use (docs/decisions/036). Made by `admin` through the API.
 */
export async function createThrowawayUser(
  request: import('@playwright/test').APIRequestContext,
  password = 'Throwaway@2026',
): Promise<{ userName: string; password: string; displayName: string }> {
  const userName = `e2e${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const displayName = '临时测试人员';
  const given = `${password}#Given`;
  const response = await request.post('/api/users', {
    data: { userName, displayName, unitId: 'fzc', roles: ['承办单位联络员'], password: given },
  });
  if (response.status() !== 201) throw new Error(`POST /api/users: ${response.status()} ${await response.text()}`);
  await adoptPassword(userName, given, password);
  return { userName, password, displayName };
}

/**
 * The person replaces the password an administrator gave him (it works once, docs/decisions/046) with `password`,
 * through the API in a session of his own that then ends.
 */
export async function adoptPassword(userName: string, given: string, password: string): Promise<void> {
  const { request } = await import('@playwright/test');
  const { baseURL } = await import('../playwright.config');
  const own = await request.newContext({ baseURL, extraHTTPHeaders: { 'X-Requested-With': 'XMLHttpRequest' } });
  try {
    const login = await own.post('/api/auth/login', { data: { userName, password: given } });
    if (!login.ok()) throw new Error(`login ${userName}: ${login.status()} ${await login.text()}`);
    const changed = await own.post('/api/auth/password', { data: { currentPassword: given, newPassword: password } });
    if (changed.status() !== 204)
      throw new Error(`change password ${userName}: ${changed.status()} ${await changed.text()}`);
  } finally {
    await own.dispose();
  }
}
