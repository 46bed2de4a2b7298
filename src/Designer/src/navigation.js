// A page with unsaved work registers a guard; moving to another page (a link, the back button, a
// button that changes the hash) asks it first, and a guard that says no keeps the page as it is.

let guard = null;

/** Sets the guard of the page shown: a function that returns true when the page may be left. */
export function setLeaveGuard(next) {
  guard = next;
}

export function clearLeaveGuard(previous) {
  if (guard === previous) guard = null;
}

/** Asks the page's guard, if any, whether it may be left now. */
export function mayLeave() {
  return guard ? guard() : true;
}
