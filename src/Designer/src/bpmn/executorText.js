// The texts of an executor descriptor from /api/activities in the user's language: each carries
// { en, 'zh-CN' } for its name, summary, description, input help and option labels. A text the
// server has no translation for falls back to English.

import { language } from '../i18n.js';

function pick(texts, english) {
  const local = language() === 'zh' ? texts?.['zh-CN'] : texts?.en;
  return local || texts?.en || english || '';
}

export const executorName = (descriptor) => pick(descriptor.names, descriptor.displayName) || descriptor.type;

export const executorSummary = (descriptor) => pick(descriptor.summaries, descriptor.description);

export const executorDescription = (descriptor) => pick(descriptor.descriptions, descriptor.description);

export const inputDescription = (input) => pick(input.descriptions, input.description);

/** The label of one value of an enumeration input; the value itself when the server names none. */
export function optionLabel(input, value) {
  const option = (input.optionLabels || []).find((o) => o.value === value);
  return option ? pick(option.label, value) : value;
}

// The palette's groups: each executor category belongs to one; a category no group names gets a
// group of its own, so a new executor needs no change in the designer.
export const PALETTE_GROUPS = [
  { id: 'ops', name: 'Ops', short: 'Ops', categories: ['Remote', 'Integration', 'Notify', 'Utility', 'General'] },
  { id: 'kubernetes', name: 'Kubernetes', short: 'K8s', categories: ['Kubernetes'] },
  { id: 'cloud', name: 'Cloud', short: 'Cloud', categories: ['Cloud'] },
  { id: 'tickets', name: 'Tickets', short: 'Tickets', categories: ['Tickets'] },
  { id: 'approvals', name: 'Approvals', short: 'Approval', categories: ['Approvals'] },
  { id: 'directory', name: 'Directory', short: 'Users', categories: ['Directory'] }
];

/** The palette groups with their executors, in palette order; empty groups other than Approvals are left out. */
export function groupExecutors(executors) {
  const groups = PALETTE_GROUPS.map((group) => ({ ...group, executors: [] }));
  for (const descriptor of executors) {
    let group = groups.find((g) => g.categories.includes(descriptor.category));
    if (!group) {
      group = { id: descriptor.category.toLowerCase(), name: descriptor.category, short: descriptor.category, categories: [descriptor.category], executors: [] };
      groups.push(group);
    }
    group.executors.push(descriptor);
  }
  for (const group of groups) group.executors.sort((a, b) => executorName(a).localeCompare(executorName(b)));
  // The approval is a user task, not an executor: its group is always there.
  return groups.filter((g) => g.executors.length || g.id === 'approvals');
}
