import './styles.css';
import { clear, h, notice } from './dom.js';
import { language, onLanguageChange, setLanguage, t } from './i18n.js';
import { can, currentUser, signOut } from './session.js';
import { stopTaskBadge, taskBadge } from './pages/taskBadge.js';
import { mayLeave } from './navigation.js';

// Routes live in the URL fragment (#/instances/...), so the server needs no route of its own for them.
// Each page is its own module, loaded when its route is first opened: the first page needs neither bpmn-js
// nor the other pages (ADR 0028). A new page is one line here.
const routes = [
  [/^#\/signin$/, () => import('./pages/signin.js').then((m) => m.signInPage)],
  [/^#\/processes$/, () => import('./pages/processes.js').then((m) => m.processesPage)],
  [/^#\/designer(?:\/([^/]+))?(?:\/v\/(\d+))?(?:\/compare\/(\d+)\/(\d+))?$/, () => import('./pages/designer.js').then((m) => m.designerPage)],
  [/^#\/instances(?:\?(.*))?$/, () => import('./pages/instances.js').then((m) => m.instancesPage)],
  [/^#\/instances\/([0-9a-f-]+)$/, () => import('./pages/instance.js').then((m) => m.instancePage)],
  [/^#\/tasks$/, () => import('./pages/tasks.js').then((m) => m.tasksPage)],
  [/^#\/tasks\/(\d+)$/, () => import('./pages/task.js').then((m) => m.taskPage)],
  [/^#\/alerts$/, () => import('./pages/alerts.js').then((m) => m.alertsPage)],
  [/^#\/tickets(?:\?(.*))?$/, () => import('./pages/tickets.js').then((m) => m.ticketsPage)],
  [/^#\/tickets\/new(?:\?(.*))?$/, () => import('./pages/ticketNew.js').then((m) => m.newTicketPage)],
  [/^#\/tickets\/([A-Z]{3}-\d{6,})$/, () => import('./pages/ticket.js').then((m) => m.ticketPage)],
  [/^#\/admin(?:\/([a-z]+))?$/, () => import('./pages/admin/index.js').then((m) => m.adminPage)]
];

const root = document.getElementById('app');
let leave = null;
let rendering = 0;

async function render() {
  const turn = ++rendering;
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
  const main = h('main', { class: 'page', id: 'main' });
  let page;
  try {
    page = await route[1]();
  } catch {
    // A tab opened before the server was updated asks for page files that the new build no longer has.
    if (turn !== rendering) return;
    notice(main, 'error', t('This page could not be loaded. Reload the browser tab to get the current version.'));
    clear(root, header(user, hash), main);
    return;
  }
  // A later navigation that finished loading first wins.
  if (turn !== rendering) return;
  clear(root, header(user, hash), main);
  leave = (await page(main, params, user)) || null;
}

function header(user, hash) {
  const link = (href, label, ...extra) => hash.startsWith(href)
    ? h('a', { href, class: 'current', 'aria-current': 'page' }, label, ...extra)
    : h('a', { href }, label, ...extra);
  return h('header', { class: 'top' },
    h('span', { class: 'brand' }, 'WeOps'),
    user ? h('nav', { 'aria-label': t('Main') },
      link('#/processes', t('Processes')),
      link('#/designer', t('Designer')),
      link('#/instances', t('Instances')),
      link('#/tasks', t('Tasks'), taskBadge()),
      link('#/tickets', t('Tickets')),
      link('#/alerts', t('Alerts')),
      can('admin') ? link('#/admin', t('Admin')) : null) : h('nav'),
    h('span', { class: 'spacer' }),
    h('label', { class: 'lang' }, t('Language'), ' ',
      h('select', { id: 'language', onchange: (e) => setLanguage(e.target.value) },
        h('option', { value: 'en', selected: language() === 'en' }, 'English'),
        h('option', { value: 'zh', selected: language() === 'zh' }, '简体中文'))),
    user ? h('span', { class: 'me', id: 'me' }, `${t('Signed in as')} `, h('strong', {}, user.name), ` (${user.roles.map((role) => t(role)).join(', ')})`) : null,
    user ? h('button', { id: 'sign-out', onclick: () => { signOut(); stopTaskBadge(); location.hash = '#/signin'; } }, t('Sign out')) : null);
}

// A page with unsaved work may keep the user (its guard asks); the address then goes back to it.
window.addEventListener('hashchange', (event) => {
  if (!mayLeave()) {
    history.replaceState(null, '', new URL(event.oldURL).hash || '#/processes');
    return;
  }
  render();
});
onLanguageChange(render);
render();
