import { useEffect } from 'react';
import { Navigate, useLocation } from 'react-router';
import InboxPage from '../inbox/InboxPage';
import { useCurrentUser } from '../auth/AuthContext';
import { landed, landsOnCockpit, markLanded } from './landing';

/**
 * The app's root: 待办 — except that a leader's first stop in a session is his 驾驶舱 (decision 041). Any visit to the
 * root ends that moment, so coming back to 待办 later (after submitting a task, from the menu) stays on 待办.
 */
export default function HomePage() {
  const user = useCurrentUser();
  const location = useLocation();
  const toCockpit = landsOnCockpit(user, location.search, landed());
  // Marked after the commit, never while rendering: a render React throws away (a lazy chunk elsewhere suspends it on a
  // slow load) must not use up the landing, or the render it retries finds it spent and shows 待办.
  useEffect(markLanded, []);
  if (toCockpit) return <Navigate to="/cockpit" replace />;
  return <InboxPage />;
}
