import { StyleProvider } from '@ant-design/cssinjs';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders } from '../app/AppProviders';
import { buildRoutes, routerFlushSync } from '../app/router';
import { AuthProvider } from '../features/auth/AuthContext';

/** Loads the code-split pages up front so the first test of a file doesn't pay for it. */
export async function preloadPages() {
  await Promise.all([import('../features/auth/LoginPage'), import('../features/inbox/InboxPage')]);
}

/**
 * Renders the whole app (auth, layout, lazy routes) at `path` with an in-memory router. `{ antd: 'lazy' }`: as the real
 * app, without AppProviders around it — antd's providers come lazily with the pages that use them (decision 040).
 */
export function renderApp(path = '/', { antd = 'around' }: { antd?: 'around' | 'lazy' } = {}) {
  const router = createMemoryRouter(buildRoutes(), { initialEntries: [path] });
  if (antd === 'lazy') {
    const result = render(
      <StyleProvider mock="server">
        <AuthProvider>
          <RouterProvider router={router} flushSync={routerFlushSync} />
        </AuthProvider>
      </StyleProvider>,
    );
    return { ...result, router };
  }
  const result = render(
    // mock="server": antd keeps its CSS-in-JS styles in memory instead of
    // injecting <style> tags, which makes jsdom's getComputedStyle much cheaper.
    <StyleProvider mock="server">
      <AppProviders motion={false}>
        <AuthProvider>
          <RouterProvider router={router} flushSync={routerFlushSync} />
        </AuthProvider>
      </AppProviders>
    </StyleProvider>,
  );
  return { ...result, router };
}
