import { RouterProvider } from 'react-router';
import { AuthProvider } from '../features/auth/AuthContext';
import { AppProviders } from './AppProviders';
import { createAppRouter, routerFlushSync } from './router';

// One router for the page's lifetime (created outside React so StrictMode's
// double rendering doesn't create a second one).
const router = createAppRouter();

export function App() {
  return (
    <AppProviders>
      <AuthProvider>
        <RouterProvider router={router} flushSync={routerFlushSync} />
      </AuthProvider>
    </AppProviders>
  );
}
