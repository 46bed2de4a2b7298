// "New process" asks for a name and a key before the drawing starts: the key is derived from the
// name, may be edited, must be a valid BPMN id and must not belong to another definition.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const MAX_KEY_LENGTH = 200;
const MAX_NAME_LENGTH = 500;

/** "Restart nginx on web-1" -> "restart-nginx-on-web-1"; a name without Latin letters gives "process-…". */
export function keyFromName(name) {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  if (!slug) return `process-${Date.now().toString(36)}`;
  return /^[a-z_]/.test(slug) ? slug : `p-${slug}`;
}

/** Why a key cannot be used, in the user's language, or null. */
export function keyProblem(key, existingKeys) {
  if (!key) return t('Enter a key.');
  if (key.length > MAX_KEY_LENGTH) return t('The key is longer than {max} characters.', { max: MAX_KEY_LENGTH });
  if (!KEY_PATTERN.test(key)) return t('A key starts with a letter or _ and holds only letters, digits, -, _ and . (no spaces).');
  if (existingKeys.has(key)) return t('A process with the key {key} already exists.', { key });
  return null;
}

/** Shows the dialog; resolves to { name, key } or to null when cancelled. */
export async function askNewProcess() {
  const existing = new Set((await api.definitions().catch(() => [])).map((d) => d.key));
  return new Promise((resolve) => {
    let keyEdited = false;
    const name = h('input', { id: 'new-process-name', required: true, maxlength: MAX_NAME_LENGTH, size: 40, autocomplete: 'off' });
    const key = h('input', { id: 'new-process-key', required: true, maxlength: MAX_KEY_LENGTH, size: 40, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'new-process-key-help new-process-error' });
    const error = h('p', { class: 'field-error', id: 'new-process-error', role: 'alert' });
    const dialog = h('dialog', { class: 'new-process', id: 'new-process-dialog', 'aria-labelledby': 'new-process-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'new-process-title' }, t('New process')),
        h('label', { for: 'new-process-name' }, t('Name')), name,
        h('label', { for: 'new-process-key' }, t('Key')), key,
        h('p', { class: 'help', id: 'new-process-key-help' }, t('The key names the process in URLs, hooks and the API; it cannot change later.')),
        error,
        h('div', { class: 'buttons' },
          h('button', { type: 'button', id: 'new-process-cancel', onclick: () => finish(null) }, t('Cancel')),
          h('button', { type: 'submit', class: 'primary', id: 'new-process-create' }, t('Create')))));

    const check = () => {
      const problem = name.value.trim() ? keyProblem(key.value.trim(), existing) : t('Enter a name.');
      error.textContent = problem || '';
      key.setAttribute('aria-invalid', problem && name.value.trim() ? 'true' : 'false');
      return !problem;
    };
    name.addEventListener('input', () => {
      if (!keyEdited) key.value = name.value.trim() ? keyFromName(name.value.trim()) : '';
      check();
    });
    key.addEventListener('input', () => {
      keyEdited = true;
      check();
    });
    dialog.addEventListener('submit', (event) => {
      event.preventDefault();
      if (check()) finish({ name: name.value.trim(), key: key.value.trim() });
    });
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(null);
    });

    function finish(result) {
      dialog.close();
      dialog.remove();
      resolve(result);
    }

    document.body.append(dialog);
    dialog.showModal();
    name.focus();
  });
}
