import { h } from '../dom.js';
import { t } from '../i18n.js';
import { signIn, signInWithPassword } from '../session.js';

export function signInPage(main) {
  const error = h('p', { class: 'notice error', hidden: true, role: 'alert' });
  const show = (e, empty) => {
    error.textContent = e.message === 'empty' ? empty : e.message;
    error.hidden = false;
  };
  const username = h('input', { id: 'username', autocomplete: 'username', size: 32, required: true });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', size: 32, required: true });
  const people = h('form', {
    class: 'signin',
    onsubmit: async (event) => {
      event.preventDefault();
      error.hidden = true;
      try {
        await signInWithPassword(username.value, password.value);
        location.hash = '#/processes';
      } catch (e) {
        show(e, t('Username and password'));
      }
    }
  },
  h('h1', {}, t('Sign in')),
  h('label', { for: 'username' }, t('Username')), username,
  h('label', { for: 'password' }, t('Password')), password,
  h('button', { type: 'submit', class: 'primary', id: 'sign-in-password' }, t('Sign in')));

  const key = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', size: 48, required: true });
  const machines = h('form', {
    class: 'signin',
    onsubmit: async (event) => {
      event.preventDefault();
      error.hidden = true;
      try {
        await signIn(key.value);
        location.hash = '#/processes';
      } catch (e) {
        show(e, t('API key'));
      }
    }
  },
  h('p', {}, t('Or sign in with an API key that an administrator created for you.')),
  h('label', { for: 'api-key' }, t('API key')), key,
  h('button', { type: 'submit', id: 'sign-in' }, t('Sign in with the key')));
  main.append(people, machines, error);
  username.focus();
  firstRun(main, people, error);
}

/** On a new installation nobody exists: say so, and offer to create the first admin (the server allows it only
 * while the user directory is empty). */
async function firstRun(main, people, error) {
  let state;
  try {
    const response = await fetch('/api/setup');
    state = response.ok ? await response.json() : null;
  } catch {
    return;
  }
  if (!state?.firstRun) return;
  const input = (id, type, autocomplete) => h('input', { id, type, autocomplete, size: 32 });
  const name = input('first-username', 'text', 'username');
  const display = input('first-display-name', 'text', 'name');
  const email = input('first-email', 'email', 'email');
  const password = input('first-password', 'password', 'new-password');
  const again = input('first-password-again', 'password', 'new-password');
  const problems = h('div', { role: 'alert' });
  const form = h('form', {
    class: 'signin first-run',
    id: 'first-run',
    onsubmit: async (event) => {
      event.preventDefault();
      problems.replaceChildren();
      if (password.value !== again.value) {
        problems.append(h('p', { class: 'notice error' }, t('The two passwords differ.')));
        return;
      }
      const response = await fetch('/api/setup/first-admin', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: name.value.trim(), displayName: display.value || null, email: email.value || null, password: password.value })
      });
      if (!response.ok) {
        let problem = {};
        try { problem = await response.json(); } catch { /* not JSON */ }
        const names = { username: t('Username'), password: t('Password'), email: t('Email'), displayName: t('Display name') };
        const lines = Object.entries(problem.errors || {}).map(([field, messages]) => `${names[field] || field}: ${messages.join(' ')}`);
        problems.append(h('p', { class: 'notice error' }, lines.length ? lines.join(' ') : problem.detail || `${response.status}`));
        return;
      }
      await signInWithPassword(name.value.trim(), password.value);
      location.hash = '#/admin/users';
    }
  },
  h('h1', {}, t('Welcome: set up WeOps')),
  h('p', { class: 'notice info' }, t('Nobody has an account yet. Create the first administrator here; they then add everyone else in the admin console.')),
  // The setting's names are shown as they are written, in both languages.
  h('p', {}, t('You can also sign in below with the key configured as {key} in the server\'s settings (or the {env} environment variable).')
    .split(/(\{key\}|\{env\})/)
    .map((part) => (part === '{key}' ? h('code', {}, 'Auth:AdminApiKey') : part === '{env}' ? h('code', {}, 'Auth__AdminApiKey') : part))),
  h('label', { for: 'first-username' }, t('Username')), name,
  h('label', { for: 'first-display-name' }, t('Display name')), display,
  h('label', { for: 'first-email' }, t('Email')), email,
  h('label', { for: 'first-password' }, t('Password (at least 12 characters)')), password,
  h('label', { for: 'first-password-again' }, t('Password again')), again,
  problems,
  h('button', { type: 'submit', class: 'primary', id: 'create-first-admin' }, t('Create the first administrator')));
  // Nobody has a password yet: only the key form stays (.signin sets display, which outranks the hidden attribute).
  people.style.display = 'none';
  error.hidden = true;
  main.prepend(form);
  // The answer may come after someone started typing a key: leave their focus where it is.
  if (!document.activeElement || document.activeElement === document.body || document.activeElement.id === 'username') name.focus();
}
