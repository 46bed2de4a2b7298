// Groups: names users carry (approvers and task candidates are often a group). A group exists while it has
// members, so a new group is created with its first member.

import { clear, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { admin } from './api.js';
import { confirmAction, failure, field, notify, showProblem, table } from './ui.js';

export async function groupsSection(body) {
  const status = h('div', { id: 'admin-notice', 'aria-live': 'polite' });
  const list = h('div', { id: 'group-list' });
  const editor = h('div');
  body.append(h('p', { class: 'hint' }, t('A group exists while someone is in it. Approval steps and tasks can name a group instead of people.')),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'primary', id: 'new-group', onclick: () => create() }, t('New group'))),
    status, editor, list);
  let users = [];

  async function load() {
    let groups;
    try {
      [groups, users] = await Promise.all([admin.groups(), admin.users()]);
    } catch (e) {
      notify(status, 'error', failure(e));
      return;
    }
    clear(list, table([t('Group'), t('Members'), t('Add a member')], groups.map((g) => {
      const others = users.filter((u) => !g.members.includes(u.username));
      const picker = field('member', t('User to add to {group}', { group: g.name }), { kind: 'select', options: others.map((u) => [u.username, u.displayName ? `${u.username} (${u.displayName})` : u.username]) });
      return h('tr', { dataset: { group: g.name } },
        h('td', {}, h('strong', {}, g.name)),
        h('td', {}, h('ul', { class: 'members' }, g.members.map((m) => h('li', {}, m, ' ',
          h('button', { type: 'button', class: 'small', 'aria-label': `${t('Remove')}: ${m} (${g.name})`, onclick: () => remove(g.name, m) }, t('Remove')))))),
        h('td', {}, others.length
          ? h('form', { class: 'inline', onsubmit: (event) => { event.preventDefault(); add(g.name, picker.input.value); } },
            picker.row, h('button', { type: 'submit' }, t('Add')))
          : t('Everyone is in this group.')));
    }), t('No groups yet: create one with its first member.')));
  }

  function create() {
    const name = field('group', t('Group name'), { required: true, hint: t('No spaces or commas, e.g. dba.') });
    const member = field('user', t('First member'), { kind: 'select', required: true, options: users.map((u) => [u.username, u.username]) });
    const formNotice = h('div');
    clear(editor, h('form', {
      class: 'admin-form', id: 'group-form',
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          await admin.addMember(name.input.value.trim(), member.input.value);
          clear(editor);
          notify(status, 'ok', t('Group {group} created.', { group: name.input.value.trim() }));
          await load();
        } catch (e) {
          showProblem([name, member], formNotice, e);
        }
      }
    }, h('h2', {}, t('New group')), name.row, member.row, formNotice,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('Create group')), h('button', { type: 'button', onclick: () => clear(editor) }, t('Cancel')))));
    name.input.focus();
  }

  async function add(group, user) {
    try {
      await admin.addMember(group, user);
      notify(status, 'ok', t('{user} added to {group}.', { user, group }));
    } catch (e) {
      notify(status, 'error', failure(e));
    }
    await load();
  }

  async function remove(group, user) {
    if (!await confirmAction(t('Remove {user} from {group}? Tasks and approvals for {group} will no longer reach them.', { user, group }), t('Remove'))) return;
    try {
      await admin.removeMember(group, user);
      notify(status, 'ok', t('{user} removed from {group}.', { user, group }));
    } catch (e) {
      notify(status, 'error', failure(e));
    }
    await load();
  }

  await load();
}
