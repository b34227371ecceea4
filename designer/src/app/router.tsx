import { lazy, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RequireAuth } from '../features/auth/RequireAuth';
import { AppLayout } from '../layout/AppLayout';
import { RoleGate } from '../layout/RoleGate';
import { NotFoundPage, RouteErrorPage } from '../layout/LazyStatusPages';
import { appRoutes } from './routes';
import { WithAntd } from './WithAntd';

const LoginPage = lazy(() => import('../features/auth/LoginPage'));
// 在线征询: opened by someone outside the organization from a link, without signing in.
const FeedbackPage = lazy(() => import('../features/feedback/FeedbackPage'));

/** A page outside the signed-in layout: antd's providers and the page, loaded when it is opened. */
function PageSuspense({ children }: { children: ReactNode }) {
  return <WithAntd>{children}</WithAntd>;
}

export function buildRoutes(): RouteObject[] {
  const children: RouteObject[] = appRoutes.map((route) => {
    const Page = route.component;
    const element = (
      <RoleGate roles={route.roles} permissions={route.permissions}>
        <Page />
      </RoleGate>
    );
    return route.path === '/' ? { index: true, element } : { path: route.path.replace(/^\//, ''), element };
  });
  children.push({ path: '*', element: <NotFoundPage /> });

  return [
    {
      path: '/login',
      element: (
        <PageSuspense>
          <LoginPage />
        </PageSuspense>
      ),
      errorElement: <RouteErrorPage />,
    },
    {
      path: '/feedback/:token',
      element: (
        <PageSuspense>
          <FeedbackPage />
        </PageSuspense>
      ),
      errorElement: <RouteErrorPage />,
    },
    {
      path: '/',
      element: (
        <RequireAuth>
          <AppLayout />
        </RequireAuth>
      ),
      errorElement: <RouteErrorPage />,
      children,
    },
  ];
}

export function createAppRouter() {
  return createBrowserRouter(buildRoutes());
}

/**
 * Passed to <RouterProvider flushSync>: lets a navigation opt out of React
 * transitions with `{ flushSync: true }` (the inbox filters use it).
 */
export function routerFlushSync(fn: () => unknown): undefined {
  flushSync(fn);
  return undefined;
}
