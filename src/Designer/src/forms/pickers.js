// The product's pickers in the form editor: a select, radio or checklist whose properties say `picker` and whose
// `valuesKey` names the form data entry the server fills with users, groups, hosts or tickets (docs/forms.md).

/** The pickers the server fills, with the label and key a new one gets. */
export const PICKERS = [
  { name: 'users', label: 'Users', button: 'User', fieldLabel: 'User', key: 'assignee' },
  { name: 'groups', label: 'Groups', button: 'Group', fieldLabel: 'Group', key: 'group' },
  { name: 'hosts', label: 'Hosts', button: 'Host', fieldLabel: 'Host', key: 'host' },
  { name: 'tickets', label: 'Tickets', button: 'Ticket', fieldLabel: 'Ticket', key: 'ticket' }
];

const PICKER_TYPES = ['select', 'radio', 'checklist'];

export function canHavePicker(field) {
  return Boolean(field) && PICKER_TYPES.includes(field.type);
}

export function pickerOf(field) {
  const picker = field?.properties?.picker;
  return PICKERS.some((p) => p.name === picker) ? picker : '';
}

/** Makes `field` a picker (its options then come from the server under its valuesKey), or, with '', not one. */
export function setPicker(editor, field, picker) {
  const properties = { ...(field.properties || {}) };
  if (picker) properties.picker = picker;
  else delete properties.picker;
  const changes = { properties: Object.keys(properties).length ? properties : undefined };
  if (picker) {
    changes.valuesKey = field.valuesKey || `${field.key}Options`;
    changes.values = undefined;
    changes.valuesExpression = undefined;
  }
  editor.get('modeling').editFormField(field, changes);
}

/** Adds a select that picks from `picker` at the end of the form, selected so its properties show. */
export function addPicker(editor, picker, translate = (text) => text) {
  const keys = new Set(editor.get('formFieldRegistry').getAll().map((f) => f.key).filter(Boolean));
  let key = picker.key;
  for (let n = 2; keys.has(key); n++) key = `${picker.key}${n}`;
  const { schema } = editor._getState();
  const field = editor.get('modeling').addFormField({
    type: 'select', key, label: translate(picker.fieldLabel), valuesKey: `${key}Options`, properties: { picker: picker.name }
  }, schema, schema.components.length);
  if (field) editor.get('selection').set(field);
  return field;
}
