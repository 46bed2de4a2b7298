// The alert log and storm-control state. The routes belong to the alert intake; a server without
// them answers 404, which this page shows as "not available" rather than as an error.

import { api } from '../api.js';
import { clear, formatTime, h } from '../dom.js';
import { t } from '../i18n.js';

export async function alertsPage(main) {
  const log = h('div', { id: 'alert-log' });
  const breakers = h('div', { id: 'breakers' });
  main.append(h('h1', {}, t('Alerts')), h('h2', {}, t('Alert log')), log, h('h2', {}, t('Storm control')), breakers);

  const [alerts, states] = await Promise.all([load(api.alerts), load(api.breakers)]);
  clear(log, render(alerts, (list) => h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, [t('Received at'), t('Status'), t('Fingerprint'), t('Labels'), t('Started instance')].map((c) => h('th', {}, c)))),
    h('tbody', {}, list.map((a) => h('tr', {},
      h('td', {}, formatTime(a.receivedAt || a.startsAt)),
      h('td', {}, a.status || ''),
      h('td', {}, h('code', {}, a.fingerprint || '')),
      h('td', {}, Object.entries(a.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ')),
      h('td', {}, a.instanceId ? h('a', { href: `#/instances/${a.instanceId}` }, h('code', {}, String(a.instanceId).slice(0, 8))) : (a.outcome || '')))))), t('No alerts.')));
  clear(breakers, render(states, (list) => h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, [t('Process'), t('State'), t('Until')].map((c) => h('th', {}, c)))),
    h('tbody', {}, list.map((b) => h('tr', {},
      h('td', {}, b.definitionKey || b.process || ''), h('td', {}, b.state || ''), h('td', {}, formatTime(b.until || b.openUntil)))))), '—'));
}

async function load(call) {
  try {
    const value = await call();
    return { value: Array.isArray(value) ? value : value?.items || [] };
  } catch (e) {
    return { error: e };
  }
}

function render(result, table, empty) {
  if (result.error) {
    return h('p', { class: 'notice info not-available' },
      result.error.status === 404 ? t('The alert log is not available on this server.') : result.error.message);
  }
  return result.value.length === 0 ? h('p', {}, empty) : table(result.value);
}
