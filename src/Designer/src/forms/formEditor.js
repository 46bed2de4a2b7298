// The form editor: a full-size dialog with form-js's editor (palette, canvas, properties of each field) for the form
// embedded in a user task or a start event. Loaded as a chunk of its own when a manager opens a form, so neither the
// first page nor the diagram pages carry it. The caller writes the saved schema into the process.

import { FormEditor } from '@bpmn-io/form-js-editor';
// The styles of the viewer the editor is built on (installed beside it), not of the task pages' newer one.
import '../../node_modules/@bpmn-io/form-js-editor/node_modules/@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/dragula.css';
import './formEditor.css';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { PICKERS, addPicker, canHavePicker, pickerOf, setPicker } from './pickers.js';

const EXPORTER = { name: 'WeOps Designer', version: '1.0.0' };

/** An empty form, for a task or start event that has none yet. */
export function emptyForm(id) {
  return { type: 'default', id: `Form_${id}`, components: [] };
}

/**
 * Shows the editor for `schema` (a form-js schema). Resolves to the edited schema when the manager saves, or to null
 * when they cancel (the Cancel button, Esc, or leaving the page); nothing is written before that.
 */
export function openFormEditor({ schema, title }) {
  return new Promise((resolve) => {
    const canvas = h('div', { class: 'form-editor-canvas', id: 'form-editor-canvas' });
    const error = h('p', { class: 'field-error', id: 'form-editor-error', role: 'alert' });
    const pickerSelect = h('select', { id: 'form-editor-picker', disabled: true },
      h('option', { value: '' }, t('No picker: options of its own')),
      PICKERS.map((picker) => h('option', { value: picker.name }, t(picker.label))));
    const dialog = h('dialog', { class: 'form-editor', id: 'form-editor-dialog', 'aria-labelledby': 'form-editor-title' },
      h('header', {},
        h('div', {},
          h('h2', { id: 'form-editor-title' }, title),
          h('p', { class: 'help' }, t('Drag fields from the left onto the form; select a field to set its label, key (the variable it sets) and checks on the right.'))),
        h('div', { class: 'buttons' },
          h('button', { type: 'button', id: 'form-editor-cancel', onclick: () => cancel() }, t('Cancel')),
          h('button', { type: 'button', class: 'primary', id: 'form-editor-save', onclick: () => save() }, t('Save form')))),
      h('div', { class: 'form-editor-pickers', role: 'group', 'aria-label': t('Pickers') },
        h('span', {}, t('Add a picker:')),
        PICKERS.map((picker) => h('button', { type: 'button', class: 'add-picker', dataset: { picker: picker.name },
          onclick: () => editor && addPicker(editor, picker, t) }, t(picker.button))),
        h('label', { for: 'form-editor-picker' }, t('Selected field’s options come from')), pickerSelect),
      error,
      canvas);

    let editor = null;
    let saved = '';
    const changed = () => editor && JSON.stringify(editor.getSchema()) !== saved;
    const finish = (result) => {
      window.removeEventListener('hashchange', onLeave);
      dialog.close();
      dialog.remove();
      editor?.destroy();
      resolve(result);
    };
    const save = () => finish(editor ? editor.saveSchema() : null);
    const cancel = () => finish(null);
    // Esc closes a dialog; with changes made that is asked first, since a stray Esc would lose them.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      if (!changed() || window.confirm(t('Discard the changes to this form?'))) cancel();
    });
    const onLeave = () => cancel();
    window.addEventListener('hashchange', onLeave);

    const showPicker = (field) => {
      const usable = canHavePicker(field);
      pickerSelect.disabled = !usable;
      pickerSelect.value = usable ? pickerOf(field) : '';
    };
    pickerSelect.addEventListener('change', () => {
      const field = editor?.get('selection').get();
      if (canHavePicker(field)) setPicker(editor, field, pickerSelect.value);
    });

    document.body.append(dialog);
    dialog.showModal();
    try {
      editor = new FormEditor({ container: canvas, exporter: EXPORTER });
    } catch (e) {
      error.textContent = t('The form editor could not start: {message}', { message: e.message });
      return;
    }
    editor.on('selection.changed', ({ selection }) => showPicker(selection));
    editor.on('changed', () => showPicker(editor.get('selection').get()));
    editor.importSchema(schema).then(() => {
      saved = JSON.stringify(editor.getSchema());
    }, (e) => {
      error.textContent = t('The form could not be opened: {message}', { message: e.message });
    });
  });
}
