// The admin routes of the REST API.

import { call } from '../../api.js';

const e = encodeURIComponent;
const q = (params) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? '?' + new URLSearchParams(entries).toString() : '';
};

export const admin = {
  users: () => call('GET', '/api/users'),
  createUser: (user) => call('POST', '/api/users', { json: user }),
  updateUser: (name, user) => call('PUT', `/api/users/${e(name)}`, { json: user }),
  setPassword: (name, password) => call('PUT', `/api/users/${e(name)}/password`, { json: { password } }),
  disableUser: (name) => call('POST', `/api/users/${e(name)}/disable`),
  enableUser: (name) => call('POST', `/api/users/${e(name)}/enable`),
  deleteUser: (name) => call('DELETE', `/api/users/${e(name)}`),
  groups: () => call('GET', '/api/groups'),
  addMember: (group, user) => call('PUT', `/api/groups/${e(group)}/members/${e(user)}`),
  removeMember: (group, user) => call('DELETE', `/api/groups/${e(group)}/members/${e(user)}`),
  keys: () => call('GET', '/api/keys'),
  createKey: (key) => call('POST', '/api/keys', { json: key }),
  revokeKey: (id) => call('DELETE', `/api/keys/${e(id)}`),
  credentials: () => call('GET', '/api/credentials'),
  credentialKinds: () => call('GET', '/api/credentials/kinds'),
  saveCredential: (name, body) => call('PUT', `/api/credentials/${e(name)}`, { json: body }),
  deleteCredential: (name) => call('DELETE', `/api/credentials/${e(name)}`),
  hosts: (tags) => call('GET', '/api/hosts' + q({ tags })),
  saveHost: (name, host) => call('PUT', `/api/hosts/${e(name)}`, { json: host }),
  deleteHost: (name) => call('DELETE', `/api/hosts/${e(name)}`),
  previewImport: (body) => call('POST', '/api/hosts/import/preview', { json: body }),
  importHosts: (body) => call('POST', '/api/hosts/import', { json: body }),
  mail: () => call('GET', '/api/settings/mail'),
  saveMail: (settings) => call('PUT', '/api/settings/mail', { json: settings }),
  testMail: (to) => call('POST', '/api/settings/mail/test', { json: { to } }),
  audit: (filter) => call('GET', '/api/audit' + q(filter))
};
