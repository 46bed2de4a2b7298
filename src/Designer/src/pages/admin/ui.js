// Pieces every admin page uses: labelled fields, errors shown beside the field the server names, and a
// confirmation dialog for what cannot be undone.

import { clear, h } from '../../dom.js';
import { t } from '../../i18n.js';

let ids = 0;

// Names of roles, kinds, fields and audit actions: the English is here, the Chinese in the dictionary under the
// same prefixed key (role:admin, field:privateKey...).
const ENGLISH = {
  'role:admin': 'Admin', 'role:designer': 'Designer', 'role:operator': 'Operator', 'role:approver': 'Approver',
  'kind:ssh': 'SSH', 'kind:kubernetes': 'Kubernetes', 'kind:aws': 'AWS', 'kind:aliyun': 'Alibaba Cloud', 'kind:tencent': 'Tencent Cloud',
  'kind:smtp': 'SMTP', 'kind:webhook': 'Webhook',
  'field:username': 'User name', 'field:privateKey': 'Private key', 'field:passphrase': 'Key passphrase', 'field:password': 'Password',
  'field:server': 'API server', 'field:token': 'Token', 'field:certificateAuthority': 'CA certificate', 'field:kubeconfig': 'Kubeconfig',
  'field:context': 'Context', 'field:accessKeyId': 'Access key ID', 'field:secretAccessKey': 'Secret access key', 'field:sessionToken': 'Session token',
  'field:accessKeySecret': 'AccessKey secret', 'field:secretId': 'SecretId', 'field:secretKey': 'SecretKey', 'field:url': 'URL',
  'field:secret': 'Signing secret', 'field:host': 'Server', 'field:port': 'Port', 'field:startTls': 'STARTTLS', 'field:from': 'Sender',
  'column:name': 'Name', 'column:address': 'Address', 'column:port': 'Port', 'column:user': 'User', 'column:credential': 'Credential',
  'column:tags': 'Tags', 'column:line': 'Line', 'column:knownHosts': 'Known host keys',
  'audit:sign-in.': 'Sign-ins', 'audit:user.': 'User changes', 'audit:group.': 'Group changes', 'audit:api-key.': 'API keys',
  'audit:credential.': 'Credential changes', 'audit:host': 'Host changes', 'audit:settings.': 'Settings changes', 'audit:process.': 'Published processes',
  'action:sign-in.succeeded': 'signed in', 'action:sign-in.failed': 'sign-in failed', 'action:sign-in.locked': 'sign-ins locked',
  'action:sign-in.throttled': 'sign-in refused while locked', 'action:user.first-admin': 'first admin created', 'action:user.created': 'user created',
  'action:user.changed': 'user changed', 'action:user.password-set': 'password set', 'action:user.disabled': 'user disabled',
  'action:user.enabled': 'user enabled', 'action:user.deleted': 'user deleted', 'action:group.member-added': 'added to group',
  'action:group.member-removed': 'removed from group', 'action:api-key.created': 'API key created', 'action:api-key.revoked': 'API key revoked',
  'action:credential.created': 'credential created', 'action:credential.rotated': 'credential rotated', 'action:credential.deleted': 'credential deleted',
  'action:host.saved': 'host saved', 'action:host.deleted': 'host deleted', 'action:hosts.imported': 'hosts imported',
  'action:settings.mail-changed': 'mail settings changed', 'action:settings.mail-test': 'test mail sent', 'action:process.published': 'process published'
};

/** The name of a role, kind, field or action (prefix:value) in the page's language. */
export function named(key) {
  const text = t(key);
  return text !== key ? text : ENGLISH[key] ?? key.slice(key.indexOf(':') + 1);
}

/** A labelled input: returns { row, input }. kind: text, password, number, email, textarea, select, checkbox. */
export function field(name, label, { kind = 'text', value = '', options, hint, required, placeholder, autocomplete } = {}) {
  const id = `f-${name}-${++ids}`;
  let input;
  if (kind === 'textarea') input = h('textarea', { id, name, rows: 4, required, placeholder }, value || '');
  else if (kind === 'select') {
    input = h('select', { id, name, required },
      options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text)));
  } else {
    input = h('input', { id, name, type: kind, value: value ?? '', required, placeholder, autocomplete: autocomplete || (kind === 'password' ? 'new-password' : 'off') });
  }
  const error = h('span', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  input.setAttribute('aria-describedby', `${id}-error`);
  const row = h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label, required ? ' *' : ''), input,
    hint ? h('small', { class: 'hint' }, hint) : null, error);
  return { row, input, error, name };
}

/** Shows a failed call: each field's messages beside its input, the rest in the notice line. */
export function showProblem(fields, noticeLine, e) {
  for (const f of fields) {
    f.error.hidden = true;
    f.input.removeAttribute('aria-invalid');
  }
  const errors = e?.problem?.errors || {};
  const rest = [];
  for (const [key, messages] of Object.entries(errors)) {
    const f = fields.find((x) => x.name === key || key.startsWith(`${x.name}.`) || key.startsWith(`${x.name}[`) || key === `values.${x.name}`);
    if (f) {
      f.error.textContent = messages.join(' ');
      f.error.hidden = false;
      f.input.setAttribute('aria-invalid', 'true');
    } else rest.push(`${key}: ${messages.join(' ')}`);
  }
  const title = Object.keys(errors).length ? t('Please correct the marked fields.') : failure(e);
  notify(noticeLine, 'error', [title, ...rest].join(' '));
}

/** A failure in the admin's terms: what the server said, or what the status means. */
export function failure(e) {
  if (!e) return '';
  if (e.status === 403) return t('You need the admin role for this.');
  if (e.status === 404) return t('It no longer exists; someone may have removed it. Reload the page.');
  if (e.status === 409) return e.message || t('This conflicts with what exists.');
  if (e.status >= 500) return t('The server failed: {message}', { message: e.message });
  if (e instanceof TypeError) return t('The server cannot be reached. Check the connection and try again.');
  return e.message;
}

export function notify(target, kind, text) {
  clear(target, text ? h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text) : null);
}

/** Asks before an action that cannot be undone; resolves to true when the admin confirms. */
export function confirmAction(message, action) {
  return new Promise((resolve) => {
    const finish = (ok) => {
      dialog.close();
      dialog.remove();
      resolve(ok);
    };
    const yes = h('button', { type: 'button', class: 'danger', id: 'confirm-yes', onclick: () => finish(true) }, action);
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-text' },
      h('p', { id: 'confirm-text' }, message),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'confirm-no', onclick: () => finish(false) }, t('Cancel')), yes));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('#confirm-no').focus();
  });
}

export function table(columns, rows, empty) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows));
}

export function splitList(text) {
  return (text || '').split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}
