// The task list people work from: mine, my groups' or everybody's open tasks with their process, ticket and
// due date. It asks the server again every few seconds and changes only the rows that changed, so a comment
// being typed or a delegate being chosen stays as it is.

import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { mountTaskForm } from '../forms/taskForm.js';
import { controlsKey, due, holders, taskControls } from './taskActions.js';
import { refreshTaskBadge, TASK_POLL_MS } from './taskBadge.js';
import './tasks.css';

const PAGE = 100;
let flash = null;
let lastScope = 'mine';

/** A message the list shows once, the next time it opens (e.g. after a task page completed its task). */
export function flashOnTaskList(kind, text) {
  flash = { kind, text };
}

const EMPTY = {
  mine: () => [t('No open tasks.'), ' ', t('Nothing is assigned to you. Look under "My groups" for tasks your groups can take, and claim one.')],
  groups: () => [t('No unclaimed tasks for your groups.'), ' ', t('New tasks appear here by themselves when a process needs one of your groups.')],
  all: () => [t('No open tasks.'), ' ', t('Tasks appear here when a process reaches a user task or an approval.')]
};

export async function tasksPage(main, _params, user) {
  const me = user?.name;
  const status = h('div', { class: 'status-line' });
  const list = h('div', { class: 'task-list' });
  const more = h('div', { class: 'more' });
  const scopes = [['mine', t('My tasks')], ['groups', t('My groups')], ...(can('instances:operate') ? [['all', t('All open tasks')]] : [])];
  if (!scopes.some(([value]) => value === lastScope)) lastScope = 'mine';
  const scope = h('select', { id: 'task-scope', onchange: () => { lastScope = scope.value; limit = PAGE; reset(); load(); } },
    scopes.map(([value, label]) => h('option', { value, selected: value === lastScope }, label)));
  const updated = h('span', { class: 'muted updated', 'aria-live': 'off' });
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, t('Tasks')),
    h('label', { class: 'group' }, t('Show'), ' ', scope), updated), status, list, more);
  if (flash) {
    notice(status, flash.kind, flash.text);
    flash = null;
  }

  let limit = PAGE;
  let table = null;
  const rows = new Map();
  let stopped = false;

  function reset() {
    table = null;
    rows.clear();
    clear(list);
  }

  async function load() {
    let tasks;
    try {
      tasks = await api.tasks({ scope: scope.value, state: 'open', limit });
    } catch (e) {
      notice(status, 'error', e.message);
      return;
    }
    if (stopped) return;
    updated.textContent = t('Updated {time}', { time: new Date().toLocaleTimeString(document.documentElement.lang || undefined) });
    show(tasks);
  }

  function show(tasks) {
    if (tasks.length === 0) {
      reset();
      clear(list, h('p', { class: 'empty', id: 'tasks-empty' }, EMPTY[scope.value]()));
      clear(more);
      return;
    }
    if (!table) {
      table = h('tbody');
      clear(list, h('table', { class: 'list tasks', id: 'tasks' },
        h('thead', {}, h('tr', {}, [t('Task'), t('Ticket'), t('Summary'), t('Due'), t('Assigned to'), t('Actions')].map((c) => h('th', { scope: 'col' }, c)))),
        table));
    }
    const seen = new Set();
    let previous = null;
    for (const task of tasks) {
      seen.add(task.id);
      let entry = rows.get(task.id);
      if (!entry) {
        entry = newRow(task);
        rows.set(task.id, entry);
      } else {
        update(entry, task);
      }
      // Keep the server's order without moving rows that are already in place.
      const after = previous ? previous.nextSibling : table.firstChild;
      if (after !== entry.tr) table.insertBefore(entry.tr, after);
      previous = entry.tr;
    }
    for (const [id, entry] of rows) {
      if (seen.has(id)) continue;
      entry.tr.remove();
      rows.delete(id);
    }
    clear(more, tasks.length >= limit && limit < 500
      ? h('button', { id: 'more-tasks', onclick: () => { limit += PAGE; load(); } }, t('Show more'))
      : null);
  }

  function info(task) {
    return [
      h('td', { class: 'task-name' },
        h('a', { href: `#/tasks/${task.id}`, class: 'task-link' }, task.name || task.elementId),
        h('div', { class: 'muted process' }, task.processName ? `${task.processName} v${task.processVersion}` : '')),
      h('td', { class: 'ticket' }, task.ticket
        ? [h('a', { href: `#/tickets/${task.ticket.number}` }, task.ticket.number), h('div', { class: 'ticket-title' }, task.ticket.title)]
        : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'summary' }, task.businessKey ? h('code', {}, task.businessKey) : null, task.businessKey && task.summary ? ' ' : null, task.summary || '',
        h('div', { class: 'muted' }, t('Started {time}', { time: formatTime(task.createdAt) }))),
      h('td', { class: 'due-cell' }, due(task)),
      h('td', { class: 'people' }, holders(task))
    ];
  }

  function newRow(task) {
    const controls = h('span');
    const form = h('span', { class: 'task-form' });
    const tr = h('tr', { dataset: { taskId: task.id }, onclick: (event) => {
      if (event.target.closest('a, button, input, select, textarea, label')) return;
      location.hash = `#/tasks/${task.id}`;
    } }, info(task), h('td', { class: 'act' }, controls, form));
    const entry = { tr, controls, form, task, infoKey: null, controlsKey: null };
    update(entry, task);
    mountTaskForm(form, task, { onDone: done, onError: failed });
    return entry;
  }

  function update(entry, task) {
    const infoKey = JSON.stringify([task.name, task.processName, task.processVersion, task.ticket, task.businessKey, task.summary, task.dueAt, task.overdue,
      task.assignee, task.candidateUsers, task.candidateGroups, task.pendingApprovers]);
    if (entry.infoKey !== infoKey) {
      entry.tr.replaceChildren(...info(task), entry.tr.lastChild || h('td', { class: 'act' }, entry.controls, entry.form));
      entry.infoKey = infoKey;
    }
    const key = controlsKey(task, me);
    // A picker being used stays until its person is done with it.
    if (entry.controlsKey !== key && !entry.controls.querySelector('.delegate-picker')) {
      clear(entry.controls, taskControls(task, me, { onChanged: changed, onError: failed }));
      entry.controlsKey = key;
    }
    entry.task = task;
  }

  async function changed(task) {
    notice(status, 'ok', task.assignee ? t('Task "{name}" is now with {who}.', { name: task.name || task.elementId, who: task.assignee })
      : t('Task "{name}" is back with its candidates.', { name: task.name || task.elementId }));
    const entry = rows.get(task.id);
    if (entry) entry.controlsKey = null;
    await load();
    refreshTaskBadge();
  }

  async function done() {
    notice(status, 'ok', t('Done. The process has moved on.'));
    await load();
    refreshTaskBadge();
  }

  function failed(e) {
    notice(status, 'error', e.message);
  }

  await load();
  refreshTaskBadge();
  const timer = setInterval(() => { if (!document.hidden) load(); }, TASK_POLL_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
