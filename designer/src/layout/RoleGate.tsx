import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { canAccess, outsideBusiness, outsideLanding, type RoleRestricted } from '../app/navigation';
import { useCurrentUser } from '../features/auth/AuthContext';
import { ForbiddenPage } from './LazyStatusPages';

/**
 * Shows a 403 page when the signed-in user has none of the route's roles or permissions. The platform administrator, who belongs to no
 * organization, and an auditor, who takes no part in the business, are taken to their own screen instead (the inbox is
 * where everyone else lands).
 */
export function RoleGate({ roles, permissions, children }: RoleRestricted & { children: ReactNode }) {
  const user = useCurrentUser();
  if (canAccess({ roles, permissions }, user)) return <>{children}</>;
  if (outsideBusiness(user)) return <Navigate to={outsideLanding(user)} replace />;
  return <ForbiddenPage />;
}
