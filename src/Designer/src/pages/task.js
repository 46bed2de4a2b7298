// One task with what a person needs to act on it: its process and ticket, the form, where it stands on the
// diagram and what happened before it. A task that closed shows who closed it and when.

import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { mountTaskForm } from '../forms/taskForm.js';
import { createViewer } from '../bpmn/diagrams.js';
import { showInstance } from '../bpmn/marks.js';
import { controlsKey, due, holders, taskControls } from './taskActions.js';
import { refreshTaskBadge, TASK_POLL_MS } from './taskBadge.js';
import { flashOnTaskList } from './tasks.js';
import './tasks.css';

const HISTORY_STEPS = 10;

export async function taskPage(main, [id], user) {
  const me = user?.name;
  const status = h('div', { class: 'status-line' });
  const title = h('h1', { id: 'task-title' });
  const controls = h('span', { class: 'group' });
  const facts = h('dl', { class: 'task-facts', id: 'task-facts' });
  const ticket = h('section', { class: 'task-ticket', id: 'task-ticket' });
  const form = h('section', { class: 'task-form-box', id: 'task-form' });
  const canvas = h('div', { class: 'canvas viewer task-diagram', id: 'canvas', role: 'figure', 'aria-label': t('Process diagram') });
  const history = h('section', { id: 'task-history' });
  main.append(
    h('div', { class: 'toolbar' }, h('a', { href: '#/tasks', class: 'back' }, `← ${t('Tasks')}`), title, controls),
    status,
    h('div', { class: 'task-page' },
      h('div', { class: 'task-side' }, facts, ticket, form),
      h('div', { class: 'task-main' }, canvas, history)));
  const viewer = createViewer(canvas);
  let task = null;
  let shownState = null;
  let shownControls = null;
  let loadedVersion = null;
  let stopped = false;

  async function refresh() {
    let next;
    try {
      next = await api.task(id);
    } catch (e) {
      notice(status, 'error', e.status === 404 ? t('There is no task {id}. It may have been removed with its process; go back to the list.', { id }) : e.message);
      return;
    }
    if (stopped) return;
    task = next;
    clear(title, task.name || task.elementId);
    clear(facts,
      fact(t('Process'), task.processName ? `${task.processName} v${task.processVersion}` : task.processKey || ''),
      task.businessKey ? fact(t('Business key'), h('code', {}, task.businessKey)) : null,
      task.summary ? fact(t('Summary'), task.summary) : null,
      fact(t('Assigned to'), holders(task)),
      fact(t('Due'), due(task)),
      fact(t('Started'), formatTime(task.createdAt)),
      fact(t('Instance'), h('a', { href: `#/instances/${task.instanceId}` }, h('code', {}, task.instanceId.slice(0, 8)))));
    clear(ticket, h('h3', {}, t('Ticket')), task.ticket
      ? h('dl', { class: 'task-facts' },
        fact(t('Number'), h('a', { href: `#/tickets/${task.ticket.number}`, id: 'task-ticket-link' }, task.ticket.number)),
        fact(t('Title'), task.ticket.title),
        fact(t('Priority'), h('span', { class: 'status' }, task.ticket.priority)),
        fact(t('State'), h('span', { class: 'status' }, t(task.ticket.state))))
      : h('p', { class: 'muted' }, t('This process has no ticket.')));
    const key = controlsKey(task, me);
    if (key !== shownControls && !controls.querySelector('.delegate-picker')) {
      clear(controls, taskControls(task, me, { onChanged: changed, onError: failed }));
      shownControls = key;
    }
    if (task.state !== shownState) {
      shownState = task.state;
      if (task.state === 'open') {
        clear(form, h('h3', {}, t('Your decision')));
        mountTaskForm(form, task, { onDone: done, onError: failed });
      } else {
        clear(form, h('h3', {}, t('Closed')), h('p', { class: 'notice info', id: 'task-closed' }, task.state === 'completed'
          ? t('Completed by {who} on {time}.', { who: task.endedBy || t('the process'), time: formatTime(task.endedAt) })
          : t('Cancelled on {time}{by}. Nothing is left to do here.', { time: formatTime(task.endedAt), by: task.endedBy ? ` (${task.endedBy})` : '' })));
      }
    }
    await showProcess();
  }

  async function showProcess() {
    let instance;
    try {
      instance = await api.instance(task.instanceId);
    } catch (e) {
      clear(history, h('p', { class: 'notice error' }, e.message));
      return;
    }
    if (stopped) return;
    const version = `${instance.definitionKey}/${instance.version}`;
    if (loadedVersion !== version) {
      try {
        await viewer.importXML(await api.version(instance.definitionKey, instance.version));
        viewer.get('canvas').zoom('fit-viewport', 'auto');
        loadedVersion = version;
      } catch (e) {
        notice(status, 'error', e.message);
        return;
      }
    }
    showInstance(viewer, instance);
    const element = viewer.get('elementRegistry').get(task.elementId);
    if (element) viewer.get('canvas').addMarker(element, 'ops-task-here');
    // The server lists steps in the order they happened; the latest come first here.
    const steps = [...(instance.history || [])].reverse().slice(0, HISTORY_STEPS);
    clear(history, h('h3', {}, t('Recent steps')), steps.length === 0 ? h('p', { class: 'muted' }, t('Nothing has happened yet.')) : h('table', { class: 'list', id: 'history' },
      h('thead', {}, h('tr', {}, [t('Step'), t('Status'), t('Started at'), t('Ended at'), t('Actor')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, steps.map((s) => h('tr', { class: s.elementId === task.elementId ? 'here' : '' },
        h('td', {}, s.name || s.elementId), h('td', {}, h('span', { class: `status ${s.outcome}` }, t(s.outcome))),
        h('td', {}, formatTime(s.startedAt)), h('td', {}, formatTime(s.endedAt)), h('td', {}, s.actor || ''))))));
  }

  async function changed(next) {
    notice(status, 'ok', next.assignee ? t('Task "{name}" is now with {who}.', { name: next.name || next.elementId, who: next.assignee })
      : t('Task "{name}" is back with its candidates.', { name: next.name || next.elementId }));
    shownControls = null;
    await refresh();
    refreshTaskBadge();
  }

  function done() {
    flashOnTaskList('ok', t('Task "{name}" is done. The process has moved on.', { name: task.name || task.elementId }));
    refreshTaskBadge();
    location.hash = '#/tasks';
  }

  function failed(e) {
    notice(status, 'error', e.message);
  }

  await refresh();
  const timer = setInterval(() => { if (!document.hidden) refresh(); }, TASK_POLL_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
    viewer.destroy();
  };
}

function fact(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}
