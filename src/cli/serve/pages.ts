import type { InterviewSpec } from '../../interview/spec.js';
import { isFormatsPrompt, uiStrings, type FormatsSummary } from '../../interview/flow.js';
import type { Problem } from '../../library/problems.js';
import type { Prompt, Response, Step, Walk } from './walk.js';

/**
 * The pages of `dataklausul serve` as HTML strings. Pure: a walk of the interview (walk.ts), the
 * spec and the texts in, a page out. Every string from a user, a file or the library is escaped
 * (`esc`); markup only ever comes from this module. Server-rendered forms that work without
 * JavaScript; /assets/app.js only adds conveniences.
 */

export type T = (key: string, vars?: Record<string, string | number>) => string;

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML content and for quoted attribute values. */
export const esc = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => ESC[c]!);

/** A prompt key (`buyer.members.name#1`) as an HTML id: letters, digits, `-` and `_` only. */
export const fieldId = (key: string): string => `f-${key.replace(/\./g, '-').replace(/#/g, '_').replace(/[^A-Za-z0-9_-]/g, (c) => `x${c.codePointAt(0)!.toString(16)}`)}`;
/** The form field name of a prompt. */
/** A question as a label in a list: "Organisation number (9 digits)?" → "Organisation number (9 digits)", as the terminal's summary shows it. */
const plain = (question: string) => question.replace(/\s*\?$/, '');

/** "yes" → "Yes": the terminal's words as button-like labels. */
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const fieldName = (key: string): string => `f:${key}`;

export interface PageFrame {
  lang: string;
  title: string;
  token: string;
  /** Progress: the pages reached so far, with headings; `current` is marked. */
  steps: Array<{ href: string; label: string; current: boolean }>;
  t: T;
}

export function layout(frame: PageFrame, main: string): string {
  const { t } = frame;
  const nav = frame.steps.length
    ? `<nav aria-label="${esc(t('serve.progress'))}"><ol class="progress">${frame.steps
        .map((s) => `<li>${s.current ? `<a href="${esc(s.href)}" aria-current="step">${esc(s.label)}</a>` : `<a href="${esc(s.href)}">${esc(s.label)}</a>`}</li>`)
        .join('')}</ol></nav>`
    : '';
  return `<!doctype html>
<html lang="${esc(frame.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(frame.title)} – dataklausul</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${esc(t('serve.skip'))}</a>
<header class="top"><p class="brand"><a href="/">dataklausul</a></p>${nav}</header>
<main id="main" tabindex="-1">
${main}
</main>
</body>
</html>
`;
}

const tokenField = (token: string) => `<input type="hidden" name="token" value="${esc(token)}">`;

/** The heading of a page: the section's label in the interview language (the clause parameters: the interview's own words for them). */
export function pageTitle(spec: InterviewSpec, lang: string, page: string): string {
  const section = page.replace(/-\d+$/, '');
  if (section === 'params') return uiStrings(spec, lang).paramsSection;
  const texts = spec.sections.find((s) => s.id === section)?.label;
  return texts?.[lang] ?? texts?.[spec.languages[0]!] ?? section;
}

function describedBy(...ids: Array<string | false | undefined>): string {
  const list = ids.filter(Boolean);
  return list.length ? ` aria-describedby="${list.join(' ')}"` : '';
}

function field(step: Step, t: T, yes: string, no: string, focus: boolean): string {
  const p: Prompt = step.prompt;
  const id = fieldId(p.key);
  const name = esc(fieldName(p.key));
  const helpId = p.help ? `${id}-help` : undefined;
  const errId = step.error ? `${id}-error` : undefined;
  const help = p.help ? `<p class="help" id="${helpId}">${esc(p.help)}</p>` : '';
  const error = step.error ? `<p class="error" id="${errId}"><span class="visually-hidden">${esc(t('serve.errorPrefix'))} </span>${esc(step.error)}</p>` : '';
  const notes = p.notes.map((n) => `<h2 class="note">${esc(n)}</h2>`).join('');
  const invalid = step.error ? ' aria-invalid="true"' : '';
  const auto = focus ? ' autofocus' : '';
  const cls = `field${step.error ? ' has-error' : ''}${step.state === 'new' ? ' is-new' : ''}`;
  switch (p.kind) {
    case 'input':
      return `${notes}<div class="${cls}" data-key="${esc(p.key)}"><label for="${id}">${esc(p.message)}</label>${help}${error}<input type="text" id="${id}" name="${name}" value="${esc(step.value as string)}" autocomplete="off"${describedBy(helpId, errId)}${invalid}${auto}></div>`;
    case 'confirm': {
      const v = step.value as boolean;
      const radio = (val: 'yes' | 'no', label: string, checked: boolean, first: boolean) =>
        `<div class="choice"><input type="radio" id="${id}-${val}" name="${name}" value="${val}"${checked ? ' checked' : ''}${first ? auto : ''}><label for="${id}-${val}">${esc(label)}</label></div>`;
      return `${notes}<fieldset class="${cls}" id="${id}" data-key="${esc(p.key)}"${describedBy(helpId, errId)}><legend>${esc(p.message)}</legend>${help}${error}<div class="choices inline">${radio('yes', cap(yes), v === true, true)}${radio('no', cap(no), v === false, false)}</div></fieldset>`;
    }
    case 'select':
    case 'checkbox': {
      const type = p.kind === 'select' ? 'radio' : 'checkbox';
      const chosen = (c: string) => (Array.isArray(step.value) ? step.value.includes(c) : step.value === c);
      const choices = (p.choices ?? [])
        .map(
          (c, i) =>
            `<div class="choice"><input type="${type}" id="${id}-${i}" name="${name}" value="${esc(c.value)}"${chosen(c.value) ? ' checked' : ''}${i === 0 ? auto : ''}><label for="${id}-${i}">${esc(c.name)}</label></div>`,
        )
        .join('');
      return `${notes}<fieldset class="${cls}" id="${id}" data-key="${esc(p.key)}" data-kind="${p.kind}"${describedBy(helpId, errId)}><legend>${esc(p.message)}</legend>${help}${error}<div class="choices">${choices}</div></fieldset>`;
    }
  }
}

/** The first field of a step, for links from the error summary. */
const firstControl = (step: Step) => (step.prompt.kind === 'input' ? fieldId(step.prompt.key) : step.prompt.kind === 'confirm' ? `${fieldId(step.prompt.key)}-yes` : `${fieldId(step.prompt.key)}-0`);

export interface QuestionPage {
  spec: InterviewSpec;
  walk: Walk;
  page: string;
  frame: Omit<PageFrame, 'title'>;
  yes: string;
  no: string;
}

/** One page of questions: every prompt of the page, errors beside their fields, back and next. */
export function questionPage(q: QuestionPage): string {
  const { t } = q.frame;
  const title = pageTitle(q.spec, q.frame.lang, q.page);
  const steps = q.walk.steps.filter((s) => s.prompt.page === q.page);
  const errors = steps.filter((s) => s.error);
  // Focus: the first error, else (a page shown again because its answers opened new questions) the first new one.
  const focusKey = errors[0]?.prompt.key ?? (steps.some((s) => s.state !== 'new') ? steps.find((s) => s.state === 'new')?.prompt.key : undefined);
  const summary = errors.length
    ? `<div class="error-summary" role="alert" aria-labelledby="error-summary-title"><h2 id="error-summary-title">${esc(t('serve.errorSummary', { n: errors.length }))}</h2><ul>${errors
        .map((s) => `<li><a href="#${firstControl(s)}">${esc(plain(s.prompt.message))}: ${esc(s.error!)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  const index = q.walk.pages.indexOf(q.page);
  const fields = steps.map((s) => field(s, t, q.yes, q.no, s.prompt.key === focusKey)).join('\n');
  const back = index > 0 ? `<button type="submit" name="nav" value="back" class="secondary">${esc(t('serve.back'))}</button>` : '';
  const main = `<h1>${esc(title)}</h1>
<p class="step-count">${esc(t('serve.stepOf', { n: index + 1 }))}</p>
${summary}
<form method="post" action="/page/${esc(q.page)}" novalidate>
${tokenField(q.frame.token)}
${fields}
<div class="actions"><button type="submit" name="nav" value="next">${esc(t('serve.next'))}</button>${back}</div>
</form>`;
  return layout({ ...q.frame, title: errors.length ? `${t('serve.errorTitle')}: ${title}` : title }, main);
}

/** A step's answer in words, for the summary. */
export function describeStep(step: Step, yes: string, no: string): string {
  const v: Response = step.value;
  switch (step.prompt.kind) {
    case 'input':
      return v as string;
    case 'confirm':
      return cap(v ? yes : no);
    case 'select':
      return step.prompt.choices?.find((c) => c.value === v)?.name ?? String(v);
    case 'checkbox':
      return (v as string[]).map((x) => step.prompt.choices?.find((c) => c.value === x)?.name ?? x).join(', ');
  }
}

export interface OmitForm {
  /** Every included clause; `disabled` says why one cannot be left out. */
  choices: ReadonlyArray<{ clause: string; name: string; disabled?: string }>;
  omitted: ReadonlyArray<{ clause: string; name: string; reason: string }>;
  /** The interview's own texts: the question, the help for the reason, the heading of the list. */
  which: string;
  reasonHelp: string;
  omittedHeading: string;
  /** A refused attempt: what was sent, and the message beside the field that was wrong. */
  error?: { clause: string; reason: string; clauseError?: string; reasonError?: string };
}

export interface SummaryData {
  spec: InterviewSpec;
  walk: Walk;
  frame: Omit<PageFrame, 'title'>;
  yes: string;
  no: string;
  heading: string;
  clausesHeading: string;
  answersFile: string;
  included: Array<{ id: string; version: string; title: string; reason: string }>;
  excluded: Array<{ id: string; title: string; reason: string }>;
  /** The formats in words (by kind, and the export matrix), shown in place of the formats prompts' answers. */
  formatsSummary: FormatsSummary;
  /** Joins names as the interview language does ("A, B og C"). */
  list: (items: string[]) => string;
  /** Leaving out a clause (the answers' `omit`): the clauses on offer, those left out, the texts, and the error of a refused attempt. */
  omit: OmitForm;
  /** Recorded opt-outs (the answers' `deviations`: rule and reason). */
  deviations: Array<{ rule: string; reason: string }>;
  /** The policy and how the answers meet it: each rule broken, and the reason given for deviating, if any. */
  policy: { name: string; violations: Array<{ rule: string; message: string; accepted?: string }> } | null;
  /** Problems that stop the appendix from being built (shown instead of the downloads). */
  blocking: Problem[];
  warnings: Problem[];
  formats: readonly string[];
  /** With --out: the folder the save button writes to, and what the last save did. */
  out: string | null;
  saved?: { files: string[] } | { error: string };
}

const problemLine = (p: Problem) => `${p.field ? `${p.field}: ` : ''}${p.message}${p.hint ? ` ${p.hint}` : ''}`;

export function summaryPage(d: SummaryData): string {
  const { t } = d.frame;
  const byPage = d.walk.pages.map((page) => ({ page, steps: d.walk.steps.filter((s) => s.prompt.page === page) }));
  const row = (label: string, value: string) => `<div class="row"><dt>${esc(label)}</dt><dd>${esc(value) || `<span class="muted">${esc(t('serve.empty'))}</span>`}</dd></div>`;
  // The formats prompts (one per kind, the matrix and its rows) are said once, in words, where the first of them was.
  const fs = d.formatsSummary;
  const formatRows = `${fs.groups.map((g) => row(g.label, d.list(g.formats))).join('')}${
    fs.matrix.rows.length ? `<div class="row"><dt>${esc(fs.matrix.heading)}</dt><dd><ul class="matrix">${fs.matrix.rows.map((r) => `<li>${esc(r.label)}: ${esc(d.list(r.formats))}</li>`).join('')}</ul></dd></div>` : ''
  }`;
  let formatsShown = false;
  const stepRow = (s: Step) => {
    if (!isFormatsPrompt(d.spec, s.prompt.id)) return row(plain(s.prompt.message), describeStep(s, d.yes, d.no));
    if (formatsShown) return '';
    formatsShown = true;
    return formatRows;
  };
  const answers = byPage
    .map(
      ({ page, steps }) => `<section class="answers" aria-labelledby="h-${esc(page)}"><h3 id="h-${esc(page)}">${esc(pageTitle(d.spec, d.frame.lang, page))}</h3>
<dl>${steps.map(stepRow).join('')}</dl>
<p><a href="/page/${esc(page)}">${esc(t('serve.change'))}<span class="visually-hidden"> – ${esc(pageTitle(d.spec, d.frame.lang, page))}</span></a></p></section>`,
    )
    .join('\n');
  const included = `<table><caption>${esc(d.clausesHeading)}</caption><thead><tr><th scope="col">${esc(t('serve.clause'))}</th><th scope="col">${esc(t('serve.title'))}</th><th scope="col">${esc(t('serve.reason'))}</th></tr></thead><tbody>${d.included
    .map((c) => `<tr><td><code>${esc(c.id)}</code> ${esc(c.version)}</td><td>${esc(c.title)}</td><td>${esc(c.reason)}</td></tr>`)
    .join('')}</tbody></table>`;
  const excluded = d.excluded.length
    ? `<details><summary>${esc(t('serve.excluded', { n: d.excluded.length }))}</summary><table><caption class="visually-hidden">${esc(t('serve.excluded', { n: d.excluded.length }))}</caption><thead><tr><th scope="col">${esc(t('serve.clause'))}</th><th scope="col">${esc(t('serve.title'))}</th><th scope="col">${esc(t('serve.reason'))}</th></tr></thead><tbody>${d.excluded
        .map((c) => `<tr><td><code>${esc(c.id)}</code></td><td>${esc(c.title)}</td><td>${esc(c.reason)}</td></tr>`)
        .join('')}</tbody></table></details>`
    : '';
  const optOuts = d.deviations.length
    ? `<ul>${d.deviations.map((x) => `<li><code>${esc(x.rule)}</code>: ${esc(x.reason)}</li>`).join('')}</ul>`
    : `<p>${esc(t('serve.noOptOuts'))}</p>`;
  const policy = d.policy
    ? `<p>${esc(t('serve.policyName', { name: d.policy.name }))}</p>${
        d.policy.violations.length
          ? d.policy.violations.map((v, i) => deviationForm(d.frame.token, t, v, i)).join('\n')
          : `<p class="ok">${esc(t('serve.policyOk'))}</p>`
      }`
    : `<p>${esc(t('serve.noPolicy'))}</p>`;
  const warnings = d.warnings.length ? `<ul class="problems">${d.warnings.map((p) => `<li class="warning">${esc(problemLine(p))}</li>`).join('')}</ul>` : '';
  const results = d.blocking.length
    ? `<div class="error-summary" role="alert"><h2>${esc(t('serve.blocked'))}</h2><ul>${d.blocking.map((p) => `<li>${esc(problemLine(p))}</li>`).join('')}</ul></div>`
    : `<form method="post" action="/download" class="downloads">${tokenField(d.frame.token)}
<button type="submit" name="format" value="answers">${esc(t('serve.downloadAnswers', { file: d.answersFile }))}</button>
${d.formats.map((f) => `<button type="submit" name="format" value="${esc(f)}" class="secondary">${esc(t('serve.download', { format: f.toUpperCase() }))}</button>`).join('\n')}
</form>${
        d.out !== null
          ? `<form method="post" action="/save" class="save">${tokenField(d.frame.token)}<button type="submit">${esc(t('serve.save', { dir: d.out }))}</button></form>`
          : `<p class="muted">${esc(t('serve.nothingStored'))}</p>`
      }${
        d.saved
          ? 'files' in d.saved
            ? `<div class="notice" role="status"><p>${esc(t('serve.savedFiles'))}</p><ul>${d.saved.files.map((f) => `<li><code>${esc(f)}</code></li>`).join('')}</ul></div>`
            : `<div class="error-summary" role="alert"><p>${esc(d.saved.error)}</p></div>`
          : ''
      }`;
  const preview = d.blocking.length ? '' : `<h2 id="preview">${esc(t('serve.preview'))}</h2><iframe src="/preview" title="${esc(t('serve.preview'))}" class="preview"></iframe>`;
  const main = `<h1>${esc(d.heading)}</h1>
<h2 id="results">${esc(t('serve.results'))}</h2>
${results}
${warnings}
<h2>${esc(t('serve.included'))}</h2>
${included}
${excluded}
<h2 id="omit">${esc(t('serve.omitted'))}</h2>
${omitSection(d.frame.token, t, d.omit)}
<h2>${esc(t('serve.optOuts'))}</h2>
${optOuts}
<h2 id="policy">${esc(t('serve.policy'))}</h2>
${policy}
<h2>${esc(t('serve.yourAnswers'))}</h2>
${answers}
${preview}
${uploadForm(d.frame.token, t)}`;
  return layout({ ...d.frame, title: d.omit.error ? `${t('serve.errorTitle')}: ${d.heading}` : d.heading }, main);
}

/**
 * Leaving out a clause: the clauses left out, each with a button that puts it back, and a form to leave one out with
 * a reason. A clause that cannot be left out is shown, its radio button disabled and described by why.
 */
function omitSection(token: string, t: T, o: OmitForm): string {
  const err = o.error;
  const omitted = o.omitted.length
    ? `<h3>${esc(o.omittedHeading)}</h3><ul class="omitted">${o.omitted
        .map(
          (x) =>
            `<li><form method="post" action="/omit" class="restore">${tokenField(token)}<input type="hidden" name="action" value="restore"><input type="hidden" name="clause" value="${esc(x.clause)}"><span>${esc(x.name)} (<code>${esc(x.clause)}</code>): ${esc(x.reason)}</span> <button type="submit" class="secondary">${esc(t('serve.omitRestore'))}<span class="visually-hidden"> – ${esc(x.name)}</span></button></form></li>`,
        )
        .join('')}</ul>`
    : `<p>${esc(t('serve.noOmissions'))}</p>`;
  const errorLine = (id: string, message: string | undefined) => (message ? `<p class="error" id="${id}"><span class="visually-hidden">${esc(t('serve.errorPrefix'))} </span>${esc(message)}</p>` : '');
  const summary = err && (err.clauseError || err.reasonError)
    ? `<div class="error-summary" role="alert" aria-labelledby="omit-errors-title"><h3 id="omit-errors-title">${esc(t('serve.errorSummary', { n: [err.clauseError, err.reasonError].filter(Boolean).length }))}</h3><ul>${[
        err.clauseError ? `<li><a href="#omit-clause">${esc(plain(o.which))}: ${esc(err.clauseError)}</a></li>` : '',
        err.reasonError ? `<li><a href="#omit-reason">${esc(t('serve.omitReason'))}: ${esc(err.reasonError)}</a></li>` : '',
      ].join('')}</ul></div>`
    : '';
  const choices = o.choices
    .map((c, i) => {
      const id = i === 0 ? 'omit-clause' : `omit-clause-${i}`;
      const why = c.disabled ? `<span class="help why" id="${id}-why">${esc(c.disabled)}</span>` : '';
      return `<div class="choice"><input type="radio" id="${id}" name="clause" value="${esc(c.clause)}"${err?.clause === c.clause && !c.disabled ? ' checked' : ''}${c.disabled ? ` disabled aria-describedby="${id}-why"` : ''}${err?.clauseError && i === 0 ? ' autofocus' : ''}>${why ? `<div><label for="${id}">${esc(c.name)}</label>${why}</div>` : `<label for="${id}">${esc(c.name)}</label>`}</div>`;
    })
    .join('');
  const form = `<details class="omit"${err ? ' open' : ''}><summary>${esc(t('serve.omitTitle'))}</summary>
<form method="post" action="/omit" novalidate>${tokenField(token)}
${summary}
<fieldset class="field${err?.clauseError ? ' has-error' : ''}"${err?.clauseError ? ' aria-describedby="omit-clause-error"' : ''}><legend>${esc(o.which)}</legend>${errorLine('omit-clause-error', err?.clauseError)}<div class="choices">${choices}</div></fieldset>
<div class="field${err?.reasonError ? ' has-error' : ''}"><label for="omit-reason">${esc(t('serve.omitReason'))}</label><p class="help" id="omit-reason-help">${esc(o.reasonHelp)}</p>${errorLine('omit-reason-error', err?.reasonError)}
<textarea id="omit-reason" name="reason" rows="3"${describedBy('omit-reason-help', err?.reasonError ? 'omit-reason-error' : undefined)}${err?.reasonError ? ' aria-invalid="true"' : ''}${err?.reasonError && !err.clauseError ? ' autofocus' : ''}>${esc(err?.reason ?? '')}</textarea></div>
<div class="actions"><button type="submit" class="secondary">${esc(t('serve.omitRecord'))}</button></div></form></details>`;
  return `${omitted}
${form}`;
}

/** One broken policy rule: what is wrong, and a form to record (or take back) the reason for deviating. */
function deviationForm(token: string, t: T, v: { rule: string; message: string; accepted?: string }, i: number): string {
  const id = `deviation-${i}`;
  const state = v.accepted !== undefined ? `<p class="ok">${esc(t('serve.deviationAccepted'))}</p>` : `<p class="error">${esc(t('serve.deviationNeeded'))}</p>`;
  return `<form method="post" action="/deviation" class="deviation">${tokenField(token)}<input type="hidden" name="rule" value="${esc(v.rule)}">
<h3><code>${esc(v.rule)}</code></h3><p>${esc(v.message)}</p>${state}
<div class="field"><label for="${id}">${esc(t('serve.deviationReason', { rule: v.rule }))}</label><p class="help" id="${id}-help">${esc(t('serve.deviationHelp'))}</p>
<textarea id="${id}" name="reason" rows="3" aria-describedby="${id}-help">${esc(v.accepted ?? '')}</textarea></div>
<div class="actions"><button type="submit" class="secondary">${esc(t('serve.deviationRecord'))}</button></div></form>`;
}

export function uploadForm(token: string, t: T, error?: string): string {
  const err = error ? `<p class="error" id="upload-error"><span class="visually-hidden">${esc(t('serve.errorPrefix'))} </span>${esc(error)}</p>` : '';
  return `<section class="upload" aria-labelledby="upload-title"><h2 id="upload-title">${esc(t('serve.uploadTitle'))}</h2>
<form method="post" action="/upload" enctype="multipart/form-data">${tokenField(token)}
<div class="field${error ? ' has-error' : ''}"><label for="upload-file">${esc(t('serve.uploadLabel'))}</label><p class="help" id="upload-help">${esc(t('serve.uploadHelp'))}</p>${err}
<input type="file" id="upload-file" name="file" accept=".yaml,.yml,.json"${describedBy('upload-help', error ? 'upload-error' : undefined)}${error ? ' aria-invalid="true" autofocus' : ''}></div>
<div class="actions"><button type="submit" class="secondary">${esc(t('serve.upload'))}</button></div>
</form></section>`;
}

export interface StartPage {
  frame: Omit<PageFrame, 'title'>;
  languages: Array<{ code: string; name: string }>;
  uploadError?: string;
  /** True when this browser has an interview under way. */
  resumable: boolean;
}

/** The first page: what the tool does, the interview language, start or continue, upload. */
export function startPage(s: StartPage): string {
  const { t } = s.frame;
  const langs = s.languages
    .map(
      (l) =>
        `<div class="choice"><input type="radio" id="lang-${esc(l.code)}" name="lang" value="${esc(l.code)}"${l.code === s.frame.lang ? ' checked' : ''}><label for="lang-${esc(l.code)}" lang="${esc(l.code)}">${esc(l.name)}</label></div>`,
    )
    .join('');
  const resume = s.resumable ? `<p><a href="/continue">${esc(t('serve.continue'))}</a></p>` : '';
  const main = `<h1>${esc(t('serve.startTitle'))}</h1>
<p class="lead">${esc(t('serve.startLead'))}</p>
${resume}
<form method="post" action="/start">${tokenField(s.frame.token)}
<fieldset class="field"><legend>${esc(t('serve.language'))}</legend><div class="choices">${langs}</div></fieldset>
<div class="actions"><button type="submit">${esc(t('serve.start'))}</button></div>
</form>
${uploadForm(s.frame.token, t, s.uploadError)}`;
  return layout({ ...s.frame, title: t('serve.startTitle') }, main);
}

/** A short page for refused requests and unknown addresses. */
export function errorPage(frame: Omit<PageFrame, 'title' | 'steps'>, heading: string, text: string): string {
  return layout({ ...frame, steps: [], title: heading }, `<h1>${esc(heading)}</h1><p>${esc(text)}</p><p><a href="/">${esc(frame.t('serve.home'))}</a></p>`);
}
