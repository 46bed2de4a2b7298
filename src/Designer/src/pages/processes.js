import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';

export async function processesPage(main) {
  const status = h('div');
  const table = h('div');
  main.append(h('div', { class: 'toolbar' }, h('h1', {}, t('Processes')),
    h('a', { class: 'button primary', href: '#/designer', id: 'new-process' }, t('New process'))), status, table);
  try {
    const [definitions, running] = await Promise.all([
      api.definitions(),
      api.instances({ status: 'running', limit: 1000 }).catch(() => [])
    ]);
    const counts = {};
    for (const instance of running) counts[instance.definitionKey] = (counts[instance.definitionKey] || 0) + 1;
    if (!definitions.length) {
      clear(table, h('p', {}, t('No processes yet.')));
      return;
    }
    clear(table, h('table', { class: 'list', id: 'processes' },
      h('thead', {}, h('tr', {}, [t('Name'), t('Key'), t('Latest draft'), t('Published version'), t('Running instances'), ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, definitions.map((d) => h('tr', { dataset: { key: d.key } },
        h('td', {}, d.name || d.key),
        h('td', {}, h('code', {}, d.key)),
        h('td', {}, formatTime(d.draftSavedAt), d.draftSavedBy ? ` · ${d.draftSavedBy}` : ''),
        h('td', {}, d.latestVersion ?? '—'),
        h('td', {}, h('a', { href: `#/instances?definitionKey=${encodeURIComponent(d.key)}` }, String(counts[d.key] || 0))),
        h('td', {}, h('a', { class: 'button', href: `#/designer/${encodeURIComponent(d.key)}` }, t('Open'))))))));
  } catch (e) {
    notice(status, 'error', e.message);
  }
}
