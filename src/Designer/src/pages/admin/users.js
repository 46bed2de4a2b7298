// Users: who signs in, with which roles, groups and mail address; passwords set by an admin; disabled
// users keep their history but can no longer sign in.

import { clear, formatTime, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { admin } from './api.js';
import { confirmAction, failure, field, named, notify, showProblem, splitList, table } from './ui.js';

const ROLES = ['admin', 'designer', 'operator', 'approver'];

export async function usersSection(body) {
  const status = h('div', { id: 'admin-notice', 'aria-live': 'polite' });
  const list = h('div', { id: 'user-list' });
  const editor = h('div', { id: 'user-editor' });
  body.append(h('div', { class: 'toolbar' },
    h('button', { type: 'button', class: 'primary', id: 'new-user', onclick: () => edit(null) }, t('New user'))), status, editor, list);

  async function load() {
    let users;
    try {
      users = await admin.users();
    } catch (e) {
      notify(status, 'error', failure(e));
      return;
    }
    clear(list, table([t('Username'), t('Display name'), t('Email'), t('Roles'), t('Groups'), t('Password'), t('State'), t('Actions')],
      users.map((u) => h('tr', { dataset: { user: u.username } },
        h('td', {}, h('strong', {}, u.username)),
        h('td', {}, u.displayName || ''),
        h('td', {}, u.email || ''),
        h('td', {}, u.roles.map((r) => named(`role:${r}`)).join(', ')),
        h('td', {}, u.groups.join(', ')),
        h('td', {}, u.hasPassword ? t('Set') : t('Not set')),
        h('td', {}, u.disabledAt ? h('span', { class: 'status failed' }, t('Disabled since {time}', { time: formatTime(u.disabledAt) })) : h('span', { class: 'status completed' }, t('Active'))),
        h('td', { class: 'actions' },
          h('button', { type: 'button', onclick: () => edit(u), 'aria-label': t('Edit {name}', { name: u.username }) }, t('Edit')),
          // The accessible name starts with the visible text (axe label-content-name-mismatch), then says whose.
          passwordButton(u, () => password(u)),
          u.disabledAt
            ? h('button', { type: 'button', onclick: () => enable(u), 'aria-label': t('Enable {name}', { name: u.username }) }, t('Enable'))
            : h('button', { type: 'button', class: 'danger', onclick: () => disable(u), 'aria-label': t('Disable {name}', { name: u.username }) }, t('Disable'))))),
    t('No users yet.')));
  }

  function edit(user) {
    const isNew = !user;
    const fields = [
      isNew ? field('username', t('Username'), { required: true, hint: t('Used to sign in; letters, digits, dots and dashes, no spaces.') }) : null,
      field('displayName', t('Display name'), { value: user?.displayName }),
      field('email', t('Email'), { kind: 'email', value: user?.email, hint: t('Approval requests and notifications go here.') }),
      field('groups', t('Groups'), { value: user?.groups.join(', '), hint: t('Separated by commas, e.g. dba, network.') }),
      isNew ? field('password', t('Password'), { kind: 'password', hint: t('At least 12 characters. Leave empty to set it later.') }) : null
    ].filter(Boolean);
    const roleBoxes = ROLES.map((role) => {
      const id = `role-${role}`;
      const box = h('input', { type: 'checkbox', id, value: role, checked: user ? user.roles.includes(role) : role === 'operator' });
      return { box, label: h('label', { for: id, class: 'check' }, box, ' ', named(`role:${role}`)) };
    });
    const roles = { name: 'roles', input: roleBoxes[0].box, error: h('span', { class: 'field-error', role: 'alert', hidden: true }) };
    const formNotice = h('div');
    const form = h('form', {
      class: 'admin-form', id: 'user-form',
      onsubmit: async (event) => {
        event.preventDefault();
        const value = (name) => fields.find((f) => f.name === name)?.input.value;
        const payload = {
          displayName: value('displayName') || null,
          email: value('email') || null,
          groups: splitList(value('groups')),
          roles: roleBoxes.filter((r) => r.box.checked).map((r) => r.box.value)
        };
        try {
          if (isNew) await admin.createUser({ username: value('username').trim(), ...payload, password: value('password') || null });
          else await admin.updateUser(user.username, payload);
          clear(editor);
          notify(status, 'ok', isNew ? t('User {name} created.', { name: value('username').trim() }) : t('User {name} saved.', { name: user.username }));
          await load();
        } catch (e) {
          showProblem([...fields, roles], formNotice, e);
        }
      }
    },
    h('h2', {}, isNew ? t('New user') : t('Edit {name}', { name: user.username })),
    fields.map((f) => f.row),
    h('fieldset', { class: 'field' }, h('legend', {}, t('Roles')), roleBoxes.map((r) => r.label), roles.error),
    formNotice,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'save-user' }, isNew ? t('Create user') : t('Save')),
      h('button', { type: 'button', onclick: () => clear(editor) }, t('Cancel'))));
    clear(editor, form);
    fields[0].input.focus();
  }

  function password(user) {
    const pw = field('password', t('New password'), { kind: 'password', required: true, hint: t('At least 12 characters. Tell the user through a channel you trust.') });
    const formNotice = h('div');
    const form = h('form', {
      class: 'admin-form', id: 'password-form',
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          await admin.setPassword(user.username, pw.input.value);
          clear(editor);
          notify(status, 'ok', t('Password of {name} set.', { name: user.username }));
          await load();
        } catch (e) {
          showProblem([pw], formNotice, e);
        }
      }
    },
    h('h2', {}, t('Password of {name}', { name: user.username })), pw.row, formNotice,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('Set password')),
      h('button', { type: 'button', onclick: () => clear(editor) }, t('Cancel'))));
    clear(editor, form);
    pw.input.focus();
  }

  async function disable(user) {
    if (!await confirmAction(t('Disable {name}? They can no longer sign in, and their API keys stop working, until you enable them again.', { name: user.username }), t('Disable'))) return;
    try {
      await admin.disableUser(user.username);
      notify(status, 'ok', t('{name} is disabled.', { name: user.username }));
    } catch (e) {
      notify(status, 'error', failure(e));
    }
    await load();
  }

  async function enable(user) {
    try {
      await admin.enableUser(user.username);
      notify(status, 'ok', t('{name} can sign in again.', { name: user.username }));
    } catch (e) {
      notify(status, 'error', failure(e));
    }
    await load();
  }

  await load();
}

function passwordButton(u, onclick) {
  const label = u.hasPassword ? t('Reset password') : t('Set password');
  return h('button', { type: 'button', onclick, 'aria-label': `${label}: ${u.username}` }, label);
}
