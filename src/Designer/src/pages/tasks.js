import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { mountTaskForm } from '../forms/taskForm.js';

export async function tasksPage(main) {
  const status = h('div', { class: 'status-line' });
  const list = h('div');
  // My tasks: where the caller is the assignee, a candidate, or an approver who has not decided yet.
  const scope = h('select', { id: 'task-scope', 'aria-label': t('Tasks'), onchange: () => load() },
    h('option', { value: 'mine' }, t('My tasks')), h('option', { value: 'all' }, t('All open tasks')));
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, t('Open tasks')), scope), status, list);

  async function load() {
    try {
      const tasks = await api.tasks(scope.value === 'mine' ? { state: 'open', mine: true } : { state: 'open' });
      clear(list, tasks.length === 0 ? h('p', {}, t('No open tasks.')) : h('table', { class: 'list', id: 'tasks' },
        h('thead', {}, h('tr', {}, [t('Name'), t('Instance'), t('Assignee'), t('Candidate groups'), t('Started at'), t('Comment')].map((c) => h('th', {}, c)))),
        h('tbody', {}, tasks.map((task) => row(task)))));
    } catch (e) {
      notice(status, 'error', e.message);
    }
  }

  function row(task) {
    const act = h('td', { class: 'act' });
    mountTaskForm(act, task, { onDone: load, onError: (e) => notice(status, 'error', e.message) });
    return h('tr', { dataset: { taskId: task.id } },
      h('td', {}, task.name || task.elementId),
      h('td', {}, h('a', { href: `#/instances/${task.instanceId}` }, h('code', {}, task.instanceId.slice(0, 8)))),
      h('td', {}, task.pendingApprovers ? task.pendingApprovers.join(', ') : task.assignee || ''), h('td', {}, (task.candidateGroups || []).join(', ')),
      h('td', {}, formatTime(task.createdAt)), act);
  }

  await load();
}
