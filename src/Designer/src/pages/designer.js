// Draw, validate, save, publish; never lose a drawing (a guard before leaving, a local copy while
// editing); versions read-only; compare two versions; import and export; start an instance.

import { api, ApiError } from '../api.js';
import { clear, download, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { compareVersions } from '../bpmn/compare.js';
import { createModeler, createViewer, newDiagramXml } from '../bpmn/diagrams.js';
import { markDifferences, selectElement, showProblems } from '../bpmn/marks.js';
import { Autosave } from '../bpmn/autosave.js';
import { clearLeaveGuard, mayLeave, setLeaveGuard } from '../navigation.js';
import { askNewProcess } from './newProcess.js';
import { problemText } from '../bpmn/problemText.js';

const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export async function designerPage(main, [key, version, compareFrom, compareTo]) {
  if (key && compareFrom && compareTo) return comparePage(main, key, Number(compareFrom), Number(compareTo));
  if (key && version) return versionPage(main, key, Number(version));
  return editPage(main, key);
}

async function editPage(main, key) {
  const status = h('div', { class: 'status-line', id: 'status' });
  const restoreBar = h('div', { id: 'restore' });
  const canvas = h('div', { class: 'canvas', id: 'canvas' });
  const panel = h('div', { class: 'properties', id: 'properties' });
  const problemList = h('ul', { class: 'problems', id: 'problems' });
  const versionsBox = h('div', { class: 'versions', id: 'versions' });
  const fileInput = h('input', { type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', id: 'import-file', hidden: true });
  const note = h('input', { id: 'publish-note', placeholder: t('Publish note'), maxlength: 2000, size: 24 });
  const variables = h('textarea', { id: 'start-variables', rows: 2, cols: 30, placeholder: t('Variables (JSON)'), 'aria-label': t('Variables (JSON)') });
  const writable = can('definitions:write');

  const [executors, credentials] = await Promise.all([
    api.activities().catch(() => []),
    api.credentials().catch(() => [])
  ]);
  const modeler = createModeler(canvas, panel, executors, credentials);
  let currentKey = key;
  let dirty = false;
  let validateTimer = null;
  const autosave = new Autosave(key);

  const xml = async () => (await modeler.saveXML({ format: true })).xml;
  const processName = () => modeler.get('canvas').getRootElement()?.businessObject?.name || currentKey || t('This process');

  // Leaving with unsaved changes asks first; leaving on purpose drops the local copy too.
  const leaveGuard = () => {
    if (!dirty) return true;
    if (!window.confirm(t('{name} has unsaved changes. Leave and discard them?', { name: processName() }))) return false;
    autosave.clear();
    dirty = false;
    return true;
  };
  setLeaveGuard(leaveGuard);

  async function open(text) {
    try {
      const { warnings } = await modeler.importXML(text);
      modeler.get('canvas').zoom('fit-viewport', 'auto');
      dirty = false;
      if (warnings.length) notice(status, 'info', warnings.map((w) => w.message).join('; '));
      await validate();
      return true;
    } catch (e) {
      await explainUnreadable(text, e);
      return false;
    }
  }

  // bpmn-js says why it cannot draw a file in English only; the server names what stopped its reader (a code
  // with its line and column), which the problem list says in the reader's language.
  async function explainUnreadable(text, error) {
    let fileProblems = [];
    try {
      fileProblems = (await api.validate(text)).problems.filter((p) => p.code?.startsWith('file.'));
    } catch (e) {
      fileProblems = e instanceof ApiError ? (e.problem?.problems || []) : [];
    }
    if (fileProblems.length === 0) {
      notice(status, 'error', t('Could not read the file: {message}', { message: error.message }));
      return;
    }
    listProblems(fileProblems);
    notice(status, 'error', t('Could not read the file: {message}', { message: problemText(fileProblems[0]) }));
  }

  // The server lists the first problems of a file (1,000 by default) and counts them all.
  function listProblems(problems, total = problems.length) {
    const unplaced = showProblems(modeler, problems);
    const more = total > problems.length
      ? [h('li', { class: 'none' }, t('{shown} of {total} problems shown.', { shown: problems.length, total }))]
      : [];
    clear(problemList, problems.length === 0
      ? h('li', { class: 'none' }, t('No problems.'))
      : [...problems.map((p) => h('li', {
        class: `problem ${p.severity}`,
        dataset: { elementId: p.elementId || '' },
        onclick: () => p.elementId && selectElement(modeler, p.elementId)
      }, h('span', { class: 'severity' }, t(p.severity)), ' ',
      p.elementId ? h('code', {}, p.elementId) : null, p.line ? ` (${p.line})` : '', ' ', problemText(p),
      unplaced.includes(p) && p.elementId ? ' ⚠' : '')), ...more]);
  }

  async function validate() {
    try {
      const result = await api.validate(await xml());
      listProblems(result.problems, result.totalProblems);
      return result;
    } catch (e) {
      notice(status, 'error', e.message);
      return null;
    }
  }

  async function save() {
    if (!writable) return;
    try {
      const result = await api.saveDraft(await xml());
      listProblems(result.problems, result.totalProblems);
      currentKey = result.key;
      dirty = false;
      autosave.saved(result.key);
      history.replaceState(null, '', `#/designer/${encodeURIComponent(result.key)}`);
      notice(status, 'ok', t('Saved draft of {key}.', { key: result.key }));
      await loadVersions();
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.problem?.problems) listProblems(e.problem.problems, e.problem.totalProblems);
      notice(status, 'error', e.message);
      return false;
    }
  }

  async function publish() {
    if (!(await save())) return;
    try {
      const result = await api.publish(currentKey, note.value);
      note.value = '';
      notice(status, 'ok', t('Published {key} version {version}.', { key: result.key, version: result.version }));
      await loadVersions();
    } catch (e) {
      if (e instanceof ApiError && e.problem?.problems) {
        listProblems(e.problem.problems, e.problem.totalProblems);
        notice(status, 'error', t('The draft has errors and cannot be published.'));
      } else {
        notice(status, 'error', e.message);
      }
    }
  }

  async function start() {
    if (!currentKey) return;
    let parsed = null;
    if (variables.value.trim()) {
      try {
        parsed = JSON.parse(variables.value);
      } catch (e) {
        notice(status, 'error', `${t('Variables (JSON)')}: ${e.message}`);
        return;
      }
    }
    try {
      const instance = await api.startInstance(currentKey, parsed);
      notice(status, 'ok', t('Started instance {id}.', { id: instance.id }));
      location.hash = `#/instances/${instance.id}`;
    } catch (e) {
      notice(status, 'error', e.message);
    }
  }

  async function loadVersions() {
    if (!currentKey) return clear(versionsBox);
    let versions = [];
    try {
      versions = await api.versions(currentKey);
    } catch {
      return clear(versionsBox);
    }
    const from = h('select', { id: 'compare-from' }, versions.map((v) => h('option', { value: v.version }, `v${v.version}`)));
    const to = h('select', { id: 'compare-to' }, versions.map((v, i) => h('option', { value: v.version, selected: i === versions.length - 1 }, `v${v.version}`)));
    clear(versionsBox,
      h('h3', {}, t('Versions')),
      versions.length === 0 ? h('p', {}, '—') : h('ul', { class: 'version-list' }, versions.map((v) => h('li', {},
        h('a', { href: `#/designer/${encodeURIComponent(currentKey)}/v/${v.version}`, class: 'version-link' }, `v${v.version}`),
        ` ${formatTime(v.publishedAt)}${v.publishedBy ? ` · ${v.publishedBy}` : ''}${v.note ? ` — ${v.note}` : ''}`))),
      versions.length > 1 ? h('div', { class: 'compare' }, t('Compare version'), ' ', from, ` ${t('with')} `, to, ' ',
        h('button', { id: 'compare', onclick: () => { location.hash = `#/designer/${encodeURIComponent(currentKey)}/compare/${from.value}/${to.value}`; } }, t('Compare'))) : null);
  }

  async function importFile(file) {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      const tooLarge = { code: 'file.too-large', args: { max: '5' }, message: 'The file is larger than 5 MB, so it was not read. Split the process into called processes.' };
      notice(status, 'error', t('Could not read the file: {message}', { message: problemText(tooLarge) }));
      return;
    }
    // A file that could not be drawn leaves the drawing as it was: nothing to keep.
    if (!(await open(await file.text()))) return;
    dirty = true;
    autosave.schedule(xml);
  }

  async function newProcess({ cancelTo } = {}) {
    if (!mayLeave()) return;
    const answer = await askNewProcess();
    if (!answer) {
      if (cancelTo) location.hash = cancelTo;
      return;
    }
    clear(restoreBar);
    autosave.useKey(answer.key);
    currentKey = answer.key;
    history.replaceState(null, '', `#/designer/${encodeURIComponent(answer.key)}`);
    await open(newDiagramXml(answer));
    clear(versionsBox);
    notice(status, 'info', t('New process {name} ({key}): draw it, then save the draft.', answer));
  }

  /** Offers the local copy of this process when it differs from what was opened (after a crash or a reload). */
  async function offerRestore() {
    const copy = autosave.read();
    if (!copy) return;
    if (copy.xml === await xml().catch(() => null)) {
      autosave.clear();
      return;
    }
    clear(restoreBar, h('div', { class: 'notice info restore', role: 'status' },
      t('An unsaved drawing of {key} from {time} was kept in this browser.', { key: autosave.key, time: formatTime(copy.savedAt) }), ' ',
      h('button', { id: 'restore-draft', class: 'primary', onclick: async () => {
        clear(restoreBar);
        await open(copy.xml);
        dirty = true;
        autosave.schedule(xml);
        notice(status, 'ok', t('Restored the unsaved drawing. Save the draft to keep it.'));
      } }, t('Restore it')), ' ',
      h('button', { id: 'discard-draft', onclick: () => { autosave.clear(); clear(restoreBar); } }, t('Discard it'))));
  }

  fileInput.addEventListener('change', () => importFile(fileInput.files[0]).finally(() => { fileInput.value = ''; }));

  const onKey = (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      save();
    }
  };
  document.addEventListener('keydown', onKey);
  // Closing the tab or reloading with unsaved changes: the browser asks, and the local copy is written now.
  const beforeUnload = (event) => {
    if (!dirty) return;
    autosave.flush();
    event.preventDefault();
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', beforeUnload);

  modeler.on('commandStack.changed', (event) => {
    if (event.trigger === 'clear') return;
    dirty = true;
    autosave.schedule(xml);
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validate, 1200);
  });

  main.classList.add('designer');
  main.append(
    h('div', { class: 'toolbar' },
      writable ? h('button', { id: 'new', onclick: () => newProcess() }, t('New process')) : null,
      h('button', { id: 'import', onclick: () => fileInput.click() }, t('Import')), fileInput,
      h('button', { id: 'export-bpmn', onclick: async () => download(`${currentKey || 'process'}.bpmn`, await xml(), 'application/xml') }, t('Export BPMN')),
      h('button', { id: 'export-svg', onclick: async () => download(`${currentKey || 'process'}.svg`, (await modeler.saveSVG()).svg, 'image/svg+xml') }, t('Export SVG')),
      h('button', { id: 'validate', onclick: validate }, t('Validate')),
      writable ? h('button', { id: 'save', class: 'primary', title: 'Ctrl+S', onclick: save }, t('Save draft')) : null,
      writable ? h('span', { class: 'group' }, note, h('button', { id: 'publish', onclick: publish }, t('Publish'))) : null,
      can('instances:operate') ? h('span', { class: 'group' }, variables, h('button', { id: 'start', onclick: start }, t('Start instance'))) : null),
    status,
    restoreBar,
    h('div', { class: 'workspace' }, canvas, panel),
    h('div', { class: 'below' }, h('div', {}, h('h3', {}, t('Problems')), problemList), versionsBox));

  // For the end-to-end tests and the performance measurement: the modeler and a round trip.
  window.weopsDesigner = {
    modeler,
    open,
    exportXml: xml,
    roundTrip: async (text) => {
      await modeler.importXML(text);
      return xml();
    }
  };

  if (key) {
    try {
      await open(await api.draft(key));
      await loadVersions();
    } catch (e) {
      // A new process not saved yet has no draft on the server; its local copy may still be here. Any
      // other failure leaves the canvas empty, so that a save cannot overwrite the draft with nothing.
      if (!(e instanceof ApiError && e.status === 404)) notice(status, 'error', e.message);
      else {
        await open(newDiagramXml({ key }));
        if (!autosave.read()) notice(status, 'info', t('{key} is not saved yet.', { key }));
      }
    }
    await offerRestore();
  } else {
    await open(newDiagramXml());
    // After this page is shown, so that leaving it from the dialog is an ordinary navigation. Who may
    // not save sees an empty drawing to look around in.
    if (writable) setTimeout(() => newProcess({ cancelTo: '#/processes' }));
  }

  return () => {
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('beforeunload', beforeUnload);
    clearLeaveGuard(leaveGuard);
    clearTimeout(validateTimer);
    delete window.weopsDesigner;
    // The local copy is written before the modeler goes (a language switch redraws the page).
    const pending = dirty ? autosave.flush() : Promise.resolve();
    pending.finally(() => modeler.destroy());
  };
}

async function versionPage(main, key, version) {
  const status = h('div', { class: 'status-line' });
  const canvas = h('div', { class: 'canvas viewer', id: 'canvas' });
  main.append(h('div', { class: 'toolbar' },
    h('h2', { id: 'read-only' }, `${key} · ${t('Version {n} (read-only)', { n: version })}`),
    h('a', { class: 'button', href: `#/designer/${encodeURIComponent(key)}` }, t('Back to the draft'))), status, canvas);
  const viewer = createViewer(canvas);
  try {
    await viewer.importXML(await api.version(key, version));
    viewer.get('canvas').zoom('fit-viewport', 'auto');
  } catch (e) {
    notice(status, 'error', e.message);
  }
  return () => viewer.destroy();
}

async function comparePage(main, key, from, to) {
  const status = h('div', { class: 'status-line' });
  const canvas = h('div', { class: 'canvas viewer', id: 'canvas' });
  const table = h('div', { id: 'differences' });
  main.append(h('div', { class: 'toolbar' },
    h('h2', {}, `${key} · v${from} → v${to}`),
    h('a', { class: 'button', href: `#/designer/${encodeURIComponent(key)}` }, t('Back to the draft'))), status, canvas, table);
  const viewer = createViewer(canvas);
  try {
    const [before, after] = await Promise.all([api.version(key, from), api.version(key, to)]);
    const diff = await compareVersions(before, after);
    await viewer.importXML(after);
    viewer.get('canvas').zoom('fit-viewport', 'auto');
    markDifferences(viewer, diff);
    const rows = [
      ...diff.added.map((e) => [t('Added'), e]),
      ...diff.removed.map((e) => [t('Removed'), e]),
      ...diff.changed.map((e) => [t('Changed'), e])
    ];
    clear(table, rows.length === 0 ? h('p', {}, t('No differences.')) : h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, [t('Status'), t('Element'), t('Type'), t('Name')].map((c) => h('th', {}, c)))),
      h('tbody', {}, rows.map(([kind, e]) => h('tr', { class: 'diff' },
        h('td', {}, kind), h('td', {}, h('code', {}, e.id)), h('td', {}, e.type), h('td', {}, e.name))))));
  } catch (e) {
    notice(status, 'error', e.message);
  }
  return () => viewer.destroy();
}
