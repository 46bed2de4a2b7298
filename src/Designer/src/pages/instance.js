// One instance drawn on the diagram of the version it runs on; refreshed while it is not finished.

import { api } from '../api.js';
import { clear, formatTime, h, notice } from '../dom.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { createViewer } from '../bpmn/diagrams.js';
import { showInstance } from '../bpmn/marks.js';

const FINISHED = ['completed', 'cancelled', 'failed'];

/** 'exclusiveGateway' as people write it: 'Exclusive gateway'. */
const typeName = (type) => type.charAt(0).toUpperCase() + type.slice(1).replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);

export async function instancePage(main, [id]) {
  const status = h('div', { class: 'status-line' });
  const title = h('h1', {});
  const actions = h('span', { class: 'group' });
  const canvas = h('div', { class: 'canvas viewer', id: 'canvas' });
  const details = h('div', { class: 'instance-details' });
  main.append(h('div', { class: 'toolbar' }, title, actions,
    h('button', { id: 'refresh', onclick: () => refresh() }, t('Refresh'))), status, canvas, details);
  const viewer = createViewer(canvas);
  let loadedVersion = null;
  let timer = null;
  let stopped = false;

  async function operate(action) {
    try {
      await action();
      await refresh();
    } catch (e) {
      notice(status, 'error', e.message);
    }
  }

  async function refresh() {
    clearTimeout(timer);
    let instance;
    try {
      instance = await api.instance(id);
    } catch (e) {
      notice(status, 'error', e.message);
      return;
    }
    if (stopped) return;
    const version = `${instance.definitionKey}/${instance.version}`;
    if (loadedVersion !== version) {
      try {
        await viewer.importXML(await api.version(instance.definitionKey, instance.version));
        viewer.get('canvas').zoom('fit-viewport', 'auto');
        loadedVersion = version;
      } catch (e) {
        notice(status, 'error', e.message);
      }
    }
    showInstance(viewer, instance);
    clear(title, `${instance.definitionKey} v${instance.version} · `, h('span', { class: `status ${instance.status}`, id: 'instance-status' }, t(instance.status)));
    clear(actions,
      can('instances:operate') && instance.faults.length ? h('button', { id: 'retry', onclick: () => operate(() => api.retry(id)) }, t('Retry')) : null,
      can('instances:operate') && !FINISHED.includes(instance.status)
        ? h('button', { id: 'cancel', onclick: () => operate(() => api.cancel(id)) }, t('Cancel instance')) : null);
    clear(details,
      h('section', {}, h('h3', {}, t('Variables')), h('pre', { id: 'variables' }, JSON.stringify(instance.variables, null, 2))),
      h('section', {}, h('h3', {}, t('Faults')), instance.faults.length === 0 ? h('p', {}, '—') : h('ul', { id: 'faults' },
        instance.faults.map((f) => h('li', { class: 'problem error' }, h('code', {}, f.elementId), ` ${t(f.kind)}: ${f.message} (${formatTime(f.createdAt)})`)))),
      h('section', {}, h('h3', {}, t('History')), h('table', { class: 'list', id: 'history' },
        h('thead', {}, h('tr', {}, [t('Element'), t('Type'), t('Status'), t('Started at'), t('Ended at'), t('Actor')].map((c) => h('th', {}, c)))),
        h('tbody', {}, (instance.history || []).map((s) => h('tr', {},
          h('td', {}, s.name || s.elementId), h('td', {}, s.elementType ? t(typeName(s.elementType)) : ''), h('td', {}, h('span', { class: `status ${s.outcome}` }, t(s.outcome))),
          h('td', {}, formatTime(s.startedAt)), h('td', {}, formatTime(s.endedAt)), h('td', {}, s.actor || '')))))));
    if (!FINISHED.includes(instance.status)) timer = setTimeout(refresh, 1000);
  }

  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
    viewer.destroy();
  };
}
