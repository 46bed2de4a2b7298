// English is written in the code; Simplified Chinese comes from this table. The choice is kept
// in localStorage. t('Saved version {n}', { n: 3 }) fills placeholders.

import core from './i18n/core.zh.js';
import tickets from './i18n/tickets.zh.js';
import shell from './i18n/shell.zh.js';
import tasks from './i18n/tasks.zh.js';
import palette from './i18n/palette.zh.js';
import validation from './i18n/validation.zh.js';
import forms from './i18n/forms.zh.js';
import admin from './i18n/admin.zh.js';
import formEditor from './i18n/formEditor.zh.js';
import mail from './i18n/mail.zh.js';
import incident from './i18n/incident.zh.js';
import start from './i18n/start.zh.js';
import modeler from './i18n/modeler.zh.js';

// One dictionary per area of the UI, so pages keep their own strings; a later part wins on a clash.
const zhParts = [core, tickets, shell, tasks, palette, validation, forms, admin, formEditor, mail, incident, start, modeler];

const STORAGE_KEY = 'weops.lang';

const zh = Object.assign({}, ...zhParts);

const dictionaries = { en: {}, zh };

let lang = localStorage.getItem(STORAGE_KEY) === 'zh' ? 'zh' : 'en';
const listeners = [];

export function language() {
  return lang;
}

export function setLanguage(next) {
  lang = next === 'zh' ? 'zh' : 'en';
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((listener) => listener(lang));
}

export function onLanguageChange(listener) {
  listeners.push(listener);
}

export function t(text, values) {
  const template = dictionaries[lang][text] ?? text;
  return values ? template.replace(/{([^}]+)}/g, (match, name) => (name in values ? String(values[name]) : match)) : template;
}

/** bpmn-js's translate service, so the palette and the panels speak the same language as the pages. */
export const translateModule = {
  translate: ['value', (template, replacements) => {
    const text = t(template);
    return replacements ? text.replace(/{([^}]+)}/g, (match, name) => replacements[name] ?? match) : text;
  }]
};

document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
