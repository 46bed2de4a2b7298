import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * The part of a task where the person acts on it: a comment and the task's decisions. The task list and
 * the task page both mount it; it calls onDone after the server took the decision and onError with the
 * failed call, so the host page decides where messages go.
 */
export function mountTaskForm(container, task, { onDone = () => {}, onError = () => {} } = {}) {
  const comment = h('input', { class: 'comment', maxlength: 2000, placeholder: t('Comment') });
  const decide = async (outcome) => {
    try {
      if (task.pendingApprovers) await api.decideTask(task.id, outcome, comment.value);
      else await api.completeTask(task.id, outcome, comment.value);
      await onDone(outcome);
    } catch (e) {
      onError(e);
    }
  };
  container.append(
    comment, ' ',
    h('button', { class: 'primary approve', onclick: () => decide('approve') }, t('Approve')), ' ',
    h('button', { class: 'reject', onclick: () => decide('reject') }, t('Reject')));
}
