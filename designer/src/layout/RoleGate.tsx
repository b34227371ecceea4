import type { ReactNode } from 'react';
import { canAccess } from '../app/navigation';
import { useCurrentUser } from '../features/auth/AuthContext';
import { ForbiddenPage } from './StatusPages';

/** Shows a 403 page when the signed-in user has none of `roles`. */
export function RoleGate({ roles, children }: { roles?: readonly string[]; children: ReactNode }) {
  const user = useCurrentUser();
  return canAccess({ roles }, user.roles) ? <>{children}</> : <ForbiddenPage />;
}
