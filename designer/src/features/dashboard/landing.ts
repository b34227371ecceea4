import { can, outsideBusiness, type Viewer } from '../../app/navigation';

/** Set once a leader has been taken to his 驾驶舱 in this browser session: after that, 待办 stays 待办. */
export const LANDED_KEY = 'duban.cockpit.landed';

/**
 * A leader opening the app lands on his 驾驶舱 (decision 041) — once per session, so the menu's 待办 still opens his
 * to-do list. A link from a message (a task, an item) is not the root and is left alone. "A leader" is read from what his
 * roles let him do, not from their names (roles are the organization's data, decision 049): he reads every item and acts
 * on none — no 督查督办, no unit's tasks, no administration. A 特约督查员 defined that way lands there too.
 */
export function landsOnCockpit(viewer: Viewer, search: string, alreadyLanded: boolean): boolean {
  if (alreadyLanded || search.length > 0 || outsideBusiness(viewer)) return false;
  const acts = (
    ['supervise', 'handleUnitTasks', 'designProcedures', 'configureSupervision', 'manageUnitsAndPeople'] as const
  ).some((permission) => can(viewer, permission));
  return can(viewer, 'seeAllItems') && !acts;
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
