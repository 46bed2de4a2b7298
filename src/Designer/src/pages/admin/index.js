// The admin console: users and groups, API keys, credentials, hosts, mail settings and the audit log,
// each a section under #/admin/<section> with one sub-navigation between them.

import './admin.css';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { can } from '../../session.js';
import { usersSection } from './users.js';
import { groupsSection } from './groups.js';
import { keysSection } from './keys.js';
import { credentialsSection } from './credentials.js';
import { hostsSection } from './hosts.js';
import { mailSection } from './mail.js';
import { auditSection } from './audit.js';

const sections = [
  ['users', () => t('Users'), usersSection],
  ['groups', () => t('Groups'), groupsSection],
  ['keys', () => t('API keys'), keysSection],
  ['credentials', () => t('Credentials'), credentialsSection],
  ['hosts', () => t('Hosts'), hostsSection],
  ['mail', () => t('Mail settings'), mailSection],
  ['audit', () => t('Audit log'), auditSection]
];

export async function adminPage(main, [name]) {
  if (!can('admin')) {
    main.append(h('h1', {}, t('Admin')), h('p', { class: 'notice error', role: 'alert' }, t('You need the admin role for this.')));
    return;
  }
  const current = sections.find(([key]) => key === name) || sections[0];
  const body = h('section', { class: 'admin-body', id: `admin-${current[0]}`, 'aria-labelledby': 'admin-title' });
  main.append(h('div', { class: 'admin' },
    h('nav', { class: 'admin-nav', 'aria-label': t('Admin sections') },
      sections.map(([key, label]) => h('a', {
        href: `#/admin/${key}`,
        id: `admin-nav-${key}`,
        class: key === current[0] ? 'current' : '',
        'aria-current': key === current[0] ? 'page' : null
      }, label()))),
    body));
  body.append(h('h1', { id: 'admin-title' }, current[1]()));
  await current[2](body);
}
