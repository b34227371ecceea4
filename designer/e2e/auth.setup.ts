import { expect, test as setup } from '@playwright/test';
import { authFile, DEMO_PASSWORD, demoUsers, type DemoUser } from './users';

// Log in once per demo user through the API and keep the session cookie, so
// specs can start signed in with test.use({ storageState: authFile(user) }).
for (const user of Object.keys(demoUsers) as DemoUser[]) {
  setup(`登录 ${user}`, async ({ request }) => {
    const response = await request.post('/api/auth/login', {
      data: { userName: demoUsers[user].userName, password: DEMO_PASSWORD },
    });
    expect(response.status(), `POST /api/auth/login as ${user}: ${await response.text()}`).toBe(200);
    const me = await request.get('/api/auth/me');
    const body = await me.text();
    expect(me.status(), `GET /api/auth/me as ${user}: ${body}`).toBe(200);
    expect(body, `GET /api/auth/me as ${user} must return the CurrentUser JSON`).not.toBe('');
    expect((JSON.parse(body) as { roles: string[] }).roles).toContain(demoUsers[user].role);
    await request.storageState({ path: authFile(user) });
  });
}
