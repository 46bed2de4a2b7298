import { authorization, signOut } from './session.js';

/** A failed API call: the problem's detail (RFC 9457) as the message, and the problem itself. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function call(method, path, { json, xml } = {}) {
  const headers = {};
  const auth = authorization();
  if (auth) headers.Authorization = auth;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (xml !== undefined) {
    headers['Content-Type'] = 'application/xml';
    body = xml;
  }
  const response = await fetch(path, { method, headers, body });
  if (response.status === 401) {
    signOut();
    if (!location.hash.startsWith('#/signin')) location.hash = '#/signin';
  }
  const type = response.headers.get('Content-Type') || '';
  const payload = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    // 422 from save/publish carries problems the caller shows; everything else is an error.
    throw new ApiError(response.status, typeof payload === 'object' ? payload : { detail: payload || undefined });
  }
  return payload;
}

const q = (params) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? '?' + new URLSearchParams(entries).toString() : '';
};
const e = encodeURIComponent;

export const api = {
  activities: () => call('GET', '/api/activities'),
  credentials: () => call('GET', '/api/credentials'),
  definitions: () => call('GET', '/api/definitions'),
  draft: (key) => call('GET', `/api/definitions/${e(key)}/draft`),
  saveDraft: (xml) => call('POST', '/api/definitions', { xml }),
  publish: (key, note) => call('POST', `/api/definitions/${e(key)}/publish`, { json: { note: note || null } }),
  versions: (key) => call('GET', `/api/definitions/${e(key)}/versions`),
  version: (key, n) => call('GET', `/api/definitions/${e(key)}/versions/${e(n)}`),
  validate: (xml) => call('POST', '/api/validate', { xml }),
  instances: (filter) => call('GET', '/api/instances' + q(filter)),
  instance: (id) => call('GET', `/api/instances/${e(id)}`),
  startInstance: (definitionKey, variables, businessKey) =>
    call('POST', '/api/instances', { json: { definitionKey, variables: variables || null, businessKey: businessKey || null } }),
  retry: (id) => call('POST', `/api/instances/${e(id)}/retry`),
  cancel: (id, reason) => call('POST', `/api/instances/${e(id)}/cancel`, { json: { reason: reason || null } }),
  tasks: (filter) => call('GET', '/api/tasks' + q(filter)),
  task: (id) => call('GET', `/api/tasks/${e(id)}`),
  taskCount: (scope) => call('GET', '/api/tasks/count' + q({ scope })),
  claimTask: (id) => call('POST', `/api/tasks/${e(id)}/claim`),
  unclaimTask: (id) => call('POST', `/api/tasks/${e(id)}/unclaim`),
  delegateTask: (id, to) => call('POST', `/api/tasks/${e(id)}/delegate`, { json: { to } }),
  taskPeople: () => call('GET', '/api/tasks/people'),
  completeTask: (id, outcome, comment, variables) =>
    call('POST', `/api/tasks/${e(id)}/complete`, { json: { outcome, comment: comment || null, variables: variables || null } }),
  // An approval is decided seat by seat (the caller's own, or a group of theirs), not completed.
  decideTask: (id, decision, comment, variables) =>
    call('POST', `/api/tasks/${e(id)}/decision`, { json: { decision, comment: comment || null, channel: 'designer', variables: variables || null } }),
  // A task's or a process's form (form-js schema, null when none) and the data it opens with.
  taskForm: (id) => call('GET', `/api/tasks/${e(id)}/form`),
  startForm: (key) => call('GET', `/api/definitions/${e(key)}/start-form`),
  tickets: (filter) => call('GET', '/api/tickets' + q(filter)),
  ticket: (number) => call('GET', `/api/tickets/${e(number)}`),
  commentTicket: (number, text) => call('POST', `/api/tickets/${e(number)}/comments`, { json: { text } }),
  moveTicket: (number, to, note) => call('POST', `/api/tickets/${e(number)}/transition`, { json: { to, note: note || null } }),
  createTicket: (ticket) => call('POST', '/api/tickets', { json: ticket }),
  updateTicket: (number, changes) => call('PATCH', `/api/tickets/${e(number)}`, { json: changes }),
  linkTicket: (number, to, kind) => call('POST', `/api/tickets/${e(number)}/links`, { json: { to, kind: kind || null } }),
  unlinkTicket: (number, other) => call('DELETE', `/api/tickets/${e(number)}/links/${e(other)}`),
  retryTicketProcess: (number) => call('POST', `/api/tickets/${e(number)}/retry`),
  ticketDirectory: () => call('GET', '/api/tickets/directory'),
  ticketLinkRules: () => call('GET', '/api/tickets/link-rules'),
  alerts: () => call('GET', '/api/alerts'),
  breakers: () => call('GET', '/api/alerts/breakers')
};
