// What the ticket pages share: labelled form fields that show a 422's messages in place, the timeline's
// lines (field: from -> to) and refused moves, all in the user's language.

import { clear, h } from '../dom.js';
import { t } from '../i18n.js';

export const TICKET_TYPES = ['incident', 'change', 'problem', 'release'];
export const LEVELS = ['high', 'medium', 'low'];

/** A labelled control with a place for its field's error: data-field names the API field. */
export function field(key, label, control, hint) {
  const id = control.id || `field-${key.replace(/\W/g, '-')}`;
  control.id = id;
  const error = h('span', { class: 'field-error', id: `${id}-error`, role: 'alert' });
  control.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'ticket-field', dataset: { field: key } },
    h('label', { for: id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null, error);
}

/** Puts each field's messages from a 422 next to its control; true when a field took them. */
export function showFieldErrors(form, errors) {
  form.querySelectorAll('.ticket-field').forEach((node) => {
    node.classList.remove('invalid');
    clear(node.querySelector('.field-error'));
    node.querySelector('[aria-invalid]')?.removeAttribute('aria-invalid');
  });
  let shown = false;
  for (const [key, messages] of Object.entries(errors || {})) {
    const node = form.querySelector(`.ticket-field[data-field="${CSS.escape(key)}"]`);
    if (!node) continue;
    node.classList.add('invalid');
    node.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
    clear(node.querySelector('.field-error'), messages.map((m) => t(m)).join(' '));
    shown = true;
  }
  return shown;
}

export function levelSelect(id, value) {
  return h('select', { id }, LEVELS.map((l) => h('option', { value: l, selected: l === value }, t(l))));
}

/** A select of names with an empty first choice; a current value not in the list is kept. */
export function nameSelect(id, names, value, empty) {
  const all = value && !names.includes(value) ? [value, ...names] : names;
  return h('select', { id }, h('option', { value: '' }, empty), all.map((n) => h('option', { value: n, selected: n === value }, n)));
}

export function splitNames(text) {
  return text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
}

/** A refused move in the user's language, from the problem's code and parameters; the server's English otherwise. */
export function refusalText(error) {
  const problem = error.problem || {};
  const p = problem.parameters || {};
  const values = { from: t(p.from || ''), to: t(p.to || ''), allowed: (p.allowed || '').split(', ').filter(Boolean).map((s) => t(s)).join(', ') || t('nowhere') };
  switch (problem.code) {
    case 'ticket.assigneeRequired': return t('Assign it to a person or a group before moving it to {to}.', values);
    case 'ticket.resolutionRequired': return t('Write the resolution notes before moving it to {to}.', values);
    case 'ticket.transitionNotAllowed': return t('A ticket in {from} cannot move to {to}; from {from} it can go to: {allowed}.', values);
    case 'ticket.noProcessFault': return t('The process behind this ticket is not stopped on a fault.');
    default: return error.message;
  }
}

const FIELD_NAMES = {
  title: 'Title', description: 'Description', assignee: 'Assignee', group: 'Group', impact: 'Impact', urgency: 'Urgency',
  priority: 'Priority', 'affected.hosts': 'Hosts', 'affected.services': 'Services', fields: 'Details', state: 'State'
};

function value(field, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (field === 'impact' || field === 'urgency') return t(v);
  if (field.startsWith('affected.')) {
    try { return JSON.parse(v).join(', ') || '—'; } catch { return String(v); }
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** One timeline entry as text: each changed field as `field: from -> to`, a move, a link, a comment, a process fault. */
/**
 * Who made a timeline entry: a person's name as it is; a process step ("process {instance}/{element}", as the ticket
 * executors sign) as "Process step" and the step, linked to its instance. `stepName` gives the step's name from the
 * drawn diagram, when there is one.
 */
export function describeActor(actor, stepName = () => null) {
  const step = /^process ([0-9a-f-]{36})\/(.+)$/.exec(actor || '');
  if (!step) return actor || '';
  const [, instanceId, elementId] = step;
  return h('a', { href: `#/instances/${instanceId}`, class: 'process-actor', dataset: { element: elementId }, title: actor },
    t('Process step'), ': ', h('span', { class: 'step' }, stepName(instanceId, elementId) || elementId));
}

export function describeEntry(entry) {
  const d = entry.detail || {};
  switch (entry.kind) {
    case 'created': return t('Opened in {state} as {priority}', { state: t(d.state || ''), priority: d.priority || '' });
    case 'updated': return Object.entries(d).map(([f, c]) => `${t(FIELD_NAMES[f] || f)}: ${value(f, c?.from)} → ${value(f, c?.to)}`).join('; ');
    case 'transition': return `${t('State')}: ${t(d.from)} → ${t(d.to)}${entry.text ? ` — ${entry.text}` : ''}`;
    case 'comment': return entry.text || '';
    case 'linked': return t('Linked to {number} ({kind})', { number: d.number, kind: t(d.kind) });
    case 'unlinked': return t('Unlinked from {number} ({kind})', { number: d.number, kind: t(d.kind) });
    case 'processFaulted': return t('The process stopped at {element}: {message}', { element: d.elementName ? `${d.elementName} (${d.element})` : d.element, message: d.message });
    case 'processRecovered': return t('The process runs again after a retry');
    case 'processCancelled': return t('The process was cancelled');
    default: return entry.text || (entry.detail ? JSON.stringify(entry.detail) : '');
  }
}
