// The ticket list: incidents, changes, problems and releases, filtered the way GET /api/tickets filters.

import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';

const TYPES = ['', 'incident', 'change', 'problem', 'release'];
const PRIORITIES = ['', 'P1', 'P2', 'P3', 'P4', 'P5'];

export async function ticketsPage(main, [query]) {
  const params = new URLSearchParams(query || '');
  const status = h('div', { class: 'status-line' });
  const table = h('div');
  const type = h('select', { id: 'filter-type', 'aria-label': t('Type') }, TYPES.map((v) => h('option', { value: v, selected: v === (params.get('type') || '') }, v ? t(v) : t('All types'))));
  const state = h('input', { id: 'filter-state', value: params.get('state') || '', placeholder: t('State'), maxlength: 40 });
  const priority = h('select', { id: 'filter-priority', 'aria-label': t('Priority') }, PRIORITIES.map((v) => h('option', { value: v, selected: v === (params.get('priority') || '') }, v || t('All priorities'))));
  const assignee = h('input', { id: 'filter-assignee', value: params.get('assignee') || '', placeholder: t('Assignee'), maxlength: 200 });
  const breached = h('input', { id: 'filter-breached', type: 'checkbox', checked: params.get('breached') === 'true' });
  const apply = (event) => {
    event?.preventDefault();
    const next = new URLSearchParams();
    if (type.value) next.set('type', type.value);
    if (state.value.trim()) next.set('state', state.value.trim());
    if (priority.value) next.set('priority', priority.value);
    if (assignee.value.trim()) next.set('assignee', assignee.value.trim());
    if (breached.checked) next.set('breached', 'true');
    location.hash = `#/tickets${next.toString() ? `?${next}` : ''}`;
  };
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, t('Tickets')),
    h('form', { class: 'filters', onsubmit: apply }, type, state, priority, assignee,
      h('label', {}, breached, ' ', t('SLA breached')), h('button', { type: 'submit', id: 'apply-filter' }, t('Filter')))),
  status, table);
  try {
    const page = await api.tickets({
      type: params.get('type'), state: params.get('state'), priority: params.get('priority'),
      assignee: params.get('assignee'), breached: params.get('breached'), limit: 200
    });
    clear(table, page.items.length === 0 ? h('p', {}, t('No tickets.')) : [
      h('table', { class: 'list', id: 'tickets' },
        h('thead', {}, h('tr', {}, [t('Number'), t('Title'), t('State'), t('Priority'), t('Assignee'), t('Group'), t('SLA'), t('Created at')].map((c) => h('th', {}, c)))),
        h('tbody', {}, page.items.map((ticket) => h('tr', { dataset: { number: ticket.number } },
          h('td', {}, h('a', { href: `#/tickets/${ticket.number}` }, h('code', {}, ticket.number))),
          h('td', {}, ticket.title),
          h('td', {}, h('span', { class: 'status' }, t(ticket.state))),
          h('td', {}, ticket.priority),
          h('td', {}, ticket.assignee || ''),
          h('td', {}, ticket.group || ''),
          h('td', {}, ticket.sla.response.breached || ticket.sla.resolution.breached ? h('span', { class: 'status failed' }, t('breached')) : t('on time')),
          h('td', {}, formatTime(ticket.createdAt)))))),
      page.total > page.items.length ? h('p', {}, t('{shown} of {total} tickets shown.', { shown: page.items.length, total: page.total })) : null
    ]);
  } catch (e) {
    notice(status, 'error', e.message);
  }
}
