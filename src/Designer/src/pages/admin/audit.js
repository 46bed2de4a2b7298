// The audit log: who signed in, and who changed users, keys, credentials, hosts, settings and processes.

import { clear, formatTime, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { admin } from './api.js';
import { failure, field, named, notify, showProblem, table } from './ui.js';

const ACTIONS = ['sign-in.', 'user.', 'group.', 'api-key.', 'credential.', 'host', 'settings.', 'process.'];
const PAGE = 50;

export async function auditSection(body) {
  const status = h('div', { id: 'admin-notice', 'aria-live': 'polite' });
  const list = h('div', { id: 'audit-list' });
  const actor = field('actor', t('Who'), { placeholder: t('username') });
  const action = field('action', t('What'), { kind: 'select', options: [['', t('Everything')], ...ACTIONS.map((a) => [a, named(`audit:${a}`)])] });
  const since = field('since', t('From'), { kind: 'datetime-local' });
  const until = field('until', t('Until'), { kind: 'datetime-local' });
  const pages = [];
  let before = null;
  const older = h('button', { type: 'button', id: 'audit-older', onclick: () => load(before) }, t('Older'));
  const newer = h('button', { type: 'button', id: 'audit-newer', onclick: () => { pages.pop(); load(pages.pop() ?? null); } }, t('Newer'));
  body.append(h('form', { class: 'inline filter', role: 'search', onsubmit: (event) => { event.preventDefault(); pages.length = 0; load(null); } },
    actor.row, action.row, since.row, until.row, h('button', { type: 'submit', class: 'primary', id: 'audit-filter' }, t('Filter'))),
  status, list, h('div', { class: 'actions pager' }, newer, older));

  const iso = (local) => (local ? new Date(local).toISOString() : undefined);

  async function load(from) {
    let page;
    const chosen = action.input.value === 'host' ? undefined : action.input.value;
    try {
      page = await admin.audit({ actor: actor.input.value.trim(), action: chosen, since: iso(since.input.value), until: iso(until.input.value), before: from ?? undefined, limit: PAGE });
    } catch (e) {
      if (e.problem?.errors) showProblem([actor, action, since, until], status, e);
      else notify(status, 'error', failure(e));
      return;
    }
    notify(status, '', '');
    pages.push(from);
    before = page.nextBefore;
    const items = action.input.value === 'host' ? page.items.filter((i) => i.action.startsWith('host')) : page.items;
    clear(list, table([t('Time'), t('Who'), t('What'), t('Details'), t('From address')], items.map((i) => h('tr', {},
      h('td', {}, formatTime(i.time)), h('td', {}, i.actor || ''), h('td', {}, h('code', {}, i.action), ' ', named(`action:${i.action}`) === `action:${i.action}` ? '' : named(`action:${i.action}`)),
      h('td', { class: 'detail' }, i.detail || ''), h('td', {}, i.address || ''))), t('Nothing recorded for this filter.')));
    older.disabled = !before;
    newer.disabled = pages.length <= 1;
  }

  await load(null);
}
