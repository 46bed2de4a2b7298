import { Form } from '@bpmn-io/form-js-viewer';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** form-js's own messages and labels through our dictionary, with its {placeholders} filled. */
const translateModule = {
  translate: ['value', (template, replacements = {}) =>
    t(template).replace(/{([^}]+)}/g, (_, key) => (key in replacements ? replacements[key] : `{${key}}`))]
};

/** The server names the field's label in English sentence shapes; shown in the reader's language where we know the shape.
 * Each shape lists the names of its captured parts, after the label. */
const serverMessages = [
  [/^(.+) is required\.$/, '{label} is required.', []],
  // The decision is an approval's (approve, reject) or a task's outcome (escalate), each in the dictionary.
  [/^(.+) is required to ([a-zA-Z]+)\.$/, '{label} is required to {decision}.', ['decision']],
  [/^(.+) must be a number\.$/, '{label} must be a number.', []],
  // A picker's option that went away while the form was open (a host removed from the inventory).
  [/^(.+) must be one of its options; (.+) is not\.$/, '{label}: {value} is not among its options any more.', ['value']],
  [/^(.+) must be one of its options; .*$/, '{label} must be one of its options.', []]
];

function inReadersTerms(message) {
  for (const [pattern, template, names] of serverMessages) {
    const match = pattern.exec(message);
    if (!match) continue;
    // The label as the form shows it: the shipped forms' labels are in the dictionary.
    const values = { label: t(match[1]) };
    names.forEach((name, i) => { values[name] = name === 'decision' ? t(match[i + 2]) : match[i + 2]; });
    return t(template, values);
  }
  return message;
}

/** The schema with its labels, texts and option labels in the reader's language (the shipped forms' are in our dictionary). */
function localized(schema) {
  const copy = structuredClone(schema);
  const walk = (components) => (components || []).forEach((c) => {
    if (typeof c.label === 'string') c.label = t(c.label);
    if (typeof c.text === 'string') c.text = t(c.text);
    if (typeof c.description === 'string') c.description = t(c.description);
    if (c.type === 'datetime') prepareDateTime(c);
    (Array.isArray(c.values) ? c.values : []).forEach((v) => { if (typeof v.label === 'string') v.label = t(v.label); });
    walk(c.components);
  });
  walk(copy.components);
  return copy;
}

/**
 * A date-time field as a person can use it. form-js labels its inputs with its dateLabel and timeLabel, not its label; a schema written by hand
 * (or one of ours) often has only a label, which left both inputs unlabelled. The label goes on the date input (or
 * the time input of a time-only field), and the time input of a date and time is labelled as such.
 */
function prepareDateTime(c) {
  const subtype = c.subtype || 'date';
  // Without a format form-js sends the time without its zone, which the server reads as UTC: a window typed as
  // 22:00 in Beijing would open at 06:00 the next morning. With its offset the time means what the person typed.
  if (typeof c.timeSerializingFormat !== 'string' && subtype !== 'date') c.timeSerializingFormat = 'utc_offset';
  if (typeof c.dateLabel === 'string') c.dateLabel = t(c.dateLabel);
  if (typeof c.timeLabel === 'string') c.timeLabel = t(c.timeLabel);
  if (c.dateLabel || c.timeLabel || typeof c.label !== 'string') return;
  if (subtype === 'time') c.timeLabel = c.label;
  else c.dateLabel = c.label;
  if (subtype === 'datetime') c.timeLabel = t('Time');
}

/**
 * Renders a form-js schema with its data into `container`; returns the form-js viewer, with `showErrors`
 * to put the server's 422 errors (keyed by field key) on their fields.
 */
export async function renderForm(container, schema, data) {
  // Without debounce every keystroke reaches the form's data at once: typing and pressing Complete straight away
  // must submit what was typed, not what the field held 300 ms before.
  const form = new Form({ container, additionalModules: [translateModule], debounce: false });
  await form.importSchema(localized(schema), data || {});
  form.showErrors = (errors) => {
    const fields = form.get('formFieldRegistry').getAll();
    const byId = {};
    for (const [key, messages] of Object.entries(errors || {})) {
      const field = fields.find((f) => f.key === key);
      if (field) byId[field.id] = messages.map(inReadersTerms);
    }
    form._setState({ errors: byId });
    container.querySelector('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors select, .fjs-has-errors [tabindex]')?.focus();
    return Object.keys(byId).length;
  };
  return form;
}

/** The values of a form that passes its own checks, else null (form-js then shows the errors in place). */
export function formValues(form) {
  const { data, errors } = form.submit();
  return Object.keys(errors).length ? null : data;
}

/**
 * The part of a task where the person acts on it. A task with a form (ops:form) shows the form and a Complete
 * button, or, for an approval, Approve and Reject; a task without one a comment and Approve/Reject. The task
 * list and the task page both mount it; it calls onDone after the server took the decision and onError with the
 * failed call, so the host page decides where messages go. A 422 from the form's checks is shown on the fields.
 */
export function mountTaskForm(container, task, { onDone = () => {}, onError = () => {} } = {}) {
  const approval = Boolean(task.pendingApprovers);
  api.taskForm(task.id).then(async ({ schema, data }) => {
    if (!schema) {
      plainDecisions(container, task, approval, onDone, onError);
      return;
    }
    const holder = h('div', { class: 'task-form' });
    container.append(holder);
    const form = await renderForm(holder, schema, data);
    const submit = async (decision) => {
      const values = formValues(form);
      if (!values) return;
      try {
        if (approval) await api.decideTask(task.id, decision, null, values);
        else await api.completeTask(task.id, undefined, null, values);
        await onDone(decision || 'complete');
      } catch (e) {
        if (!(e.status === 422 && form.showErrors(e.problem?.errors))) onError(e);
      }
    };
    const buttons = approval
      ? [h('button', { class: 'primary approve', onclick: () => submit('approve') }, t('Approve')), ' ',
        h('button', { class: 'reject', onclick: () => submit('reject') }, t('Reject'))]
      : [h('button', { class: 'primary complete', onclick: () => submit() }, t('Complete'))];
    container.append(h('div', { class: 'task-form-buttons' }, ...buttons));
  }, onError);
}

function plainDecisions(container, task, approval, onDone, onError) {
  const comment = h('input', { class: 'comment', maxlength: 2000, placeholder: t('Comment'), 'aria-label': t('Comment') });
  const decide = async (outcome) => {
    try {
      if (approval) await api.decideTask(task.id, outcome, comment.value);
      else await api.completeTask(task.id, outcome, comment.value);
      await onDone(outcome);
    } catch (e) {
      onError(e);
    }
  };
  container.append(
    comment, ' ',
    h('button', { class: 'primary approve', onclick: () => decide('approve') }, t('Approve')), ' ',
    h('button', { class: 'reject', onclick: () => decide('reject') }, t('Reject')));
}
