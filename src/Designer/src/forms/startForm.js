import { api } from '../api.js';
import { clear, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { formValues, renderForm } from './taskForm.js';

// How long the page looks for the ticket the new instance opens (a service task, run as a job just after the start).
const TICKET_WAIT_MS = 15_000;
const TICKET_POLL_MS = 400;

let opening = false;

/**
 * Starts a published process from the processes page: a dialog with its start form (the form-js viewer, the
 * server's 422 errors on their fields), or, for a process without one, a confirmation. After the start, `status`
 * says what started, with links to the instance and, once the process has opened it, to its ticket.
 */
export async function startProcess(definition, status) {
  // One dialog at a time, also while the form is on its way (a double click).
  if (opening || document.getElementById('start-dialog')) return;
  let view;
  opening = true;
  try {
    view = await api.startForm(definition.key);
  } catch (e) {
    notice(status, 'error', e.message);
    return;
  } finally {
    opening = false;
  }
  const name = definition.name || definition.key;
  const errorLine = h('div', { class: 'start-error', 'aria-live': 'polite' });
  const body = h('div', { class: 'start-form-body' });
  const startButton = h('button', { type: 'button', class: 'primary', id: 'start-confirm' }, t('Start'));
  const cancelButton = h('button', { type: 'button', id: 'start-cancel' }, t('Cancel'));
  const dialog = h('dialog', { class: 'start-process', id: 'start-dialog', 'aria-labelledby': 'start-title' },
    h('h2', { id: 'start-title' }, t('Start {name}', { name })),
    h('p', { class: 'help' }, t('Version {version}. Instances already running stay on the version they started on.', { version: definition.latestVersion })),
    body, errorLine,
    h('div', { class: 'buttons' }, cancelButton, startButton));
  document.body.append(dialog);
  // Leaving the page (the browser's Back while the dialog is open) closes it too.
  const close = () => { window.removeEventListener('hashchange', close); dialog.close(); dialog.remove(); };
  window.addEventListener('hashchange', close);
  cancelButton.addEventListener('click', close);
  dialog.addEventListener('cancel', (event) => { event.preventDefault(); close(); });

  let form = null;
  if (view.schema) {
    try {
      form = await renderForm(body, view.schema, view.data);
    } catch (e) {
      close();
      notice(status, 'error', t('The start form of {name} cannot be shown: {message}', { name, message: e.message }));
      return;
    }
  } else {
    body.append(h('p', { id: 'start-confirmation' }, t('{name} has no start form: it starts with no values of its own. Start it now?', { name })));
  }
  dialog.showModal();
  (body.querySelector('input, textarea, select') || startButton).focus();

  startButton.addEventListener('click', async () => {
    const values = form ? formValues(form) : {};
    if (!values) return;
    startButton.disabled = true;
    clear(errorLine);
    try {
      const instance = await api.startInstance(definition.key, startValues(values, view.schema));
      close();
      announceStarted(status, name, instance.id);
    } catch (e) {
      startButton.disabled = false;
      if (!(e.status === 422 && form?.showErrors(e.problem?.errors))) notice(errorLine, 'error', e.message);
    }
  });
}

/** The form's values without the options its pickers were shown with (they are data, not part of the request). */
function startValues(values, schema) {
  const request = { ...values };
  const walk = (components) => (components || []).forEach((c) => {
    if (c.valuesKey) delete request[c.valuesKey];
    walk(c.components);
  });
  walk(schema?.components);
  return Object.keys(request).length ? request : null;
}

function announceStarted(status, name, instanceId) {
  const ticket = h('span', { class: 'started-ticket' });
  clear(status, h('div', { class: 'notice ok', role: 'status', id: 'started' },
    t('Started {name}.', { name }), ' ',
    h('a', { href: `#/instances/${instanceId}`, id: 'started-instance' }, t('Open the instance')), ticket));
  const until = Date.now() + TICKET_WAIT_MS;
  const look = async () => {
    if (!ticket.isConnected) return;
    let number = null;
    try {
      const instance = await api.instance(instanceId);
      number = typeof instance.variables?.ticket === 'string' ? instance.variables.ticket : null;
      if (!number && instance.status !== 'running') return;
    } catch {
      return;
    }
    if (number) {
      clear(ticket, ' · ', h('a', { href: `#/tickets/${encodeURIComponent(number)}`, id: 'started-ticket' }, t('Open ticket {number}', { number })));
    } else if (Date.now() < until) {
      setTimeout(look, TICKET_POLL_MS);
    }
  };
  look();
}
