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
    h('thead', {}, h('tr', {}, [t('Received at'), t('Source'), t('Status'), t('Fingerprint'), t('Labels'), t('Process'), t('Outcome'), t('Started instance')].map((c) => h('th', {}, c)))),
    h('tbody', {}, list.map((a) => h('tr', { dataset: { fingerprint: a.fingerprint || '' } },
      h('td', {}, formatTime(a.receivedAt || a.startsAt)),
      h('td', {}, a.source ? h('code', {}, a.source) : ''),
      h('td', {}, a.status ? t(a.status) : ''),
      h('td', {}, h('code', {}, a.fingerprint || '')),
      h('td', {}, h('code', {}, Object.entries(a.labels || {}).map(([k, v]) => `${k}=${v}`).join(', '))),
      h('td', {}, a.processKey ? h('code', {}, a.processKey) : ''),
      h('td', { class: 'outcome' }, [a.outcome ? t(a.outcome) : '', a.count > 1 ? ` ×${a.count}` : '', a.reason ? ` (${t(a.reason)})` : ''].join('')),
      h('td', {}, a.instanceId ? h('a', { href: `#/instances/${a.instanceId}` }, h('code', {}, String(a.instanceId).slice(0, 8))) : ''))))), t('No alerts.')));
  clear(breakers, render(states, (list) => h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, [t('Process'), t('State'), t('Failures'), t('Active'), t('Opened at')].map((c) => h('th', {}, c)))),
    h('tbody', {}, list.map((b) => h('tr', {},
      h('td', {}, b.processKey || ''), h('td', {}, b.state ? t(b.state) : ''),
      h('td', {}, b.breakerFailures ? `${b.failures} / ${b.breakerFailures}` : String(b.failures ?? '')),
      h('td', {}, b.maxConcurrent ? `${b.active} / ${b.maxConcurrent}` : String(b.active ?? '')),
      h('td', {}, b.openedAt ? `${formatTime(b.openedAt)} ${b.openedReason || ''}` : ''))))), '—'));
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
