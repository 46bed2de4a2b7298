// The host inventory: where SSH steps connect, as whom, with which credential, and the tags they select
// hosts by. Files (CSV or an Ansible inventory) are previewed row by row before anything is written.

import { clear, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { admin } from './api.js';
import { confirmAction, failure, field, named, notify, showProblem, splitList, table } from './ui.js';

export async function hostsSection(body) {
  const status = h('div', { id: 'admin-notice', 'aria-live': 'polite' });
  const list = h('div', { id: 'host-list' });
  const editor = h('div');
  const filter = field('tags', t('Show hosts with tags'), { hint: [t('As an SSH step selects them: all terms must hold, ! excludes.'), ' ', t('For example'), ' ', h('code', {}, 'web+env:prod !env:staging')] });
  const filterForm = h('form', { class: 'inline filter', role: 'search', onsubmit: (event) => { event.preventDefault(); load(); } },
    filter.row, h('button', { type: 'submit', id: 'filter-hosts' }, t('Filter')),
    h('button', { type: 'button', onclick: () => { filter.input.value = ''; load(); } }, t('Show all')));
  body.append(h('div', { class: 'toolbar' },
    h('button', { type: 'button', class: 'primary', id: 'new-host', onclick: () => edit(null) }, t('New host')),
    h('button', { type: 'button', id: 'import-hosts', onclick: () => importForm() }, t('Import from a file'))),
  filterForm, status, editor, list);
  let credentials = [];

  async function load() {
    let hosts;
    try {
      [hosts, credentials] = await Promise.all([admin.hosts(filter.input.value.trim() || undefined), admin.credentials()]);
    } catch (e) {
      if (e.problem?.errors) showProblem([filter], status, e);
      else notify(status, 'error', failure(e));
      return;
    }
    clear(list, table([t('Name'), t('Address'), t('Port'), t('User'), t('Credential'), t('Tags'), t('Actions')], hosts.map((host) => h('tr', { dataset: { host: host.name } },
      h('td', {}, h('strong', {}, host.name)),
      h('td', {}, host.address),
      h('td', {}, String(host.port)),
      h('td', {}, host.user || ''),
      h('td', {}, host.credential || ''),
      h('td', {}, host.tags.map((tag) => h('span', { class: 'tag' }, tag))),
      h('td', { class: 'actions' },
        h('button', { type: 'button', 'aria-label': t('Edit {name}', { name: host.name }), onclick: () => edit(host) }, t('Edit')),
        h('button', { type: 'button', class: 'danger', 'aria-label': t('Delete {name}', { name: host.name }), onclick: () => remove(host) }, t('Delete'))))),
    filter.input.value.trim() ? t('No host matches these tags.') : t('No hosts yet.')));
  }

  const credentialOptions = () => [['', t('(none)')], ...credentials.map((c) => [c.name, `${c.name} (${named(`kind:${c.kind}`)})`])];

  // The pickers list the credentials as they are now, also when the list has not finished loading.
  async function freshCredentials() {
    try {
      credentials = await admin.credentials();
    } catch (e) {
      notify(status, 'error', failure(e));
    }
  }

  async function edit(host) {
    await freshCredentials();
    const fields = [
      host ? null : field('name', t('Name'), { required: true, hint: t('How steps name the host, e.g. web-01.') }),
      field('address', t('Address'), { required: true, value: host?.address, hint: t('Host name or IP address.') }),
      field('port', t('Port'), { kind: 'number', value: host?.port ?? 22 }),
      field('user', t('User'), { value: host?.user, hint: t('Empty: the credential\'s user.') }),
      field('credential', t('Credential'), { kind: 'select', value: host?.credential ?? '', options: credentialOptions() }),
      field('tags', t('Tags'), { value: host?.tags.join(' '), hint: t('Separated by spaces, e.g. web env:prod.') }),
      field('knownHosts', t('Known host keys'), { kind: 'textarea', value: host?.knownHosts, hint: t('Lines as in a known_hosts file, e.g. from ssh-keyscan. Empty: the server\'s known_hosts file.') })
    ].filter(Boolean);
    const formNotice = h('div');
    const value = (name) => fields.find((f) => f.name === name).input.value;
    clear(editor, h('form', {
      class: 'admin-form', id: 'host-form',
      onsubmit: async (event) => {
        event.preventDefault();
        const target = host ? host.name : value('name').trim();
        try {
          await admin.saveHost(target, {
            address: value('address').trim(), port: Number(value('port') || 22), user: value('user') || null,
            credential: value('credential') || null, tags: splitList(value('tags')), knownHosts: value('knownHosts') || null
          });
          clear(editor);
          notify(status, 'ok', t('Host {name} saved.', { name: target }));
          await load();
        } catch (e) {
          showProblem(fields, formNotice, e);
        }
      }
    }, h('h2', {}, host ? t('Edit {name}', { name: host.name }) : t('New host')), h('div', { class: 'grid' }, fields.map((f) => f.row)), formNotice,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-host' }, t('Save host')), h('button', { type: 'button', onclick: () => clear(editor) }, t('Cancel')))));
    fields[0].input.focus();
  }

  async function importForm() {
    await freshCredentials();
    const format = field('format', t('Format'), { kind: 'select', options: [['csv', t('CSV (name,address,port,user,credential,tags)')], ['yaml', t('Ansible inventory (YAML)')]] });
    const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,.yml,.yaml,.txt,text/csv,text/yaml' });
    const text = field('text', t('File content'), { kind: 'textarea', required: true, placeholder: 'name,address,port,user,credential,tags\nweb-01,10.0.0.11,22,ops,prod-ssh,web env:prod' });
    text.input.rows = 8;
    const credential = field('credential', t('Credential for hosts that name none'), { kind: 'select', options: credentialOptions() });
    const preview = h('div', { id: 'import-preview' });
    const formNotice = h('div');
    file.addEventListener('change', async () => {
      const chosen = file.files[0];
      if (!chosen) return;
      if (/\.ya?ml$/i.test(chosen.name)) format.input.value = 'yaml';
      if (/\.csv$/i.test(chosen.name)) format.input.value = 'csv';
      text.input.value = await chosen.text();
    });
    const request = () => ({ format: format.input.value, text: text.input.value, credential: credential.input.value || null });

    async function showPreview() {
      clear(preview);
      let result;
      try {
        result = await admin.previewImport(request());
      } catch (e) {
        showProblem([format, text, credential], formNotice, e);
        return;
      }
      notify(formNotice, result.invalid ? 'info' : 'ok', t('{valid} host(s) can be imported, {invalid} have errors and will be skipped.', { valid: result.valid, invalid: result.invalid }));
      clear(preview, table([t('Line'), t('Name'), t('Address'), t('Port'), t('User'), t('Credential'), t('Tags'), t('Result')],
        result.rows.map((r) => {
          const errors = Object.entries(r.errors);
          return h('tr', { class: errors.length ? 'invalid' : 'valid', dataset: { line: r.line } },
            h('td', {}, String(r.line)), h('td', {}, r.name), h('td', {}, r.address), h('td', {}, r.errors.port ? '—' : String(r.port)),
            h('td', {}, r.user || ''), h('td', {}, r.credential || ''), h('td', {}, r.tags.join(' ')),
            h('td', {}, errors.length
              ? h('ul', { class: 'row-errors' }, errors.map(([f, messages]) => h('li', {}, h('strong', {}, `${named(`column:${f}`)}: `), messages.join(' '))))
              : r.replaces ? t('Replaces the existing host') : t('New host')));
        }), ''),
      result.valid
        ? h('div', { class: 'actions' }, h('button', {
          type: 'button', class: 'primary', id: 'import-valid',
          onclick: async () => {
            try {
              const done = await admin.importHosts(request());
              clear(editor);
              notify(status, 'ok', t('Imported {count} host(s): {created} new, {replaced} replaced; {invalid} skipped.', { count: done.valid, created: done.created, replaced: done.replaced, invalid: done.invalid }));
              await load();
            } catch (e) {
              showProblem([format, text, credential], formNotice, e);
            }
          }
        }, t('Import {count} valid host(s)', { count: result.valid })))
        : null);
    }

    clear(editor, h('form', { class: 'admin-form', id: 'import-form', onsubmit: (event) => { event.preventDefault(); showPreview(); } },
      h('h2', {}, t('Import hosts')),
      h('p', { class: 'hint' }, t('Nothing is written until you import: the preview lists every row and what is wrong with it. Groups of an Ansible inventory become tags.')),
      h('div', { class: 'grid' }, format.row, h('div', { class: 'field' }, h('label', { for: 'import-file' }, t('Choose a file')), file), credential.row),
      text.row, formNotice,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'preview-import' }, t('Preview')), h('button', { type: 'button', onclick: () => clear(editor) }, t('Cancel'))),
      preview));
    format.input.focus();
  }

  async function remove(host) {
    if (!await confirmAction(t('Delete the host {name} from the inventory? Steps that name it will fail.', { name: host.name }), t('Delete'))) return;
    try {
      await admin.deleteHost(host.name);
      notify(status, 'ok', t('Host {name} deleted.', { name: host.name }));
    } catch (e) {
      notify(status, 'error', failure(e));
    }
    await load();
  }

  await load();
}
