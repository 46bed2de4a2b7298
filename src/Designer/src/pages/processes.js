import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../session.js';

// Starting a process loads the form viewer only when asked (a chunk of its own, ADR 0028).
const startProcess = (definition, status) => import('../forms/startForm.js').then((m) => m.startProcess(definition, status),
  () => notice(status, 'error', t('This page could not be loaded. Reload the browser tab to get the current version.')));

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
    const mayStart = can('instances:operate');
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
        h('td', { class: 'actions' },
          h('a', { class: 'button', href: `#/designer/${encodeURIComponent(d.key)}` }, t('Open')),
          mayStart && d.latestVersion ? [' ', h('button', {
            class: 'start', 'aria-label': t('Start {name}', { name: d.name || d.key }),
            onclick: () => startProcess(d, status)
          }, t('Start'))] : null))))));
  } catch (e) {
    notice(status, 'error', e.message);
  }
}
