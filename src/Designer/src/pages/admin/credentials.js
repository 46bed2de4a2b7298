// Credentials that steps use. Values are write-only: the form sends them, the list shows only which fields
// are set. Rotating means giving all values again.

import { clear, formatTime, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { admin } from './api.js';
import { confirmAction, failure, field, named, notify, showProblem, table } from './ui.js';

// What the admin picks from, and the stored kind and fields each means.
const PRESETS = [
  ['ssh-key', () => t('SSH key'), 'ssh', ['username', 'privateKey', 'passphrase']],
  ['ssh-password', () => t('Password (SSH)'), 'ssh', ['username', 'password']],
  ['token', () => t('Token (Kubernetes API)'), 'kubernetes', ['server', 'token', 'certificateAuthority']],
  ['kubeconfig', () => t('Kubeconfig'), 'kubernetes', ['kubeconfig', 'context']],
  ['aws', () => t('Cloud key pair: AWS'), 'aws', ['accessKeyId', 'secretAccessKey', 'sessionToken']],
  ['aliyun', () => t('Cloud key pair: Alibaba Cloud'), 'aliyun', ['accessKeyId', 'accessKeySecret']],
  ['tencent', () => t('Cloud key pair: Tencent Cloud'), 'tencent', ['secretId', 'secretKey']],
  ['webhook', () => t('Webhook URL and secret'), 'webhook', ['url', 'secret']],
  ['smtp', () => t('SMTP server'), 'smtp', ['host', 'port', 'username', 'password', 'startTls', 'from']]
];
const MULTILINE = ['privateKey', 'kubeconfig', 'certificateAuthority'];
const PLAIN = ['username', 'server', 'context', 'url', 'host', 'port', 'startTls', 'from', 'accessKeyId', 'secretId'];

const label = (f) => named(`field:${f}`);

export async function credentialsSection(body) {
  const status = h('div', { id: 'admin-notice', 'aria-live': 'polite' });
  const list = h('div', { id: 'credential-list' });
  const editor = h('div');
  body.append(h('p', { class: 'hint' }, t('Values you enter are stored encrypted and never shown again, not even to admins.')),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'primary', id: 'new-credential', onclick: () => edit(null) }, t('New credential'))),
    status, editor, list);
  let kinds = [];

  async function load() {
    let credentials;
    try {
      [credentials, kinds] = await Promise.all([admin.credentials(), kinds.length ? kinds : admin.credentialKinds()]);
    } catch (e) {
      notify(status, 'error', failure(e));
      return;
    }
    clear(list, table([t('Name'), t('Kind'), t('Description'), t('Fields set'), t('Changed'), t('Actions')], credentials.map((c) => h('tr', { dataset: { credential: c.name } },
      h('td', {}, h('strong', {}, c.name)),
      h('td', {}, named(`kind:${c.kind}`)),
      h('td', {}, c.description || ''),
      h('td', {}, c.fields.map(label).join(', ')),
      h('td', {}, `${formatTime(c.updatedAt)} ${c.updatedBy ? t('by {user}', { user: c.updatedBy }) : ''}`),
      h('td', { class: 'actions' },
        h('button', { type: 'button', 'aria-label': t('Rotate {name}', { name: c.name }), onclick: () => edit(c) }, t('Rotate')),
        h('button', { type: 'button', class: 'danger', 'aria-label': t('Delete {name}', { name: c.name }), onclick: () => remove(c) }, t('Delete'))))),
    t('No credentials yet.')));
  }

  function edit(existing) {
    const presets = existing ? PRESETS.filter((p) => p[2] === existing.kind) : PRESETS;
    const initial = existing ? presets.find((p) => p[3].some((f) => existing.fields.includes(f) && !PLAIN.includes(f))) || presets[0] : presets[0];
    const name = existing ? null : field('name', t('Name'), { required: true, hint: t('Steps and hosts refer to it by this name, e.g. prod-ssh.') });
    const kind = field('kind', t('Kind'), { kind: 'select', value: initial[0], options: presets.map((p) => [p[0], p[1]()]) });
    const description = field('description', t('Description'), { value: existing?.description });
    const values = h('div', { class: 'values' });
    let valueFields = [];
    const formNotice = h('div');

    function showValues() {
      const preset = PRESETS.find((p) => p[0] === kind.input.value);
      const schema = kinds.find((k) => k.kind === preset[2]);
      const required = new Set(schema?.required || []);
      valueFields = preset[3].map((f) => field(f, label(f), {
        kind: MULTILINE.includes(f) ? 'textarea' : PLAIN.includes(f) ? 'text' : 'password',
        required: required.has(f) || (preset[0] === 'ssh-key' && f === 'privateKey') || (preset[0] === 'ssh-password' && f === 'password')
          || (preset[0] === 'token' && f === 'token') || (preset[0] === 'kubeconfig' && f === 'kubeconfig')
      }));
      clear(values, valueFields.map((f) => f.row));
    }
    kind.input.addEventListener('change', showValues);
    showValues();

    clear(editor, h('form', {
      class: 'admin-form', id: 'credential-form', autocomplete: 'off',
      onsubmit: async (event) => {
        event.preventDefault();
        const preset = PRESETS.find((p) => p[0] === kind.input.value);
        const given = Object.fromEntries(valueFields.filter((f) => f.input.value !== '').map((f) => [f.name, f.input.value]));
        const target = existing ? existing.name : name.input.value.trim();
        try {
          await admin.saveCredential(target, { kind: preset[2], description: description.input.value || null, values: given });
          // The values leave the page as soon as they are stored.
          valueFields.forEach((f) => { f.input.value = ''; });
          clear(editor);
          notify(status, 'ok', existing ? t('Credential {name} rotated.', { name: target }) : t('Credential {name} created.', { name: target }));
          await load();
        } catch (e) {
          showProblem([name, kind, description, ...valueFields].filter(Boolean), formNotice, e);
        }
      }
    },
    h('h2', {}, existing ? t('Rotate {name}', { name: existing.name }) : t('New credential')),
    existing ? h('p', { class: 'hint' }, t('Give every value again: what you enter replaces everything stored.')) : null,
    name?.row, kind.row, description.row, values, formNotice,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'save-credential' }, existing ? t('Rotate') : t('Create credential')),
      h('button', { type: 'button', onclick: () => clear(editor) }, t('Cancel')))));
    (name || kind).input.focus();
  }

  async function remove(c) {
    if (!await confirmAction(t('Delete the credential {name}? Steps and hosts that use it will fail until you create it again.', { name: c.name }), t('Delete'))) return;
    try {
      await admin.deleteCredential(c.name);
      notify(status, 'ok', t('Credential {name} deleted.', { name: c.name }));
    } catch (e) {
      notify(status, 'error', failure(e));
    }
    await load();
  }

  await load();
}
