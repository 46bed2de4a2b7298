// One ticket: its fields, both SLA clocks, links, comments and timeline, moves the state machine allows,
// and the process behind it drawn with its progress.

import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { createViewer } from '../bpmn/diagrams.js';
import { showInstance } from '../bpmn/marks.js';

export async function ticketPage(main, [number]) {
  const status = h('div', { class: 'status-line' });
  const title = h('h1', {});
  const summary = h('div', { class: 'instance-details' });
  const process = h('section', { id: 'ticket-process' });
  const canvas = h('div', { class: 'canvas viewer', id: 'canvas' });
  main.append(h('div', { class: 'toolbar' }, title, h('button', { id: 'refresh', onclick: () => load() }, t('Refresh'))), status, summary, process);
  let viewer = null;

  async function act(action) {
    try {
      await action();
      await load();
    } catch (e) {
      notice(status, 'error', e.message);
    }
  }

  async function load() {
    let view;
    try {
      view = await api.ticket(number);
    } catch (e) {
      notice(status, 'error', e.message);
      return;
    }
    notice(status, 'info', null);
    const ticket = view.ticket;
    clear(title, h('code', {}, ticket.number), ` ${ticket.title} · `, h('span', { class: 'status', id: 'ticket-state' }, t(ticket.state)), ` · ${ticket.priority}`);
    const comment = h('textarea', { id: 'comment-text', maxlength: 20000, rows: 2, placeholder: t('Comment') });
    const to = h('select', { id: 'move-to' }, ticket.allowedTransitions.map((s) => h('option', { value: s }, t(s))));
    const note = h('input', { id: 'move-note', maxlength: 4000, placeholder: t('Note') });
    clear(summary,
      h('section', {}, h('h3', {}, t('Ticket')), h('table', { class: 'list', id: 'ticket-fields' }, h('tbody', {},
        row(t('Type'), t(ticket.type)), row(t('State'), t(ticket.state)),
        row(t('Priority'), `${ticket.priority} (${t('impact')} ${ticket.impact}, ${t('urgency')} ${ticket.urgency})`),
        row(t('Requester'), ticket.requester || ''), row(t('Assignee'), ticket.assignee || ''), row(t('Group'), ticket.group || ''),
        row(t('Hosts'), ticket.affected.hosts.join(', ')), row(t('Services'), ticket.affected.services.join(', ')),
        row(t('Created at'), formatTime(ticket.createdAt)), row(t('Updated at'), formatTime(ticket.updatedAt)))),
      ticket.description ? h('p', { class: 'description' }, ticket.description) : null),
      h('section', {}, h('h3', {}, t('SLA')), h('table', { class: 'list', id: 'sla' },
        h('thead', {}, h('tr', {}, [t('Clock'), t('Target'), t('Due at'), t('Stopped at'), t('Status')].map((c) => h('th', {}, c)))),
        h('tbody', {}, clock('response', t('Response'), ticket.sla.response), clock('resolution', t('Resolution'), ticket.sla.resolution)))),
      can('tickets:write') ? h('section', {}, h('h3', {}, t('Work on it')),
        ticket.allowedTransitions.length ? h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); act(() => api.moveTicket(number, to.value, note.value)); } },
          t('Move to'), ' ', to, note, h('button', { type: 'submit', id: 'move' }, t('Move'))) : h('p', {}, t('This ticket is in a final state.')),
        h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); act(() => api.commentTicket(number, comment.value)); } },
          comment, h('button', { type: 'submit', id: 'add-comment' }, t('Add comment')))) : null,
      h('section', {}, h('h3', {}, t('Links')), view.links.length === 0 ? h('p', {}, '—') : h('ul', { id: 'links' },
        view.links.map((l) => h('li', {}, `${t(l.kind)} (${l.direction === 'out' ? '→' : '←'}) `, h('a', { href: `#/tickets/${l.number}` }, h('code', {}, l.number)), ` ${t(l.type)}`)))),
      h('section', {}, h('h3', {}, t('Timeline')), h('table', { class: 'list', id: 'timeline' },
        h('thead', {}, h('tr', {}, [t('Time'), t('Who'), t('What'), ''].map((c) => h('th', {}, c)))),
        h('tbody', {}, view.timeline.map((entry) => h('tr', { dataset: { kind: entry.kind } },
          h('td', {}, formatTime(entry.time)), h('td', {}, entry.actor || ''), h('td', {}, t(entry.kind)), h('td', {}, describe(entry))))))));
    await drawProcess(ticket.instanceId);
  }

  async function drawProcess(instanceId) {
    if (!instanceId) {
      clear(process, h('h3', {}, t('Process')), h('p', {}, t('No process instance is behind this ticket.')));
      return;
    }
    clear(process, h('h3', {}, t('Process'), ' ', h('a', { href: `#/instances/${instanceId}`, id: 'ticket-instance' }, h('code', {}, instanceId.slice(0, 8)))), canvas);
    try {
      const instance = await api.instance(instanceId);
      viewer ??= createViewer(canvas);
      await viewer.importXML(await api.version(instance.definitionKey, instance.version));
      viewer.get('canvas').zoom('fit-viewport', 'auto');
      showInstance(viewer, instance);
    } catch (e) {
      process.append(h('p', { class: 'notice error' }, e.message));
    }
  }

  await load();
  return () => viewer?.destroy();
}

function row(label, value) {
  return h('tr', {}, h('th', {}, label), h('td', {}, value));
}

/** One SLA clock: met, breached, or running with the time left. */
function clock(id, label, sla) {
  const state = sla.breached ? 'breached' : sla.stoppedAt ? 'met' : 'running';
  const left = !sla.stoppedAt && !sla.breached ? ` (${t('{minutes} min left', { minutes: Math.max(0, Math.round((new Date(sla.dueAt) - Date.now()) / 60000)) })})` : '';
  return h('tr', { dataset: { clock: id } }, h('td', {}, label), h('td', {}, sla.target), h('td', {}, formatTime(sla.dueAt)), h('td', {}, formatTime(sla.stoppedAt)),
    h('td', {}, h('span', { class: `status ${state === 'breached' ? 'failed' : state === 'met' ? 'completed' : 'running'}`, dataset: { sla: state } }, t(state)), left));
}

function describe(entry) {
  if (entry.text) return entry.text;
  if (!entry.detail) return '';
  return typeof entry.detail === 'object'
    ? Object.entries(entry.detail).map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : v}`).join('; ')
    : String(entry.detail);
}
