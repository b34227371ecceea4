import { Navigate, useLocation } from 'react-router';
import InboxPage from '../inbox/InboxPage';
import { useCurrentUser } from '../auth/AuthContext';
import { LANDED_KEY, landsOnCockpit } from './landing';

function landed(): boolean {
  try {
    return sessionStorage.getItem(LANDED_KEY) === '1';
  } catch {
    return true;
  }
}

/** The app's root: 待办 — except that a leader's first stop in a session is his 驾驶舱 (decision 041). */
export default function HomePage() {
  const user = useCurrentUser();
  const location = useLocation();
  if (landsOnCockpit(user.roles, location.search, landed())) {
    try {
      sessionStorage.setItem(LANDED_KEY, '1');
    } catch {
      // Storage refused: he lands on the cockpit each time he opens the root, still one click from 待办.
    }
    return <Navigate to="/cockpit" replace />;
  }
  return <InboxPage />;
}
