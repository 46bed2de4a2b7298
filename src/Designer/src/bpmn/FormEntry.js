// The "Form" entry of a user task's or a none start event's properties: what the embedded form holds and a button
// that opens the form editor. The editor is a chunk of its own, loaded on the first click; saving it writes the
// schema into the element's ops:form as one undoable command, so the page's dirty state, local copy and leave guard
// see it like any other edit.

import { h } from '@bpmn-io/properties-panel/preact';
import { useState } from '@bpmn-io/properties-panel/preact/hooks';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import { t } from '../i18n.js';
import { opsFormText, setOpsForm } from './opsModel.js';

/** The embedded form read from its text: { schema } when it parses, { broken } when it does not, {} when none. */
export function embeddedForm(element) {
  const text = opsFormText(element);
  if (!text) return {};
  try {
    const schema = JSON.parse(text);
    return schema && Array.isArray(schema.components) ? { schema } : { broken: true };
  } catch {
    return { broken: true };
  }
}

/** How many fields set a variable (components with a key), groups included. */
export function countFields(components) {
  return (components || []).reduce((n, c) => n + (c && c.key ? 1 : 0) + countFields(c?.components), 0);
}

function fieldCount(n) {
  return n === 1 ? t('1 field') : t('{n} fields', { n });
}

export function formEntry(injector, element) {
  return { id: 'ops-form-embedded', element, injector, component: FormEntry, isEdited: () => Boolean(opsFormText(element)) };
}

function FormEntry({ element, injector }) {
  const [problem, setProblem] = useState('');
  const { schema, broken } = embeddedForm(element);
  const summary = broken
    ? t('The embedded form is not valid form-js JSON; a new form replaces it.')
    : schema ? fieldCount(countFields(schema.components))
      : is(element, 'bpmn:StartEvent') ? t('No form: the process starts without asking for values.')
        : t('No form: the task shows Approve and Reject.');

  const open = async () => {
    setProblem('');
    let editor;
    try {
      editor = await import('../forms/formEditor.js');
    } catch {
      setProblem(t('The form editor could not be loaded. Reload the browser tab to get the current version.'));
      return;
    }
    const bo = getBusinessObject(element);
    const saved = await editor.openFormEditor({
      schema: schema || editor.emptyForm(bo.id),
      title: t('Form of {name}', { name: bo.name || bo.id })
    });
    if (saved) setOpsForm(injector, element, saved);
  };
  const remove = () => {
    if (window.confirm(t('Remove the form of {name}?', { name: getBusinessObject(element).name || element.id }))) setOpsForm(injector, element, null);
  };

  return h('div', { class: 'bio-properties-panel-entry ops-form-entry', 'data-entry-id': 'ops-form-embedded' },
    h('p', { class: 'ops-form-summary', id: 'ops-form-summary' }, summary),
    h('div', { class: 'ops-form-buttons' },
      h('button', { type: 'button', class: 'primary', id: 'ops-form-edit', onClick: open },
        schema ? t('Edit form') : t('Create form')),
      schema || broken ? h('button', { type: 'button', id: 'ops-form-remove', onClick: remove }, t('Remove form')) : null),
    problem ? h('p', { class: 'field-error', role: 'alert' }, problem) : null);
}
