// Who the user is and how their requests are authenticated: the only module that knows.
// People sign in with a username and password and get a session token; machines and admins may use
// an API key. Either is a bearer token kept in sessionStorage, so it goes with the tab.

const STORAGE_KEY = 'weops.apiKey';

let me = null;

/** The Authorization header value for API calls, or null when signed out. */
export function authorization() {
  const key = sessionStorage.getItem(STORAGE_KEY);
  return key ? `Bearer ${key}` : null;
}

/** Signs in with a username and password; resolves to the caller or throws the server's message. */
export async function signInWithPassword(username, password) {
  if (!username || !password) throw new Error('empty');
  const response = await fetch('/api/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: username.trim(), password })
  });
  if (!response.ok) {
    let detail = `${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  const { token } = await response.json();
  return signIn(token);
}

/** Signs in with an API key or a session token; resolves to the caller ({name, roles, permissions}) or throws the server's message. */
export async function signIn(apiKey) {
  const key = (apiKey || '').trim();
  if (!key) throw new Error('empty');
  const response = await fetch('/api/me', { headers: { Authorization: `Bearer ${key}` } });
  if (!response.ok) {
    let detail = `${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  sessionStorage.setItem(STORAGE_KEY, key);
  me = await response.json();
  return me;
}

/** The signed-in caller, asking the server once per page load; null when signed out or the key stopped working. */
export async function currentUser() {
  if (me) return me;
  const header = authorization();
  if (!header) return null;
  const response = await fetch('/api/me', { headers: { Authorization: header } });
  if (!response.ok) {
    signOut();
    return null;
  }
  me = await response.json();
  return me;
}

export function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
  me = null;
}

export function can(permission) {
  return !!me && me.permissions.includes(permission);
}
