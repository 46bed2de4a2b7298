// A local copy of the drawing while it is edited, so that a crash, a reload or a closed tab does not
// lose it: one entry per process key in localStorage, written shortly after each change and removed
// once the draft is saved on the server.

const PREFIX = 'weops.designer.autosave.';
const DELAY_MS = 800;

export class Autosave {
  constructor(key) {
    this.key = key;
    this._timer = null;
    this._pending = null;
  }

  /** The copy kept for this key: { xml, savedAt }, or null. */
  read() {
    if (!this.key) return null;
    try {
      const entry = JSON.parse(localStorage.getItem(PREFIX + this.key) || 'null');
      return entry && typeof entry.xml === 'string' ? entry : null;
    } catch {
      return null;
    }
  }

  /** Writes the drawing after a short pause, so a burst of edits is one write. */
  schedule(produceXml) {
    this._pending = produceXml;
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this.flush(), DELAY_MS);
  }

  async flush() {
    clearTimeout(this._timer);
    const produce = this._pending;
    this._pending = null;
    if (!produce || !this.key) return;
    const xml = await produce();
    try {
      localStorage.setItem(PREFIX + this.key, JSON.stringify({ xml, savedAt: new Date().toISOString() }));
    } catch {
      // A full storage keeps the last copy that fitted; the drawing itself is still on the page.
    }
  }

  clear() {
    clearTimeout(this._timer);
    this._pending = null;
    if (this.key) localStorage.removeItem(PREFIX + this.key);
  }

  /** Follows the drawing to another key (a new process named in the dialog); a copy under the old key stays. */
  useKey(key) {
    clearTimeout(this._timer);
    this._pending = null;
    this.key = key;
  }

  /** The draft is on the server now (under `key`, which the file may have changed): no copy is needed. */
  saved(key) {
    this.clear();
    this.key = key;
    this.clear();
  }
}
