// Mail settings: the SMTP server approval mail and email steps without a credential use. Saved here they
// override the configuration file; the password is write-only.

import { clear, formatTime, h } from '../../dom.js';
import { t } from '../../i18n.js';
import { admin } from './api.js';
import { failure, field, notify, showProblem } from './ui.js';

export async function mailSection(body) {
  const status = h('div', { id: 'admin-notice', 'aria-live': 'polite' });
  const area = h('div');
  body.append(h('p', { class: 'hint' }, t('Approval mail and email steps that name no credential are sent through this server. Settings saved here override the configuration file.')), status, area);
  let settings;
  try {
    settings = await admin.mail();
  } catch (e) {
    notify(status, 'error', failure(e));
    return;
  }
  const source = (key) => settings.sources?.[key] === 'database' ? t('saved here') : t('from the configuration file');
  const fields = [
    field('host', t('SMTP server'), { required: true, value: settings.host, hint: source('host') }),
    field('port', t('Port'), { kind: 'number', value: settings.port, hint: source('port') }),
    field('tlsMode', t('TLS'), { kind: 'select', value: settings.tlsMode, options: [['none', t('None (plain SMTP)')], ['starttls', t('STARTTLS (certificate must be trusted)')], ['tls', t('TLS from the first byte (implicit TLS, usually port 465; certificate must be trusted)')]], hint: source('tlsMode') }),
    field('username', t('User name'), { value: settings.username, hint: t('Empty: send without signing in.') }),
    field('password', t('Password'), { kind: 'password', placeholder: settings.passwordSet ? t('(set; leave empty to keep)') : '', hint: settings.passwordSet ? t('A password is set. Type a new one to replace it.') : t('No password is set.') }),
    field('from', t('Sender address'), { required: true, value: settings.from, placeholder: 'WeOps <weops@example.com>' })
  ];
  const removePassword = h('input', { type: 'checkbox', id: 'remove-password' });
  const formNotice = h('div');
  const value = (name) => fields.find((f) => f.name === name).input.value;
  const form = h('form', {
    class: 'admin-form', id: 'mail-form',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        settings = await admin.saveMail({
          host: value('host'), port: Number(value('port')) || null, tlsMode: value('tlsMode'), username: value('username') || null,
          password: removePassword.checked ? '' : value('password') || null, from: value('from')
        });
        fields.find((f) => f.name === 'password').input.value = '';
        notify(formNotice, 'ok', t('Mail settings saved.'));
      } catch (e) {
        showProblem(fields, formNotice, e);
      }
    }
  }, h('h2', {}, t('SMTP server')), h('div', { class: 'grid' }, fields.map((f) => f.row)),
  settings.passwordSet ? h('label', { for: 'remove-password', class: 'check' }, removePassword, ' ', t('Remove the stored password')) : null,
  settings.updatedAt ? h('p', { class: 'hint' }, t('Last changed {time} by {user}.', { time: formatTime(settings.updatedAt), user: settings.updatedBy || '?' })) : null,
  formNotice,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-mail' }, t('Save'))));

  const to = field('to', t('Send a test message to'), { kind: 'email', required: true, placeholder: 'you@example.com' });
  const answer = h('div', { id: 'mail-test-answer', 'aria-live': 'polite' });
  const test = h('form', {
    class: 'admin-form', id: 'mail-test',
    onsubmit: async (event) => {
      event.preventDefault();
      notify(answer, 'info', t('Sending…'));
      try {
        const result = await admin.testMail(to.input.value.trim());
        clear(answer, h('div', { class: `notice ${result.sent ? 'ok' : 'error'}`, role: result.sent ? 'status' : 'alert' },
          h('strong', {}, result.sent ? t('Sent.') : t('Not sent.')), ' ',
          result.code ? t('The SMTP server {server} answered:', { server: result.server }) : t('No answer from the SMTP server {server}:', { server: result.server }), ' ', h('code', {}, result.answer)));
      } catch (e) {
        showProblem([to], answer, e);
      }
    }
  }, h('h2', {}, t('Send a test')), h('p', { class: 'hint' }, t('Uses the saved settings. Save your changes first.')), to.row,
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'send-test' }, t('Send a test'))), answer);
  clear(area, h('div', { class: 'two-columns' }, form, test));
}
