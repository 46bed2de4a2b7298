// A validation problem in the reader's language: the server sends English, a code and the arguments; in Chinese
// the text is made again from the code's entry in the validation dictionary. A code without an entry keeps the
// English, so a newer server never shows an empty line.

import { language, t } from '../i18n.js';
import { problems as zhProblems } from '../i18n/validation.zh.js';

// Arguments that hold a short English phrase from a fixed set (see ProblemCodes), translated as page strings.
const PHRASE_ARGS = new Set(['part', 'scope', 'role', 'expected', 'inputs']);

export function problemText(problem) {
  const template = language() === 'zh' && problem.code ? zhProblems[problem.code] : null;
  if (!template) return problem.message;
  const args = problem.args || {};
  return template.replace(/{([a-zA-Z]+)}/g, (match, name) => {
    if (!(name in args)) return match;
    return PHRASE_ARGS.has(name) ? t(String(args[name])) : String(args[name]);
  });
}
