// A new ticket from a form: the fields every ticket has, and those of its type (an incident's impact, urgency,
// hosts and services; a change's risk and window; a release's version). The server checks it; a 422's
// messages appear beside their fields.

import { api } from '../api.js';
import { h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { field, levelSelect, nameSelect, showFieldErrors, splitNames, TICKET_TYPES } from './ticketText.js';

// Which type-specific fields a type's form shows.
const SHOWN = {
  incident: ['impact', 'urgency', 'affected.hosts', 'affected.services'],
  change: ['fields.risk', 'fields.windowStart', 'fields.windowEnd', 'impact', 'urgency', 'affected.hosts', 'affected.services'],
  problem: ['impact', 'urgency', 'affected.services'],
  release: ['fields.version', 'fields.plannedAt', 'affected.services']
};

export async function newTicketPage(main, [query], user) {
  const params = new URLSearchParams(query || '');
  const status = h('div', { class: 'status-line' });
  let directory = { users: [], groups: [] };
  try {
    directory = await api.ticketDirectory();
  } catch (e) {
    notice(status, 'error', e.message);
  }
  const users = directory.users.map((u) => u.username);
  const type = h('select', { id: 'ticket-type' }, TICKET_TYPES.map((v) => h('option', { value: v, selected: v === (params.get('type') || 'incident') }, t(v))));
  const title = h('input', { id: 'ticket-title', maxlength: 500, required: true, autocomplete: 'off' });
  const description = h('textarea', { id: 'ticket-description', rows: 4, maxlength: 20000 });
  const requester = nameSelect('ticket-requester', users, user?.name, t('(me)'));
  const assignee = nameSelect('ticket-assignee', users, '', t('(nobody yet)'));
  const group = nameSelect('ticket-group', directory.groups, '', t('(no group)'));
  const impact = levelSelect('ticket-impact', 'low');
  const urgency = levelSelect('ticket-urgency', 'low');
  const hosts = h('input', { id: 'ticket-hosts', maxlength: 4000, placeholder: t('Host names, separated by commas') });
  const services = h('input', { id: 'ticket-services', maxlength: 4000, placeholder: t('Service names, separated by commas') });
  const risk = h('select', { id: 'ticket-risk' }, ['low', 'medium', 'high'].map((l) => h('option', { value: l }, t(l))));
  const windowStart = h('input', { id: 'ticket-window-start', type: 'datetime-local' });
  const windowEnd = h('input', { id: 'ticket-window-end', type: 'datetime-local' });
  const version = h('input', { id: 'ticket-version', maxlength: 100, placeholder: '2.4.0' });
  const plannedAt = h('input', { id: 'ticket-planned-at', type: 'datetime-local' });

  const specific = [
    field('impact', t('Impact'), impact), field('urgency', t('Urgency'), urgency),
    field('fields.risk', t('Risk'), risk),
    field('fields.windowStart', t('Window starts'), windowStart), field('fields.windowEnd', t('Window ends'), windowEnd),
    field('fields.version', t('Version'), version), field('fields.plannedAt', t('Planned for'), plannedAt),
    field('affected.hosts', t('Hosts'), hosts, t('Names separated by commas')),
    field('affected.services', t('Services'), services, t('Names separated by commas'))
  ];
  const showFields = () => {
    const shown = SHOWN[type.value];
    specific.forEach((node) => { node.hidden = !shown.includes(node.dataset.field); });
  };
  type.addEventListener('change', showFields);

  const form = h('form', { class: 'ticket-form', id: 'new-ticket', novalidate: true, onsubmit: submit },
    h('fieldset', {}, h('legend', {}, t('Ticket')),
      field('type', t('Type'), type), field('title', t('Title'), title), field('description', t('Description'), description),
      field('requester', t('Requester'), requester), field('assignee', t('Assignee'), assignee), field('group', t('Group'), group)),
    h('fieldset', {}, h('legend', {}, t('Details')), specific),
    h('div', { class: 'toolbar' },
      h('button', { type: 'submit', id: 'create-ticket', class: 'primary' }, t('Create ticket')),
      h('a', { href: '#/tickets' }, t('Back to the list'))));
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, t('New ticket'))), status, form);
  showFields();
  title.focus();

  function iso(input) {
    return input.value ? new Date(input.value).toISOString() : undefined;
  }

  async function submit(event) {
    event.preventDefault();
    const shown = SHOWN[type.value];
    const has = (key) => shown.includes(key);
    const fields = {};
    if (has('fields.risk')) fields.risk = risk.value;
    if (has('fields.windowStart') && windowStart.value) fields.windowStart = iso(windowStart);
    if (has('fields.windowEnd') && windowEnd.value) fields.windowEnd = iso(windowEnd);
    if (has('fields.version') && version.value.trim()) fields.version = version.value.trim();
    if (has('fields.plannedAt') && plannedAt.value) fields.plannedAt = iso(plannedAt);
    const body = {
      type: type.value,
      title: title.value,
      description: description.value || null,
      requester: requester.value || null,
      assignee: assignee.value || null,
      group: group.value || null,
      impact: has('impact') ? impact.value : null,
      urgency: has('urgency') ? urgency.value : null,
      affected: {
        hosts: has('affected.hosts') ? splitNames(hosts.value) : [],
        services: has('affected.services') ? splitNames(services.value) : []
      },
      fields
    };
    try {
      const created = await api.createTicket(body);
      location.hash = `#/tickets/${created.ticket.number}`;
    } catch (e) {
      const placed = e.status === 422 && showFieldErrors(form, e.problem?.errors);
      notice(status, 'error', placed ? t('The ticket is not valid: see the marked fields.') : e.message);
      form.querySelector('[aria-invalid]')?.focus();
    }
  }
}
