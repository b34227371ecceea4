import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { canAccess, outsideBusiness, PLATFORM_ROLE } from '../app/navigation';
import { useCurrentUser } from '../features/auth/AuthContext';
import { ForbiddenPage } from './LazyStatusPages';

/**
 * Shows a 403 page when the signed-in user has none of `roles`. The platform administrator, who belongs to no
 * organization, and an auditor, who takes no part in the business, are taken to their own screen instead (the inbox is
 * where everyone else lands).
 */
export function RoleGate({ roles, children }: { roles?: readonly string[]; children: ReactNode }) {
  const user = useCurrentUser();
  if (canAccess({ roles }, user.roles)) return <>{children}</>;
  if (outsideBusiness(user.roles))
    return <Navigate to={user.roles.includes(PLATFORM_ROLE) ? '/platform' : '/audit'} replace />;
  return <ForbiddenPage />;
}
