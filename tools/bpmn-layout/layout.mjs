// Adds a diagram (BPMN DI) to each named process file that has none, in place. Files that already have
// one are left alone: a diagram someone arranged by hand is never redrawn.
//
// The files in workflows/ are written by hand with sequence flows only; the layout follows each node's
// incoming/outgoing references, so those are filled in from the flows first.
import { readFile, writeFile } from 'node:fs/promises';
import { BpmnModdle } from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npm run layout -- <file.bpmn>...');
  process.exit(2);
}

function linkFlows(container) {
  for (const element of container.flowElements ?? []) {
    if (element.$type === 'bpmn:SequenceFlow') {
      const { sourceRef: source, targetRef: target } = element;
      if (source && !(source.outgoing ??= []).includes(element)) source.outgoing.push(element);
      if (target && !(target.incoming ??= []).includes(element)) target.incoming.push(element);
    }
    if (element.flowElements) linkFlows(element);
  }
}

// bpmn-auto-layout (1.3.0) draws a sub-process collapsed unless the file's diagram says it is expanded, and
// then puts the sub-process's content on the main plane, over the process. A file without a diagram says
// nothing, so each sub-process is marked expanded first: it is drawn large, with its content inside it.
function markSubProcessesExpanded(definitions, process) {
  const shapes = [];
  const visit = (container) => {
    for (const element of container.flowElements ?? []) {
      if (element.$type !== 'bpmn:SubProcess') continue;
      shapes.push(moddle.create('bpmndi:BPMNShape', {
        id: `${element.id}_di`,
        bpmnElement: element,
        isExpanded: true,
        bounds: moddle.create('dc:Bounds', { x: 0, y: 0, width: 100, height: 80 }),
      }));
      visit(element);
    }
  };
  visit(process);
  if (shapes.length === 0) return;
  const plane = moddle.create('bpmndi:BPMNPlane', { id: `BPMNPlane_${process.id}`, bpmnElement: process, planeElement: shapes });
  definitions.get('diagrams').push(moddle.create('bpmndi:BPMNDiagram', { id: `BPMNDiagram_${process.id}`, plane }));
}

const moddle = new BpmnModdle();
let failed = false;
for (const file of files) {
  const xml = await readFile(file, 'utf8');
  if (xml.includes('BPMNDiagram')) {
    console.log(`${file}: has a diagram, left as it is`);
    continue;
  }
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml);
    for (const warning of warnings) console.warn(`${file}: ${warning.message}`);
    for (const root of rootElement.rootElements) {
      if (root.$type !== 'bpmn:Process') continue;
      linkFlows(root);
      markSubProcessesExpanded(rootElement, root);
    }
    const { xml: linked } = await moddle.toXML(rootElement, { format: true });
    const laidOut = await layoutProcess(linked);
    await writeFile(file, laidOut.endsWith('\n') ? laidOut : laidOut + '\n');
    console.log(`${file}: diagram added`);
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
