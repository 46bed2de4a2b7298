// One ticket: its fields (impact, urgency, assignee, group, hosts and services editable in place), both SLA
// clocks, the moves its state machine allows as buttons, links, comments, a timeline of every change (newest
// first), a mark and a Retry button when the process behind it stopped on a fault, and that process drawn.

import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { createViewer } from '../bpmn/diagrams.js';
import { showInstance } from '../bpmn/marks.js';
import { describeActor, describeEntry, field, levelSelect, nameSelect, refusalText, showFieldErrors, splitNames } from './ticketText.js';

export async function ticketPage(main, [number]) {
  const status = h('div', { class: 'status-line' });
  const title = h('h1', {});
  const fault = h('div', { id: 'ticket-fault' });
  const summary = h('div', { class: 'instance-details' });
  const process = h('section', { id: 'ticket-process' });
  const canvas = h('div', { class: 'canvas viewer', id: 'canvas' });
  main.append(h('div', { class: 'toolbar' }, title, h('button', { id: 'refresh', onclick: () => load() }, t('Refresh'))), status, fault, summary, process);
  let viewer = null;
  let drawn = { instanceId: null, names: {} };
  const stepName = (instanceId, elementId) => (instanceId === drawn.instanceId && drawn.names[elementId] ? t(drawn.names[elementId]) : null);
  let directory = { users: [], groups: [] };
  let linkRules = [];
  if (can('tickets:write')) {
    try {
      [directory, linkRules] = await Promise.all([api.ticketDirectory(), api.ticketLinkRules()]);
    } catch (e) {
      notice(status, 'error', e.message);
    }
  }

  /** Runs a change and shows the ticket the server answers with; a refusal in the user's language. */
  async function act(action, form) {
    try {
      const view = await action();
      notice(status, 'info', null);
      await show(view || await api.ticket(number));
      return true;
    } catch (e) {
      if (e.status === 422 && form && showFieldErrors(form, e.problem?.errors)) {
        notice(status, 'error', t('The change is not valid: see the marked fields.'));
      } else {
        notice(status, 'error', refusalText(e));
      }
      return false;
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
    await show(view);
  }

  async function show(view) {
    const ticket = view.ticket;
    clear(title, h('code', {}, ticket.number), ` ${ticket.title} · `, h('span', { class: 'status', id: 'ticket-state' }, t(ticket.state)),
      ' · ', h('span', { class: `priority p${ticket.priority.slice(1)}`, id: 'ticket-priority' }, ticket.priority),
      ticket.processFault ? [' ', h('span', { class: 'status failed', id: 'ticket-process-failed' }, t('process failed'))] : null);
    showFault(ticket);
    const writable = can('tickets:write');
    clear(summary,
      h('section', {}, h('h3', {}, t('Ticket')), h('table', { class: 'list', id: 'ticket-fields' }, h('tbody', {},
        row(t('Type'), t(ticket.type)), row(t('State'), t(ticket.state)),
        row(t('Priority'), `${ticket.priority} (${t('impact')} ${t(ticket.impact)}, ${t('urgency')} ${t(ticket.urgency)})`),
        row(t('Requester'), ticket.requester || ''), row(t('Assignee'), ticket.assignee || ''), row(t('Group'), ticket.group || ''),
        row(t('Hosts'), ticket.affected.hosts.join(', ')), row(t('Services'), ticket.affected.services.join(', ')),
        Object.entries(ticket.fields || {}).filter(([, v]) => typeof v !== 'object').map(([k, v]) => row(t(FIELD_LABELS[k] || k),
          TIME_FIELDS.includes(k) ? formatTime(v) : k === 'risk' ? t(v) : String(v))),
        row(t('Created at'), formatTime(ticket.createdAt)), row(t('Updated at'), formatTime(ticket.updatedAt)))),
      ticket.description ? h('p', { class: 'description' }, ticket.description) : null),
      h('section', {}, h('h3', {}, t('SLA')), h('table', { class: 'list', id: 'sla' },
        h('thead', {}, h('tr', {}, [t('Clock'), t('Target'), t('Due at'), t('Stopped at'), t('Status')].map((c) => h('th', {}, c)))),
        h('tbody', {}, clock('response', t('Response'), ticket.sla.response), clock('resolution', t('Resolution'), ticket.sla.resolution)))),
      writable ? moves(ticket) : null,
      writable ? editor(ticket) : null,
      h('section', {}, h('h3', {}, t('Links')), view.links.length === 0 ? h('p', {}, '—') : h('ul', { id: 'links' },
        view.links.map((l) => h('li', { dataset: { number: l.number } }, `${t(l.kind)} (${l.direction === 'out' ? '→' : '←'}) `,
          h('a', { href: `#/tickets/${l.number}` }, h('code', {}, l.number)), ` ${t(l.type)} `,
          writable ? h('button', { class: 'link-remove', 'aria-label': t('Unlink {number}', { number: l.number }), onclick: () => act(() => api.unlinkTicket(number, l.number)) }, t('Unlink')) : null))),
        writable ? linker(ticket) : null),
      h('section', {}, h('h3', {}, t('Timeline'), ' ', h('small', {}, t('newest first'))), h('table', { class: 'list', id: 'timeline' },
        h('thead', {}, h('tr', {}, [t('Time'), t('Who'), t('What'), t('Change')].map((c) => h('th', {}, c)))),
        h('tbody', {}, [...view.timeline].reverse().map((entry) => h('tr', { dataset: { kind: entry.kind } },
          h('td', {}, formatTime(entry.time)), h('td', { class: 'who' }, describeActor(entry.actor, stepName)), h('td', {}, t(entry.kind)), h('td', {}, describeEntry(entry))))))));
    await drawProcess(ticket.instanceId);
  }

  function showFault(ticket) {
    const f = ticket.processFault;
    if (!f) {
      clear(fault);
      return;
    }
    clear(fault, h('div', { class: 'notice error', role: 'status' },
      t('The process behind this ticket stopped at {element}: {message}', { element: f.elementName ? `${f.elementName} (${f.elementId})` : f.elementId || '?', message: f.message || '' }), ' ',
      h('a', { href: `#/instances/${f.instanceId}` }, t('Open the instance')), ' ',
      can('instances:operate')
        ? h('button', { id: 'retry-process', onclick: () => act(() => api.retryTicketProcess(number)) }, t('Retry'))
        : h('small', {}, t('An operator can retry it.'))));
  }

  /** A button per move the state machine allows; resolving asks for the resolution notes first. */
  function moves(ticket) {
    const note = h('input', { id: 'move-note', maxlength: 2000 });
    const comment = h('textarea', { id: 'comment-text', maxlength: 20000, rows: 2 });
    const resolution = h('div', { id: 'resolution', hidden: true });
    const move = (to, text) => act(() => api.moveTicket(number, to, text));
    const ask = (to) => {
      const notes = h('textarea', { id: 'resolution-notes', rows: 3, maxlength: 2000, required: true });
      clear(resolution, field('note', t('Resolution notes'), notes),
        h('button', { type: 'button', id: 'confirm-resolve', class: 'primary', onclick: () => move(to, notes.value) }, t('Resolve')),
        ' ', h('button', { type: 'button', onclick: () => { resolution.hidden = true; } }, t('Cancel')));
      resolution.hidden = false;
      notes.value = note.value;
      notes.focus();
    };
    return h('section', {}, h('h3', {}, t('Work on it')),
      ticket.allowedTransitions.length === 0 ? h('p', {}, t('This ticket is in a final state.')) : [
        h('div', { class: 'toolbar', id: 'moves' }, h('span', {}, t('Move to')),
          ticket.allowedTransitions.map((to) => h('button', { type: 'button', id: `move-${to}`, dataset: { to }, onclick: () => (to === 'resolved' ? ask(to) : move(to, note.value)) }, t(to)))),
        field('move-note', t('Note for the move (optional)'), note),
        resolution],
      h('form', { class: 'ticket-comment', onsubmit: (e) => { e.preventDefault(); act(() => api.commentTicket(number, comment.value)); } },
        field('text', t('Your comment'), comment), h('button', { type: 'submit', id: 'add-comment' }, t('Add comment'))));
  }

  /** Impact, urgency, assignee, group, hosts and services; only what changed is sent. */
  function editor(ticket) {
    const users = directory.users.map((u) => u.username);
    const impact = levelSelect('edit-impact', ticket.impact);
    const urgency = levelSelect('edit-urgency', ticket.urgency);
    const assignee = nameSelect('edit-assignee', users, ticket.assignee, t('(nobody yet)'));
    const group = nameSelect('edit-group', directory.groups, ticket.group, t('(no group)'));
    const hosts = h('input', { id: 'edit-hosts', value: ticket.affected.hosts.join(', '), maxlength: 4000 });
    const services = h('input', { id: 'edit-services', value: ticket.affected.services.join(', '), maxlength: 4000 });
    const form = h('form', { class: 'ticket-form compact', id: 'ticket-edit', novalidate: true },
      field('impact', t('Impact'), impact), field('urgency', t('Urgency'), urgency),
      field('assignee', t('Assignee'), assignee), field('group', t('Group'), group),
      field('affected.hosts', t('Hosts'), hosts), field('affected.services', t('Services'), services),
      h('div', {}, h('button', { type: 'submit', id: 'save-ticket', class: 'primary' }, t('Save changes'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const changes = {};
      if (impact.value !== ticket.impact) changes.impact = impact.value;
      if (urgency.value !== ticket.urgency) changes.urgency = urgency.value;
      if (assignee.value && assignee.value !== ticket.assignee) changes.assignee = assignee.value;
      if (group.value && group.value !== ticket.group) changes.group = group.value;
      const h2 = splitNames(hosts.value);
      const s2 = splitNames(services.value);
      if (h2.join() !== ticket.affected.hosts.join() || s2.join() !== ticket.affected.services.join()) changes.affected = { hosts: h2, services: s2 };
      if (Object.keys(changes).length === 0) {
        notice(status, 'info', t('Nothing changed.'));
        return;
      }
      act(() => api.updateTicket(number, changes), form);
    });
    return h('section', {}, h('h3', {}, t('Edit')), form);
  }

  /** Search another ticket by number or title, pick a kind the link rules allow for the pair, link. */
  function linker(ticket) {
    const search = h('input', { id: 'link-search', maxlength: 200, autocomplete: 'off' });
    const results = h('select', { id: 'link-to' }, h('option', { value: '' }, t('(search first)')));
    const kind = h('select', { id: 'link-kind' });
    const kindsFor = (otherType) => {
      const rule = linkRules.find((r) => (r.fromType === ticket.type && r.toType === otherType) || (r.toType === ticket.type && r.fromType === otherType));
      return rule ? rule.kinds : [];
    };
    const fillKinds = () => {
      const other = results.selectedOptions[0]?.dataset.type;
      clear(kind, kindsFor(other).map((k) => h('option', { value: k }, t(k))));
    };
    results.addEventListener('change', fillKinds);
    const find = async () => {
      try {
        const page = await api.tickets({ q: search.value.trim(), limit: 20 });
        const linkable = page.items.filter((i) => i.number !== ticket.number && kindsFor(i.type).length > 0);
        clear(results, linkable.length === 0
          ? h('option', { value: '' }, t('No ticket to link found'))
          : linkable.map((i) => h('option', { value: i.number, dataset: { type: i.type } }, `${i.number} · ${t(i.type)} · ${i.title}`)));
        fillKinds();
      } catch (e) {
        notice(status, 'error', e.message);
      }
    };
    const form = h('form', { class: 'ticket-form compact', id: 'ticket-link', novalidate: true, onsubmit: (e) => { e.preventDefault(); if (results.value) act(() => api.linkTicket(number, results.value, kind.value), form); } },
      field('q', t('Find a ticket (number or title)'), search),
      h('div', {}, h('button', { type: 'button', id: 'link-find', onclick: find }, t('Find'))),
      field('to', t('Ticket'), results), field('kind', t('Link type'), kind),
      h('div', {}, h('button', { type: 'submit', id: 'link-add' }, t('Link'))));
    search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } });
    return form;
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
      // The timeline names a process step by its id until the diagram gives its name.
      const names = {};
      viewer.get('elementRegistry').forEach((element) => { if (element.businessObject?.name) names[element.id] = element.businessObject.name; });
      drawn = { instanceId, names };
      summary.querySelectorAll('#timeline .process-actor').forEach((link) => {
        const name = stepName(/^process ([0-9a-f-]{36})\//.exec(link.title)?.[1], link.dataset.element);
        if (name) link.querySelector('.step').textContent = name;
      });
    } catch (e) {
      process.append(h('p', { class: 'notice error' }, e.message));
    }
  }

  await load();
  return () => viewer?.destroy();
}

// The type-specific fields the new-ticket form writes, with their labels; other free fields show their own names.
const FIELD_LABELS = { risk: 'Risk', windowStart: 'Window starts', windowEnd: 'Window ends', version: 'Version', plannedAt: 'Planned for' };
const TIME_FIELDS = ['windowStart', 'windowEnd', 'plannedAt'];

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
