import { lazy, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { WithAntd } from '../../app/WithAntd';
import { Spinner } from '../../shared/plain/Spinner';
import { useAuth } from './AuthContext';

const AuthLoadError = lazy(() => import('./AuthLoadError'));

/** Renders its children only for a signed-in user; otherwise goes to /login. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, loadError, reload } = useAuth();
  const location = useLocation();

  if (status === 'loading') {
    return (
      <div className="page-center page-loading">
        <Spinner size="large" />
        <span>正在加载…</span>
      </div>
    );
  }

  if (status === 'anonymous') {
    if (loadError) {
      return (
        <WithAntd>
          <AuthLoadError error={loadError} onRetry={reload} />
        </WithAntd>
      );
    }
    const from = location.pathname + location.search;
    return <Navigate to="/login" replace state={from !== '/' ? { from } : undefined} />;
  }

  return <>{children}</>;
}
