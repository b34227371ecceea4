import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { canAccess, PLATFORM_ROLE } from '../app/navigation';
import { useCurrentUser } from '../features/auth/AuthContext';
import { ForbiddenPage } from './LazyStatusPages';

/**
 * Shows a 403 page when the signed-in user has none of `roles`. The platform administrator, who belongs to no
 * organization, is taken to his own screen instead (the inbox is where everyone else lands).
 */
export function RoleGate({ roles, children }: { roles?: readonly string[]; children: ReactNode }) {
  const user = useCurrentUser();
  if (canAccess({ roles }, user.roles)) return <>{children}</>;
  if (user.roles.length > 0 && user.roles.every((role) => role === PLATFORM_ROLE))
    return <Navigate to="/platform" replace />;
  return <ForbiddenPage />;
}
