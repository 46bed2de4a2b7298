// The number of the signed-in person's open tasks beside "Tasks" in the header, asked every few seconds.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

export const TASK_POLL_MS = 4000;

const badge = h('span', { class: 'task-badge', id: 'task-badge', hidden: true, 'aria-live': 'polite' });
let timer = null;
let count = null;

function show() {
  badge.hidden = !count;
  badge.textContent = count ? String(count) : '';
  badge.title = t('{n} open tasks of yours', { n: count || 0 });
}

/** Asks the server now; the header's badge shows the answer. */
export async function refreshTaskBadge() {
  try {
    count = (await api.taskCount('mine')).count;
  } catch {
    count = null;
  }
  show();
}

/** The badge element, polling while someone is signed in; stopTaskBadge ends it at sign-out. */
export function taskBadge() {
  show();
  if (!timer) {
    refreshTaskBadge();
    timer = setInterval(() => { if (!document.hidden) refreshTaskBadge(); }, TASK_POLL_MS);
  }
  return badge;
}

export function stopTaskBadge() {
  clearInterval(timer);
  timer = null;
  count = null;
}
