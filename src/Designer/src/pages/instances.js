import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';

const STATUSES = ['', 'running', 'waiting', 'faulted', 'completed', 'cancelled', 'failed'];

export async function instancesPage(main, [query]) {
  const params = new URLSearchParams(query || '');
  const status = h('div');
  const table = h('div');
  const definitionKey = h('input', { id: 'filter-definition', value: params.get('definitionKey') || '', placeholder: t('Definition'), 'aria-label': t('Definition') });
  const state = h('select', { id: 'filter-status', 'aria-label': t('Status') }, STATUSES.map((s) => h('option', { value: s, selected: s === (params.get('status') || '') }, s ? t(s) : t('All'))));
  const apply = (event) => {
    event?.preventDefault();
    const next = new URLSearchParams();
    if (definitionKey.value.trim()) next.set('definitionKey', definitionKey.value.trim());
    if (state.value) next.set('status', state.value);
    location.hash = `#/instances${next.toString() ? `?${next}` : ''}`;
  };
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, t('Instances')),
    h('form', { class: 'filters', onsubmit: apply }, definitionKey, state, h('button', { type: 'submit', id: 'apply-filter' }, t('Filter')))),
  status, table);
  try {
    const instances = await api.instances({ definitionKey: params.get('definitionKey'), status: params.get('status') });
    clear(table, instances.length === 0 ? h('p', {}, t('No instances.')) : h('table', { class: 'list', id: 'instances' },
      h('thead', {}, h('tr', {}, [t('Instance'), t('Definition'), t('Version'), t('Status'), t('Started at'), t('Ended at')].map((c) => h('th', {}, c)))),
      h('tbody', {}, instances.map((i) => h('tr', {},
        h('td', {}, h('a', { href: `#/instances/${i.id}` }, h('code', {}, i.id.slice(0, 8)))),
        h('td', {}, i.definitionKey), h('td', {}, `v${i.version}`),
        h('td', {}, h('span', { class: `status ${i.status}` }, t(i.status))),
        h('td', {}, formatTime(i.startedAt)), h('td', {}, formatTime(i.endedAt)))))));
  } catch (e) {
    notice(status, 'error', e.message);
  }
}
