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
}
