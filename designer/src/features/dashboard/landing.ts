import { ROLES } from '../../api/types';

/** Set once a leader has been taken to his 驾驶舱 in this browser session: after that, 待办 stays 待办. */
export const LANDED_KEY = 'duban.cockpit.landed';

/**
 * A leader (领导, not also of the office) opening the app lands on his 驾驶舱 (decision 041) — once per session, so the
 * menu's 待办 still opens his to-do list. A link from a message (a task, an item) is not the root and is left alone.
 */
export function landsOnCockpit(roles: readonly string[], search: string, alreadyLanded: boolean): boolean {
  if (alreadyLanded || search.length > 0) return false;
  return roles.includes(ROLES.leader) && !roles.includes(ROLES.supervisor) && !roles.includes(ROLES.admin);
}

/** Whether this browser session has passed its landing moment (storage refused: as if it had, so 待办 stays 待办). */
export function landed(): boolean {
  try {
    return sessionStorage.getItem(LANDED_KEY) === '1';
  } catch {
    return true;
  }
}

export function markLanded(): void {
  try {
    sessionStorage.setItem(LANDED_KEY, '1');
  } catch {
    // Storage refused: landed() answers true anyway.
  }
}

/**
 * Called once when the app starts: a session whose first page is not the bare root (a task link from a message, the
 * 待办 tab by name) has had its landing — the root later is 待办.
 */
export function noteEntry(location: { pathname: string; search: string }): void {
  if (location.pathname !== '/' || location.search.length > 0) markLanded();
}
