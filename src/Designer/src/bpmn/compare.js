// Compares two versions of a process in the browser: which elements were added, removed or changed.
// An element is compared by what the engine reads (type, name, connections, definitions, ops:
// extensions, conditions, scripts), not by layout: moving a shape is not a change.

import BpmnModdle from 'bpmn-moddle';
import opsDescriptor from './ops.json';

const IGNORED = new Set(['id', 'di', 'incoming', 'outgoing', 'flowElements', 'artifacts', 'laneSets', 'lanes', 'documentation']);

export async function compareVersions(oldXml, newXml) {
  const [before, after] = await Promise.all([elements(oldXml), elements(newXml)]);
  const added = [];
  const removed = [];
  const changed = [];
  for (const [id, element] of after) {
    const previous = before.get(id);
    if (!previous) added.push(element);
    else if (previous.signature !== element.signature) changed.push({ ...element, before: previous });
  }
  for (const [id, element] of before) if (!after.has(id)) removed.push(element);
  return { added, removed, changed };
}

async function elements(xml) {
  const moddle = new BpmnModdle({ ops: opsDescriptor });
  const { rootElement } = await moddle.fromXML(xml);
  const found = new Map();
  const visit = (container) => {
    for (const element of container.flowElements || []) {
      found.set(element.id, { id: element.id, type: element.$type.replace('bpmn:', ''), name: element.name || '', signature: signature(element) });
      if (element.flowElements) visit(element);
    }
  };
  for (const root of rootElement.rootElements || []) if (root.$type === 'bpmn:Process') visit(root);
  return found;
}

function signature(element) {
  return JSON.stringify(plain(element, null, 0));
}

/** The element's properties as plain data: what it owns expanded, what it refers to as '#id'. */
function plain(value, owner, depth) {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => plain(v, owner, depth));
  if (owner && value.$type && value.$parent !== owner) return value.id ? `#${value.id}` : value.$type;
  if (depth > 8) return value.$type;
  const out = { $type: value.$type };
  for (const key of Object.keys(value).sort()) {
    if (key.startsWith('$') && key !== '$body' && key !== '$attrs') continue;
    if (IGNORED.has(key) || (owner && key === 'id')) continue;
    out[key] = key === '$attrs' ? { ...value[key] } : plain(value[key], value, depth + 1);
  }
  return out;
}
