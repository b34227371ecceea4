import { RouterProvider } from 'react-router';
import { AuthProvider } from '../features/auth/AuthContext';
import { createAppRouter, routerFlushSync } from './router';

// One router for the page's lifetime (created outside React so StrictMode's
// double rendering doesn't create a second one).
const router = createAppRouter();

/** antd's providers are not here: they wrap each route or dialog that uses antd, loaded then (WithAntd). */
export function App() {
  return (
    <AuthProvider>
      <RouterProvider router={router} flushSync={routerFlushSync} />
    </AuthProvider>
  );
}
