// Our executors beside the BPMN elements: one palette entry per group (Ops, Kubernetes, Cloud,
// Tickets, Approvals, Directory...), each opening a searchable menu of that group's executors from
// /api/activities. Choosing one creates a service task with <ops:task type="..."/> (a user task with
// <ops:approval/> for "Approval"), so a new executor needs no change here. The context pad's replace
// menu offers the same executors for a task.

import { is } from 'bpmn-js/lib/util/ModelUtil';
import { t } from '../i18n.js';
import { executorName, executorSummary, groupExecutors } from './executorText.js';
import { setExecutorType } from './opsModel.js';

const GROUP_ICONS = {
  ops: 'bpmn-icon-service-task',
  kubernetes: 'bpmn-icon-service-task',
  cloud: 'bpmn-icon-service-task',
  tickets: 'bpmn-icon-service-task',
  approvals: 'bpmn-icon-user-task',
  directory: 'bpmn-icon-service-task'
};

export default class OpsPalette {
  static $inject = ['palette', 'popupMenu', 'create', 'elementFactory', 'bpmnFactory', 'bpmnReplace', 'injector', 'config.opsExecutors'];

  constructor(palette, popupMenu, create, elementFactory, bpmnFactory, bpmnReplace, injector, executors) {
    this._popupMenu = popupMenu;
    this._create = create;
    this._elementFactory = elementFactory;
    this._bpmnFactory = bpmnFactory;
    this._bpmnReplace = bpmnReplace;
    this._injector = injector;
    this._executors = executors || [];
    this._groups = groupExecutors(this._executors);
    palette.registerProvider(500, this);
    for (const group of this._groups) {
      popupMenu.registerProvider(menuId(group), { getPopupMenuEntries: () => this._groupEntries(group) });
    }
    popupMenu.registerProvider('bpmn-replace', 400, this);
  }

  getPaletteEntries() {
    const entries = { 'ops-separator': { group: 'ops', separator: true } };
    for (const group of this._groups) {
      const names = group.id === 'approvals' ? [t('Approval')] : group.executors.map(executorName);
      const open = (event) => this._openGroup(event, group);
      entries[`ops-group.${group.id}`] = {
        group: 'ops',
        className: `ops-palette-group ops-palette-${group.id}`,
        html: `<div class="entry ops-palette-group" role="button" aria-haspopup="listbox"><span class="${GROUP_ICONS[group.id] || 'bpmn-icon-service-task'}" aria-hidden="true"></span><span class="ops-palette-label">${escape(t(group.short))}</span></div>`,
        title: groupTitle(group, names),
        action: { click: open, dragstart: open }
      };
    }
    return entries;
  }

  _openGroup(event, group) {
    const entry = event.delegateTarget || event.target;
    const box = (entry.closest?.('.entry') || entry).getBoundingClientRect();
    this._popupMenu.open({ id: `ops-group-${group.id}` }, menuId(group), { x: box.right + 6, y: box.top }, {
      title: t(group.name),
      search: true,
      width: 340
    });
  }

  /** The popup menu of one group: icon, name and summary of each of its executors, in the user's language. */
  _groupEntries(group) {
    const entries = {};
    // The menu goes as the shape starts to follow the mouse, so the canvas under it is free to drop on.
    const create = (factory) => (event) => {
      this._popupMenu.close();
      this._create.start(event, factory());
    };
    if (group.id === 'approvals') {
      entries['ops.approval'] = {
        label: t('Approval'),
        description: t('Asks approvers to decide; each gets a link by email.'),
        title: t('Asks approvers to decide; each gets a link by email.'),
        className: 'bpmn-icon-user-task',
        search: ['approval', 'approve', t('Approval')],
        action: { click: create(() => this._approval()), dragstart: create(() => this._approval()) }
      };
    }
    for (const descriptor of group.executors) {
      const factory = () => this._serviceTask(descriptor);
      entries[`ops.${descriptor.type}`] = {
        label: executorName(descriptor),
        description: executorSummary(descriptor),
        title: `${executorSummary(descriptor)} (${descriptor.type})`,
        className: GROUP_ICONS[group.id] || 'bpmn-icon-service-task',
        search: [descriptor.type, descriptor.displayName, descriptor.names?.en, descriptor.names?.['zh-CN']].filter(Boolean),
        action: { click: create(factory), dragstart: create(factory) }
      };
    }
    return entries;
  }

  /** Adds the executors to the replace menu of a task: the task becomes a service task running that executor. */
  getPopupMenuEntries(target) {
    return (entries) => {
      if (!isPlainTask(target)) return entries;
      for (const group of this._groups) {
        for (const descriptor of group.executors) {
          entries[`replace-with-ops.${descriptor.type}`] = {
            label: executorName(descriptor),
            description: executorSummary(descriptor),
            title: executorSummary(descriptor),
            className: GROUP_ICONS[group.id] || 'bpmn-icon-service-task',
            group: { id: `ops-${group.id}`, name: t(group.name) },
            search: [descriptor.type, descriptor.displayName],
            action: () => this._replaceWith(target, descriptor)
          };
        }
      }
      return entries;
    };
  }

  _replaceWith(target, descriptor) {
    const replaced = is(target, 'bpmn:ServiceTask') ? target : this._bpmnReplace.replaceElement(target, { type: 'bpmn:ServiceTask' });
    setExecutorType(this._injector, replaced, descriptor.type, descriptor);
    if (!replaced.businessObject.name) this._injector.get('modeling').updateLabel(replaced, executorName(descriptor));
    return replaced;
  }

  _serviceTask(descriptor) {
    const task = this._bpmnFactory.create('ops:Task', { type: descriptor.type });
    const extensionElements = this._bpmnFactory.create('bpmn:ExtensionElements', { values: [task] });
    task.$parent = extensionElements;
    const businessObject = this._bpmnFactory.create('bpmn:ServiceTask', { name: executorName(descriptor), extensionElements });
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

const menuId = (group) => `ops-palette-${group.id}`;

/** The tile's tooltip and accessible name: it starts with the tile's visible label ("K8s"), so that a person who
 * says or types what they see reaches the tile, then names the group and what it holds. */
function groupTitle(group, names) {
  const short = t(group.short);
  const name = t(group.name);
  return `${name.toLowerCase().includes(short.toLowerCase()) ? name : `${short} (${name})`}: ${names.join(', ')}`;
}

/** A task that can run an executor: not a sub-process, call activity or event. */
function isPlainTask(target) {
  return target && is(target, 'bpmn:Task') && !target.labelTarget;
}

function escape(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
