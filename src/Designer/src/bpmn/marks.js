// What the server says about a diagram, drawn on it: validation problems as markers and badges,
// an instance's progress as colours (completed green, active blue, faulted red).

import { problemText } from './problemText.js';

const PROBLEM_MARKERS = ['ops-problem-error', 'ops-problem-warning'];
const STATE_MARKERS = ['ops-completed', 'ops-active', 'ops-faulted', 'ops-added', 'ops-changed'];

/** Shows problems on their elements; returns the problems whose element is not on the diagram. */
export function showProblems(viewer, problems) {
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  overlays.remove({ type: 'ops-problem' });
  registry.forEach((element) => PROBLEM_MARKERS.forEach((m) => canvas.removeMarker(element, m)));
  const byElement = new Map();
  const unplaced = [];
  for (const problem of problems) {
    const element = problem.elementId && registry.get(problem.elementId);
    if (!element) {
      unplaced.push(problem);
      continue;
    }
    if (!byElement.has(element)) byElement.set(element, []);
    byElement.get(element).push(problem);
  }
  for (const [element, list] of byElement) {
    const severity = list.some((p) => p.severity === 'error') ? 'error' : 'warning';
    canvas.addMarker(element, `ops-problem-${severity}`);
    // A flow gets the marker only (a badge would float mid-air); the process itself is the list's business.
    if (element.waypoints || !element.parent) continue;
    const badge = document.createElement('div');
    badge.className = `ops-problem-badge ${severity}`;
    badge.textContent = String(list.length);
    badge.title = list.map(problemText).join('\n');
    overlays.add(element, 'ops-problem', { position: { top: -10, right: 10 }, html: badge });
  }
  return unplaced;
}

export function selectElement(viewer, elementId) {
  const element = viewer.get('elementRegistry').get(elementId);
  if (!element) return;
  try {
    viewer.get('selection').select(element);
  } catch { /* a viewer without selection */ }
  viewer.get('canvas').scrollToElement(element);
}

/** Colours an instance's elements from its view (history steps, active elements, faults). */
export function showInstance(viewer, instance) {
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  registry.forEach((element) => STATE_MARKERS.forEach((m) => canvas.removeMarker(element, m)));
  const mark = (id, marker) => {
    const element = registry.get(id);
    if (!element) return;
    STATE_MARKERS.forEach((m) => canvas.removeMarker(element, m));
    canvas.addMarker(element, marker);
  };
  for (const step of instance.history || []) if (step.outcome === 'completed') mark(step.elementId, 'ops-completed');
  // Flows between two completed elements were taken.
  registry.filter((e) => e.waypoints).forEach((flow) => {
    const from = flow.source && canvas.hasMarker(flow.source, 'ops-completed');
    const to = flow.target && (canvas.hasMarker(flow.target, 'ops-completed') || (instance.active || []).includes(flow.target.id));
    if (from && to) canvas.addMarker(flow, 'ops-completed');
  });
  for (const id of instance.active || []) mark(id, 'ops-active');
  for (const fault of instance.faults || []) mark(fault.elementId, 'ops-faulted');
}

export function markDifferences(viewer, diff) {
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  for (const item of diff.added) if (registry.get(item.id)) canvas.addMarker(item.id, 'ops-added');
  for (const item of diff.changed) if (registry.get(item.id)) canvas.addMarker(item.id, 'ops-changed');
}
