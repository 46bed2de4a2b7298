// What a person does to a task besides deciding it: claim it, release it, hand it to someone. The list and
// the task page show the same controls; the server says no with a message the person can act on.

import { api } from '../api.js';
import { formatTime, h } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../session.js';

let people = null;

/** Usernames to hand a task to, asked once per page load. */
async function peopleList() {
  if (!people) people = api.taskPeople().catch((e) => { people = null; throw e; });
  return people;
}

/** Who holds or may take the task, in words. */
export function holders(task) {
  if (task.pendingApprovers) return t('Awaiting: {who}', { who: task.pendingApprovers.map((s) => s.replace(/^user:/, '')).join(', ') });
  if (task.assignee) return task.assignee;
  const candidates = [...(task.candidateUsers || []), ...(task.candidateGroups || []).map((g) => t('group {name}', { name: g }))];
  return candidates.length ? t('Candidates: {who}', { who: candidates.join(', ') }) : t('Anyone');
}

/** The due date with a mark when it has passed. */
export function due(task) {
  if (!task.dueAt) return h('span', { class: 'muted' }, '—');
  return h('span', { class: task.overdue ? 'due overdue' : 'due' }, formatTime(task.dueAt),
    task.overdue ? h('strong', { class: 'overdue-mark' }, ' ', t('Overdue')) : null);
}

/** A state string that changes when the controls must change. */
export function controlsKey(task, me) {
  return JSON.stringify([task.state, task.assignee, task.pendingApprovers, me]);
}

/**
 * Claim, release and delegate buttons for an open task. onChanged gets the task the server answered with;
 * onError the failed call.
 */
export function taskControls(task, me, { onChanged, onError }) {
  const box = h('span', { class: 'task-controls' });
  if (task.state !== 'open') return box;
  const act = (call) => async () => {
    try {
      onChanged(await call());
    } catch (e) {
      onError(e);
    }
  };
  const mine = task.assignee === me;
  const mySeat = (task.pendingApprovers || []).includes(`user:${me}`);
  if (!task.pendingApprovers && !task.assignee) {
    box.append(h('button', { class: 'claim', onclick: act(() => api.claimTask(task.id)) }, t('Claim')));
  }
  if (!task.pendingApprovers && task.assignee && (mine || can('instances:operate'))) {
    box.append(h('button', { class: 'unclaim', onclick: act(() => api.unclaimTask(task.id)) }, mine ? t('Unclaim') : t('Release')));
  }
  if (mine || mySeat) box.append(h('button', { class: 'delegate', onclick: () => openPicker() }, t('Delegate')));

  function openPicker() {
    const select = h('select', { class: 'delegate-to', 'aria-label': t('Hand the task to') }, h('option', { value: '' }, t('Choose a person…')));
    const picker = h('span', { class: 'delegate-picker' },
      select, ' ',
      h('button', { class: 'primary hand-over', onclick: act(async () => {
        if (!select.value) throw new Error(t('Choose the person who takes the task.'));
        return api.delegateTask(task.id, select.value);
      }) }, t('Hand over')), ' ',
      h('button', { class: 'cancel-delegate', onclick: () => picker.replaceWith(...buttons) }, t('Cancel')));
    const buttons = [...box.childNodes];
    box.replaceChildren(picker);
    select.focus();
    peopleList().then((list) => {
      for (const person of list) {
        if (person.username === me) continue;
        select.append(h('option', { value: person.username }, person.displayName ? `${person.displayName} (${person.username})` : person.username));
      }
    }, onError);
  }

  return box;
}
