// Reading and writing the ops: extension elements of a diagram element through bpmn-js's command
// stack, so every edit is undoable and lands in the exported XML.

import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

export function extensionValues(element) {
  return getBusinessObject(element).extensionElements?.values || [];
}

/** The first ops element of a type ('ops:Task'), or undefined. */
export function opsElement(element, type) {
  return extensionValues(element).find((value) => is(value, type));
}

export function opsElements(element, type) {
  return extensionValues(element).filter((value) => is(value, type));
}

export function opsInput(element, name) {
  return opsElements(element, 'ops:Input').find((input) => input.name === name);
}

/** Runs the edits as one undoable step. */
function batch(injector, edits) {
  const commandStack = injector.get('commandStack');
  // Each edit is a command of its own; bpmn-js groups them for undo when run inside one command.
  commandStack.execute('ops.batch', { edits });
}

/** A command handler that runs other commands: see batch(). */
export class BatchHandler {
  static $inject = ['commandStack'];
  constructor(commandStack) {
    this._commandStack = commandStack;
  }
  preExecute(context) {
    context.edits.forEach((edit) => edit(this._commandStack));
  }
  execute() {}
  revert() {}
}

function ensureExtensionElements(injector, element, commandStack) {
  const bo = getBusinessObject(element);
  if (bo.extensionElements) return bo.extensionElements;
  const extensionElements = injector.get('bpmnFactory').create('bpmn:ExtensionElements', { values: [] });
  commandStack.execute('element.updateModdleProperties', { element, moddleElement: bo, properties: { extensionElements } });
  return extensionElements;
}

function setValues(element, extensionElements, values, commandStack) {
  commandStack.execute('element.updateModdleProperties', { element, moddleElement: extensionElements, properties: { values } });
}

/**
 * Sets one attribute of the element's ops element of `type`, creating it when missing and removing
 * it when `removeWhenEmpty` and no attribute is left.
 */
export function setOpsAttribute(injector, element, type, attribute, value, removeWhenEmpty = true) {
  const text = value === undefined || value === null ? '' : String(value);
  batch(injector, [(commandStack) => {
    const existing = opsElement(element, type);
    if (existing) {
      // The element's body (an embedded form) is content too: clearing the last attribute must not drop it.
      const names = existing.$descriptor.properties.filter((p) => p.isAttr || p.isBody).map((p) => p.ns?.localName || p.name);
      const others = names.filter((n) => n !== attribute && existing.get(n));
      if (!text && removeWhenEmpty && others.length === 0 && Object.keys(existing.$attrs || {}).length === 0) {
        const extensionElements = getBusinessObject(element).extensionElements;
        setValues(element, extensionElements, extensionElements.values.filter((v) => v !== existing), commandStack);
        return;
      }
      commandStack.execute('element.updateModdleProperties', {
        element, moddleElement: existing, properties: { [attribute]: text || undefined }
      });
      return;
    }
    if (!text) return;
    const extensionElements = ensureExtensionElements(injector, element, commandStack);
    const created = injector.get('bpmnFactory').create(type, { [attribute]: text });
    created.$parent = extensionElements;
    setValues(element, extensionElements, [...extensionElements.values, created], commandStack);
  }]);
}

/** Sets the ops:input named `name`; an empty value removes it. */
export function setOpsInput(injector, element, name, value) {
  setMapping(injector, element, 'ops:Input', name, value);
}

function setMapping(injector, element, type, name, value) {
  const text = value === undefined || value === null ? '' : String(value);
  batch(injector, [(commandStack) => {
    const existing = opsElements(element, type).find((m) => m.name === name);
    if (existing && text) {
      commandStack.execute('element.updateModdleProperties', { element, moddleElement: existing, properties: { value: text } });
    } else if (existing) {
      const extensionElements = getBusinessObject(element).extensionElements;
      setValues(element, extensionElements, extensionElements.values.filter((v) => v !== existing), commandStack);
    } else if (text) {
      const extensionElements = ensureExtensionElements(injector, element, commandStack);
      const created = injector.get('bpmnFactory').create(type, { name, value: text });
      created.$parent = extensionElements;
      setValues(element, extensionElements, [...extensionElements.values, created], commandStack);
    }
  }]);
}

/** Outputs as text, one "name = value" per line. */
export function outputsText(element) {
  return opsElements(element, 'ops:Output').map((o) => `${o.name || ''} = ${o.value || ''}`).join('\n');
}

/** Replaces every ops:output with the lines of `text` ("name = value"; lines without a name are dropped). */
export function setOutputsText(injector, element, text) {
  const parsed = (text || '').split('\n').map((line) => {
    const at = line.indexOf('=');
    return at < 0 ? { name: line.trim(), value: '' } : { name: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
  }).filter((o) => o.name);
  batch(injector, [(commandStack) => {
    const extensionElements = ensureExtensionElements(injector, element, commandStack);
    const factory = injector.get('bpmnFactory');
    const kept = extensionElements.values.filter((v) => !is(v, 'ops:Output'));
    const outputs = parsed.map((o) => {
      const created = factory.create('ops:Output', { name: o.name, value: o.value });
      created.$parent = extensionElements;
      return created;
    });
    setValues(element, extensionElements, [...kept, ...outputs], commandStack);
  }]);
}

/** Changes the executor type; inputs the new executor does not know are dropped, known ones kept. */
export function setExecutorType(injector, element, type, descriptor) {
  batch(injector, [(commandStack) => {
    const extensionElements = ensureExtensionElements(injector, element, commandStack);
    const known = new Set((descriptor?.inputs || []).map((i) => i.name));
    const task = opsElement(element, 'ops:Task');
    if (task) {
      commandStack.execute('element.updateModdleProperties', { element, moddleElement: task, properties: { type } });
      const values = extensionElements.values.filter((v) => !is(v, 'ops:Input') || known.has(v.name));
      setValues(element, extensionElements, values, commandStack);
    } else {
      const created = injector.get('bpmnFactory').create('ops:Task', { type });
      created.$parent = extensionElements;
      setValues(element, extensionElements, [created, ...extensionElements.values], commandStack);
    }
  }]);
}

/** The text of the element's embedded form (the body of ops:form), or '' when it has none. */
export function opsFormText(element) {
  return opsElement(element, 'ops:Form')?.body?.trim() || '';
}

/**
 * Embeds a form-js schema as the element's ops:form, as one undoable step. A null schema removes the embedded form;
 * an ops:form that still names a form key keeps the key.
 */
export function setOpsForm(injector, element, schema) {
  const text = schema ? JSON.stringify(schema) : '';
  batch(injector, [(commandStack) => {
    const existing = opsElement(element, 'ops:Form');
    if (existing && (text || existing.key)) {
      commandStack.execute('element.updateModdleProperties', { element, moddleElement: existing, properties: { body: text || undefined } });
    } else if (existing) {
      const extensionElements = getBusinessObject(element).extensionElements;
      setValues(element, extensionElements, extensionElements.values.filter((v) => v !== existing), commandStack);
    } else if (text) {
      const extensionElements = ensureExtensionElements(injector, element, commandStack);
      const created = injector.get('bpmnFactory').create('ops:Form', { body: text });
      created.$parent = extensionElements;
      setValues(element, extensionElements, [...extensionElements.values, created], commandStack);
    }
  }]);
}
