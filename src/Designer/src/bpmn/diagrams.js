// The modeler and the read-only viewer, set up with our extension, palette, panel and language.

import Modeler from 'bpmn-js/lib/Modeler';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import opsDescriptor from './ops.json';
import OpsPalette from './OpsPalette.js';
import OpsPropertiesProvider from './OpsProperties.js';
import PanelTranslation from './PanelTranslation.js';
import { t, translateModule } from '../i18n.js';

const opsModule = {
  __init__: ['opsPalette', 'opsPropertiesProvider', 'panelTranslation'],
  opsPalette: ['type', OpsPalette],
  opsPropertiesProvider: ['type', OpsPropertiesProvider],
  panelTranslation: ['type', PanelTranslation]
};

export function createModeler(container, panel, executors, credentials) {
  return new Modeler({
    container,
    propertiesPanel: { parent: panel },
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, opsModule, translateModule],
    moddleExtensions: { ops: opsDescriptor },
    opsExecutors: executors,
    opsCredentials: credentials
  });
}

export function createViewer(container) {
  return new NavigatedViewer({
    container,
    additionalModules: [translateModule],
    moddleExtensions: { ops: opsDescriptor }
  });
}

let counter = 0;

/** A new process named in the "New process" dialog; without a key, an id that is a valid process key. */
export function newDiagramXml({ key, name } = {}) {
  const suffix = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const id = key || `process-${suffix}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:ops="urn:weops:bpmn:1.0" id="Definitions_${suffix}" targetNamespace="urn:weops:processes" exporter="WeOps Designer" exporterVersion="1.0.0">
  <bpmn:process id="${xmlAttribute(id)}" name="${xmlAttribute(name || t('New process'))}" isExecutable="true" />
  <bpmndi:BPMNDiagram id="BPMNDiagram_${suffix}">
    <bpmndi:BPMNPlane id="BPMNPlane_${suffix}" bpmnElement="${xmlAttribute(id)}" />
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

function xmlAttribute(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}
