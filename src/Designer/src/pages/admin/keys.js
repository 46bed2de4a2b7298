// API keys for machines and scripts: the key is shown once, when it is made; the server keeps only its hash.

import { clear, formatTime, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { admin } from './api.js';
import { confirmAction, failure, field, named, notify, showProblem, table } from './ui.js';

const ROLES = ['admin', 'designer', 'operator', 'approver'];

export async function keysSection(body) {
  const status = h('div', { id: 'admin-notice', 'aria-live': 'polite' });
  const list = h('div', { id: 'key-list' });
  const editor = h('div');
  body.append(h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'primary', id: 'new-key', onclick: () => create() }, t('New API key'))),
    status, editor, list);

  async function load() {
    let keys;
    try {
      keys = await admin.keys();
    } catch (e) {
      notify(status, 'error', failure(e));
      return;
    }
    clear(list, h('p', { class: 'hint' }, t('When a key was last used is not recorded.')),
      table([t('Name'), t('Owner'), t('Roles'), t('Created'), t('Actions')], keys.map((k) => h('tr', { dataset: { key: k.name } },
        h('td', {}, h('strong', {}, k.name)),
        h('td', {}, k.user || t('(no user: acts as itself)')),
        h('td', {}, k.roles.map((r) => named(`role:${r}`)).join(', ')),
        h('td', {}, formatTime(k.createdAt)),
        h('td', {}, h('button', { type: 'button', class: 'danger', 'aria-label': t('Revoke {name}', { name: k.name }), onclick: () => revoke(k) }, t('Revoke'))))),
      t('No API keys yet.')));
  }

  async function create() {
    let users = [];
    try {
      users = await admin.users();
    } catch { /* the owner list stays empty */ }
    const name = field('name', t('Name'), { required: true, hint: t('Who or what uses the key, e.g. alertmanager or the backup script.') });
    const owner = field('user', t('Acts as user'), { kind: 'select', options: [['', t('(no user)')], ...users.map((u) => [u.username, u.username])], hint: t('Tasks and history then name this user.') });
    const boxes = ROLES.map((role) => {
      const box = h('input', { type: 'checkbox', id: `key-role-${role}`, value: role, checked: role === 'operator' });
      return { box, label: h('label', { for: `key-role-${role}`, class: 'check' }, box, ' ', named(`role:${role}`)) };
    });
    const roles = { name: 'roles', input: boxes[0].box, error: h('span', { class: 'field-error', role: 'alert', hidden: true }) };
    const formNotice = h('div');
    clear(editor, h('form', {
      class: 'admin-form', id: 'key-form',
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const created = await admin.createKey({ name: name.input.value.trim(), roles: boxes.filter((b) => b.box.checked).map((b) => b.box.value), user: owner.input.value || null });
          shown(created);
          await load();
        } catch (e) {
          showProblem([name, owner, roles], formNotice, e);
        }
      }
    }, h('h2', {}, t('New API key')), name.row, owner.row,
    h('fieldset', { class: 'field' }, h('legend', {}, t('Roles')), boxes.map((b) => b.label), roles.error),
    formNotice,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create-key' }, t('Create key')), h('button', { type: 'button', onclick: () => clear(editor) }, t('Cancel')))));
    name.input.focus();
  }

  function shown(created) {
    const copied = h('span', { role: 'status', id: 'key-copied' });
    const value = h('input', { id: 'new-key-value', readonly: true, value: created.key, size: 60, 'aria-label': t('The new key') });
    clear(editor, h('div', { class: 'admin-form key-shown', id: 'key-shown' },
      h('h2', {}, t('Key {name} created', { name: created.name })),
      h('p', { class: 'notice info' }, h('strong', {}, t('Copy the key now: you will not see it again.')), ' ',
        t('WeOps keeps only a fingerprint of it. If it is lost, revoke it and create a new one.')),
      h('div', { class: 'inline' }, value,
        h('button', {
          type: 'button', class: 'primary', id: 'copy-key',
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(created.key);
              copied.textContent = t('Copied.');
            } catch {
              value.select();
              copied.textContent = t('Select the key and copy it with Ctrl+C.');
            }
          }
        }, t('Copy')), copied),
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'key-done', onclick: () => clear(editor) }, t('I have copied it')))));
    value.focus();
    value.select();
  }

  async function revoke(key) {
    if (!await confirmAction(t('Revoke the key {name}? Everything that uses it is refused from now on. This cannot be undone.', { name: key.name }), t('Revoke'))) return;
    try {
      await admin.revokeKey(key.id);
      notify(status, 'ok', t('Key {name} revoked.', { name: key.name }));
    } catch (e) {
      notify(status, 'error', failure(e));
    }
    await load();
  }

  await load();
}
