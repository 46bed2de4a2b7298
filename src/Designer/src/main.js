import './styles.css';
import { clear, h } from './dom.js';
import { language, onLanguageChange, setLanguage, t } from './i18n.js';
import { can, currentUser, signOut } from './session.js';
import { signInPage } from './pages/signin.js';
import { processesPage } from './pages/processes.js';
import { designerPage } from './pages/designer.js';
import { instancesPage } from './pages/instances.js';
import { instancePage } from './pages/instance.js';
import { tasksPage } from './pages/tasks.js';
import { alertsPage } from './pages/alerts.js';
import { ticketsPage } from './pages/tickets.js';
import { ticketPage } from './pages/ticket.js';
import { adminPage } from './pages/admin/index.js';

// Routes live in the URL fragment (#/instances/...), so the server needs no route of its own for them.
const routes = [
  [/^#\/signin$/, () => signInPage],
  [/^#\/processes$/, () => processesPage],
  [/^#\/designer(?:\/([^/]+))?(?:\/v\/(\d+))?(?:\/compare\/(\d+)\/(\d+))?$/, () => designerPage],
  [/^#\/instances(?:\?(.*))?$/, () => instancesPage],
  [/^#\/instances\/([0-9a-f-]+)$/, () => instancePage],
  [/^#\/tasks$/, () => tasksPage],
  [/^#\/alerts$/, () => alertsPage],
  [/^#\/tickets(?:\?(.*))?$/, () => ticketsPage],
  [/^#\/tickets\/([A-Z]{3}-\d{6,})$/, () => ticketPage],
  [/^#\/admin(?:\/([a-z]+))?$/, () => adminPage]
];

const root = document.getElementById('app');
let leave = null;

async function render() {
  const hash = location.hash || '#/processes';
  if (leave) {
    const left = leave;
    leave = null;
    left();
  }
  const user = await currentUser();
  if (!user && hash !== '#/signin') {
    location.hash = '#/signin';
    return;
  }
  const route = routes.find(([pattern]) => pattern.test(hash)) || routes[1];
  const params = hash.match(route[0])?.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p))) || [];
  const main = h('main', { class: 'page' });
  clear(root, header(user, hash), main);
  leave = (await route[1]()(main, params, user)) || null;
}

function header(user, hash) {
  const link = (href, label) => h('a', { href, class: hash.startsWith(href) ? 'current' : '' }, label);
  return h('header', { class: 'top' },
    h('span', { class: 'brand' }, 'WeOps'),
    user ? h('nav', {},
      link('#/processes', t('Processes')),
      link('#/designer', t('Designer')),
      link('#/instances', t('Instances')),
      link('#/tasks', t('Tasks')),
      link('#/tickets', t('Tickets')),
      link('#/alerts', t('Alerts')),
      can('admin') ? link('#/admin', t('Admin')) : null) : h('nav'),
    h('span', { class: 'spacer' }),
    h('label', { class: 'lang' }, t('Language'), ' ',
      h('select', { id: 'language', onchange: (e) => setLanguage(e.target.value) },
        h('option', { value: 'en', selected: language() === 'en' }, 'English'),
        h('option', { value: 'zh', selected: language() === 'zh' }, '简体中文'))),
    user ? h('span', { class: 'me', id: 'me' }, `${t('Signed in as')} `, h('strong', {}, user.name), ` (${user.roles.join(', ')})`) : null,
    user ? h('button', { id: 'sign-out', onclick: () => { signOut(); location.hash = '#/signin'; } }, t('Sign out')) : null);
}

window.addEventListener('hashchange', render);
onLanguageChange(render);
render();
