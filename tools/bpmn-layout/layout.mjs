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
    for (const root of rootElement.rootElements) if (root.$type === 'bpmn:Process') linkFlows(root);
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
