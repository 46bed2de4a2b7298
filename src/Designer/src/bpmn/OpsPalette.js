// Our executors in the palette, beside the BPMN elements: one entry per descriptor from
// /api/activities. Dropping one creates a service task with <ops:task type="..."/> (and a user task
// with <ops:approval/> for "Approval"), so a new executor needs no change here.

import { t } from '../i18n.js';

const CATEGORY_ORDER = ['Remote', 'Integration', 'Kubernetes', 'Cloud', 'Notify', 'Utility'];

export default class OpsPalette {
  static $inject = ['palette', 'create', 'elementFactory', 'bpmnFactory', 'config.opsExecutors'];

  constructor(palette, create, elementFactory, bpmnFactory, executors) {
    this._create = create;
    this._elementFactory = elementFactory;
    this._bpmnFactory = bpmnFactory;
    this._executors = executors || [];
    palette.registerProvider(500, this);
  }

  getPaletteEntries() {
    const entries = {};
    const sorted = [...this._executors].sort((a, b) =>
      rank(a.category) - rank(b.category) || a.displayName.localeCompare(b.displayName));
    entries['ops-separator'] = { group: 'ops', separator: true };
    for (const descriptor of sorted) {
      entries[`ops.${descriptor.type}`] = this._entry(descriptor.displayName, descriptor.type, () => this._serviceTask(descriptor));
    }
    entries['ops.approval'] = this._entry(t('Approval'), 'approval', () => this._approval());
    return entries;
  }

  _entry(title, type, shapeFactory) {
    const start = (event) => this._create.start(event, shapeFactory());
    return {
      group: 'ops',
      className: `ops-palette-entry ops-palette-${type.split('.')[0]}`,
      html: `<div class="entry ops-palette-entry" draggable="true"><span class="ops-palette-label">${escape(label(type))}</span></div>`,
      title: t('Create {name}', { name: title }),
      action: { dragstart: start, click: start }
    };
  }

  _serviceTask(descriptor) {
    const task = this._bpmnFactory.create('ops:Task', { type: descriptor.type });
    const extensionElements = this._bpmnFactory.create('bpmn:ExtensionElements', { values: [task] });
    task.$parent = extensionElements;
    const businessObject = this._bpmnFactory.create('bpmn:ServiceTask', { name: descriptor.displayName, extensionElements });
    extensionElements.$parent = businessObject;
    return this._elementFactory.createShape({ type: 'bpmn:ServiceTask', businessObject });
  }

  _approval() {
    const approval = this._bpmnFactory.create('ops:Approval', { policy: 'any' });
    const extensionElements = this._bpmnFactory.create('bpmn:ExtensionElements', { values: [approval] });
    approval.$parent = extensionElements;
    const businessObject = this._bpmnFactory.create('bpmn:UserTask', { name: t('Approval'), extensionElements });
    extensionElements.$parent = businessObject;
    return this._elementFactory.createShape({ type: 'bpmn:UserTask', businessObject });
  }
}

function rank(category) {
  const index = CATEGORY_ORDER.indexOf(category);
  return index < 0 ? CATEGORY_ORDER.length : index;
}

/** A short label for the palette tile: "ssh", "http", "aws:stop". */
function label(type) {
  const parts = type.split('.');
  if (parts[0] === 'cloud' && parts.length > 2) return `${parts[1]}:${parts[2].replace(/Instances$/, '')}`;
  if (parts[0] === 'cloud') return parts[1];
  return parts[0] === 'notify' ? 'chat' : parts[0];
}

function escape(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
