import { h } from '../dom.js';
import { t } from '../i18n.js';
import { signIn } from '../session.js';

export function signInPage(main) {
  const error = h('p', { class: 'notice error', hidden: true, role: 'alert' });
  const key = h('input', { id: 'api-key', type: 'password', autocomplete: 'current-password', size: 48, required: true });
  const form = h('form', {
    class: 'signin',
    onsubmit: async (event) => {
      event.preventDefault();
      error.hidden = true;
      try {
        await signIn(key.value);
        location.hash = '#/processes';
      } catch (e) {
        error.textContent = e.message === 'empty' ? t('API key') : e.message;
        error.hidden = false;
      }
    }
  },
  h('h1', {}, t('Sign in')),
  h('p', {}, t('Sign in with an API key that an administrator created for you.')),
  h('label', { for: 'api-key' }, t('API key')), key,
  h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, t('Sign in')),
  error);
  main.append(form);
  key.focus();
}
