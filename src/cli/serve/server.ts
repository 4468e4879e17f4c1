import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { AnswersSchema } from '../../core/answers.js';
import type { InterviewContext } from '../../interview/flow.js';
import { fill, forWeb, type InterviewSpec } from '../../interview/spec.js';
import { sanitizePartialAnswers, serializeAnswers, slugify } from '../../interview/answers-file.js';
import { decodeText, getMaxFileBytes } from '../../library/limits.js';
import { msg, type Msg } from '../../core/messages.js';
import { say, Speaker } from '../../library/messages.js';
import { UserError, UsageError, type Problem } from '../../library/problems.js';
import { parseYamlSource } from '../../library/yaml-source.js';
import { FORMATS, renderFormats, type Format } from '../../render/index.js';
import { assemble, check, outputPaths, parseAnswers, type Context, type LoadedPolicy } from '../pipeline.js';
import { applyLock } from '../lock.js';
import { policyRequiredClauses, policyViolations } from '../../assemble/policy.js';
import { answerNames, checkOmitReason, omitChoices, omittedChoices, summariseFormats, withOmission, type Omission } from '../../interview/flow.js';
import { formatList } from '../../assemble/helpers.js';
import { renderReason, type Reason } from '../../assemble/reasons.js';
import { errorPage, fieldName, questionPage, startPage, summaryPage, pageTitle, type OmitForm, type T } from './pages.js';
import { answeredIn, walk, type Response, type Walk } from './walk.js';

/**
 * The HTTP edge of `dataklausul serve`, on Node's own `http`: a fixed table of routes, sessions in
 * memory, and the checks every request passes (Host on loopback, Origin and the session token on
 * every POST, body size). No part of a request path is ever used as a file path: the two assets are
 * read at start-up and served from memory, everything else is generated.
 */

export interface ServeOptions {
  spec: InterviewSpec;
  context: Context;
  policy: LoadedPolicy | null;
  /** --out: the save button writes the answers file and the formats here. Null: nothing is written. */
  out: string | null;
  force: boolean;
  formats: Format[];
  assets: { css: Uint8Array; js: Uint8Array };
  /** True when bound to a loopback address: then the Host header must name it (DNS rebinding). */
  loopback: boolean;
  /** The interview language a new session starts in (else the first of the spec's languages); the start page offers the others. */
  lang?: string;
  /** Today's date (YYYY-MM-DD), asked for on every walk: the default appendix date. */
  today: () => string;
  env: NodeJS.ProcessEnv;
  /** Writes the planned files (the CLI's atomic writer); only used with --out. */
  write?: (files: Array<{ path: string; bytes: Uint8Array }>, force: boolean) => Promise<void>;
}

interface Session {
  id: string;
  token: string;
  lang: string;
  initial: Record<string, unknown>;
  responses: Record<string, Response>;
  started: boolean;
  seen: number;
  saved?: { files: string[] } | { error: string };
}

/** Body limits: a page of answers is small; an upload is at most an input file (--max-file-size) plus the form around it. */
export const FORM_LIMIT = 64 * 1024;
const uploadLimit = () => getMaxFileBytes() + 16 * 1024;
const MAX_SESSIONS = 200;
const IDLE_MS = 8 * 60 * 60 * 1000;
/** The session cookie; named after the port, so that two servers on one machine keep their sessions apart. */
const cookieName = (port: number) => `dk_session_${port}`;

const CONTENT_TYPES: Record<string, string> = {
  answers: 'application/yaml; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const PAGE_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly why: Msg,
  ) {
    super(why.key);
  }
}

/** A catalogue message in one language. */
const text = (lang: string, m: Msg): string => say(lang, m.key, m.vars);

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function cookieOf(req: http.IncomingMessage, port: number): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === cookieName(port)) return v.join('=');
  }
  return undefined;
}

/** Reads a request body, refusing it as soon as it passes the limit. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(new HttpError(413, msg('serve.tooLarge')));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, msg('serve.tooLarge')));
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The parts of a multipart/form-data body, by field name. Only what a browser form sends. */
export function parseMultipart(body: Buffer, contentType: string): Map<string, { filename?: string; data: Buffer }> {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  if (!m) throw new HttpError(400, msg('serve.badRequest'));
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts = new Map<string, { filename?: string; data: Buffer }>();
  let pos = body.indexOf(delimiter);
  while (pos !== -1 && parts.size < 10) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) break;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next === -1) break;
    const headers = body.subarray(start + 2, headerEnd).toString('utf8');
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
    if (name !== undefined) parts.set(name, { filename, data: body.subarray(headerEnd + 4, next) });
    pos = next + 2;
  }
  return parts;
}

export interface RunningServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

export function createServeHandler(options: ServeOptions) {
  // The pages ask the interview in the web's words (`web:` in interview.yaml), not the terminal's words about keys.
  const o: ServeOptions = { ...options, spec: forWeb(options.spec) };
  const sessions = new Map<string, Session>();
  const defaultLang = o.lang && o.spec.languages.includes(o.lang) ? o.lang : o.spec.languages[0]!;

  const tFor =
    (lang: string): T =>
    (key, vars) =>
      say(lang, key, vars ?? {});
  const ui = (lang: string) => o.spec.ui[lang] ?? o.spec.ui[defaultLang]!;
  const interviewContext = (s: Session): InterviewContext => ({
    spec: o.spec,
    lang: s.lang,
    library: o.context.library,
    today: o.today(),
    topicNames: o.context.templates.i18n[s.lang]?.topics ?? {},
    i18n: (o.context.templates.i18n[s.lang] ?? o.context.templates.i18n[defaultLang])!,
  });
  const walkOf = (s: Session): Promise<Walk> => walk(interviewContext(s), s.initial, s.responses, { invalidChoice: text(s.lang, msg('serve.invalidChoice')) });

  function newSession(): Session {
    if (sessions.size >= MAX_SESSIONS) {
      const oldest = [...sessions.values()].sort((a, b) => a.seen - b.seen)[0]!;
      sessions.delete(oldest.id);
    }
    const s: Session = { id: randomBytes(24).toString('base64url'), token: randomBytes(24).toString('base64url'), lang: defaultLang, initial: {}, responses: {}, started: false, seen: Date.now() };
    sessions.set(s.id, s);
    return s;
  }

  function sessionOf(req: http.IncomingMessage, port: number): Session | undefined {
    const id = cookieOf(req, port);
    const s = id ? sessions.get(id) : undefined;
    if (!s) return undefined;
    if (Date.now() - s.seen > IDLE_MS) {
      sessions.delete(s.id);
      return undefined;
    }
    s.seen = Date.now();
    return s;
  }

  const headers = (extra: Record<string, string> = {}) => ({
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    ...extra,
  });

  function send(res: http.ServerResponse, status: number, body: string | Uint8Array, extra: Record<string, string> = {}) {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, headers({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(bytes.byteLength), ...extra }));
    res.end(bytes);
  }
  const redirect = (res: http.ServerResponse, to: string, extra: Record<string, string> = {}) => {
    res.writeHead(303, headers({ Location: to, 'Content-Length': '0', ...extra }));
    res.end();
  };
  const setCookie = (s: Session, port: number) => ({ 'Set-Cookie': `${cookieName(port)}=${s.id}; Path=/; HttpOnly; SameSite=Strict` });

  function frame(s: Session, w: Walk | null, current: string | null) {
    const steps = w
      ? [
          ...w.pages.map((p) => ({ href: `/page/${p}`, label: pageTitle(o.spec, s.lang, p), current: p === current })),
          ...(w.done ? [{ href: '/summary', label: text(s.lang, msg('serve.summary')), current: current === 'summary' }] : []),
        ]
      : [];
    return { lang: s.lang, token: s.token, steps, t: tFor(s.lang) };
  }

  const whereNext = (w: Walk) => (w.done ? '/summary' : `/page/${w.frontier ?? w.pages[0]}`);

  /** The answers file and everything built from it, exactly as `build` builds that file. */
  async function results(s: Session, w: Walk) {
    const answers = w.done!.session.answers;
    const title = (answers.procurement as Record<string, unknown> | undefined)?.title;
    const file = `${slugify(typeof title === 'string' ? title : '')}.yaml`;
    const text = serializeAnswers(answers, { header: fill(ui(s.lang).answersHeader, { file }), schemaPath: SCHEMA_URL_PATH });
    const bytes = Buffer.from(text);
    // The bytes are read back exactly as `build` reads the downloaded file (a refusal there is a refusal here).
    const read = parseAnswers(bytes, file);
    const { loaded } = await applyLock(read, o.context, {}, new Speaker(s.lang));
    const checked = check(o.context, loaded, o.policy);
    const accepted = new Map(loaded.answers.deviations.map((d) => [d.rule, d.reason]));
    const violations = o.policy ? policyViolations(o.policy.policy, loaded.answers, checked.selection).map((v) => ({ rule: v.rule, message: v.message, accepted: accepted.get(v.rule) })) : [];
    let model = null;
    let blocking: Problem[] = [];
    let warnings: Problem[] = [];
    try {
      const a = assemble(o.context, loaded, loaded.answers.language, o.env, o.policy, true);
      model = a.model;
      warnings = a.warnings;
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      blocking = e.problems.length ? e.problems : [{ severity: 'error', file, message: e.message }];
    }
    return { file, bytes, loaded, checked, violations, model, blocking, warnings };
  }

  const omissionsOf = (s: Session): Omission[] => (Array.isArray(s.initial.omit) ? (s.initial.omit as Omission[]) : []);
  const policyRequired = () => (o.policy ? { name: `${o.policy.policy.name} ${o.policy.policy.version}`, clauses: new Set(policyRequiredClauses(o.policy.policy).keys()) } : null);

  async function summary(s: Session, w: Walk, omitError?: OmitForm['error']): Promise<string> {
    const r = await results(s, w);
    const ctx = interviewContext(s);
    const lang = r.loaded.answers.language;
    const title = (c: { texts: Record<string, { title: string }> }) => c.texts[lang]?.title ?? c.texts[s.lang]?.title ?? Object.values(c.texts)[0]?.title ?? '';
    const u = ui(s.lang);
    // Why each clause is in or out, in the page's language, with the questions' and choices' labels.
    const names = answerNames(ctx);
    const why = (c: { because: Reason }) => renderReason((key, vars) => say(s.lang, key, vars), c.because, names);
    return summaryPage({
      spec: o.spec,
      walk: w,
      frame: frame(s, w, 'summary'),
      yes: u.yes,
      no: u.no,
      heading: u.summaryHeading.replace(/:\s*$/, ''),
      clausesHeading: fill(u.clausesHeading, { count: r.checked.selection.included.length }).replace(/:\s*$/, ''),
      answersFile: r.file,
      included: r.checked.selection.included.map((c) => ({ id: c.clause.meta.id, version: c.clause.meta.version, title: title(c.clause), reason: why(c) })),
      excluded: r.checked.selection.excluded.map((c) => ({ id: c.clause.meta.id, title: title(c.clause), reason: why(c) })),
      deviations: r.loaded.answers.deviations.map((d) => ({ rule: d.rule, reason: d.reason })),
      formatsSummary: summariseFormats(ctx, o.spec.questions.find((q) => q.type === 'formats')!, r.loaded.answers),
      list: (items) => formatList(items, ctx.i18n),
      omit: {
        choices: omitChoices(ctx, r.checked.selection, policyRequired()),
        omitted: omittedChoices(ctx, r.loaded.answers.omit),
        which: u.omitWhich,
        reasonHelp: u.omitReasonHelp,
        omittedHeading: fill(u.omittedHeading, { count: r.loaded.answers.omit.length }).replace(/:\s*$/, ''),
        error: omitError,
      },
      policy: o.policy ? { name: `${o.policy.policy.name} ${o.policy.policy.version}`, violations: r.violations } : null,
      blocking: r.blocking,
      warnings: r.warnings,
      formats: o.formats,
      out: o.out,
      saved: s.saved,
    });
  }

  /** Values of one page's fields from a submitted form, in the shape `responses` keeps. */
  function takeForm(s: Session, w: Walk, page: string, form: URLSearchParams): void {
    for (const step of w.steps.filter((x) => x.prompt.page === page)) {
      const name = fieldName(step.prompt.key);
      switch (step.prompt.kind) {
        case 'input':
          s.responses[step.prompt.key] = form.get(name) ?? '';
          break;
        case 'confirm': {
          const v = form.get(name);
          s.responses[step.prompt.key] = v === 'yes' ? true : v === 'no' ? false : '';
          break;
        }
        case 'select':
          s.responses[step.prompt.key] = form.get(name) ?? '';
          break;
        case 'checkbox':
          s.responses[step.prompt.key] = form.getAll(name);
          break;
      }
    }
  }

  function checkOrigin(req: http.IncomingMessage): void {
    const host = req.headers.host ?? '';
    const origin = req.headers.origin;
    const expected = `http://${host}`;
    if (origin !== undefined) {
      if (origin !== expected) throw new HttpError(403, msg('serve.crossOrigin'));
      return;
    }
    const referer = req.headers.referer;
    if (referer === undefined || !(referer === expected || referer.startsWith(`${expected}/`))) throw new HttpError(403, msg('serve.crossOrigin'));
  }

  function checkHost(req: http.IncomingMessage, port: number): void {
    if (!o.loopback) return;
    const host = (req.headers.host ?? '').toLowerCase();
    const ok = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    if (!ok.includes(host)) throw new HttpError(421, msg('serve.badHost'));
  }

  async function postSession(req: http.IncomingMessage, port: number, token: string | null | undefined): Promise<Session> {
    const s = sessionOf(req, port);
    if (!s || typeof token !== 'string' || !sameText(token, s.token)) throw new HttpError(403, msg('serve.badToken'));
    return s;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, port: number): Promise<void> {
    checkHost(req, port);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname;
    const method = req.method ?? 'GET';

    if (method === 'GET' || method === 'HEAD') {
      if (route === '/assets/style.css') return void send(res, 200, o.assets.css, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'max-age=3600' });
      if (route === '/assets/app.js') return void send(res, 200, o.assets.js, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=3600' });
      let s = sessionOf(req, port);
      const fresh = !s;
      s ??= newSession();
      const cookie = fresh ? setCookie(s, port) : {};
      if (route === '/') {
        const asked = url.searchParams.get('lang');
        if (asked && o.spec.languages.includes(asked) && !s.started) s.lang = asked;
        return void send(res, 200, startPageFor(s), cookie);
      }
      if (!s.started) return redirect(res, '/', cookie);
      const w = await walkOf(s);
      if (route === '/continue') return redirect(res, whereNext(w), cookie);
      const pageMatch = /^\/page\/([A-Za-z0-9-]{1,64})$/.exec(route);
      if (pageMatch) {
        const page = pageMatch[1]!;
        if (!w.pages.includes(page)) return redirect(res, whereNext(w), cookie);
        const u = ui(s.lang);
        return void send(res, 200, questionPage({ spec: o.spec, walk: w, page, frame: frame(s, w, page), yes: u.yes, no: u.no }), cookie);
      }
      if (route === '/summary') {
        if (!w.done) return redirect(res, whereNext(w), cookie);
        return void send(res, 200, await summary(s, w), cookie);
      }
      if (route === '/preview') {
        if (!w.done) return redirect(res, whereNext(w), cookie);
        const r = await results(s, w);
        if (!r.model) return void send(res, 409, errorPage(frame(s, null, null), text(s.lang, msg('serve.blocked')), r.blocking.map((p) => p.message).join(' ')), cookie);
        const [html] = await renderFormats(r.model, ['html']);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PREVIEW_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'X-Frame-Options': 'SAMEORIGIN', ...cookie });
        return void res.end(html!.bytes);
      }
      throw new HttpError(404, msg('serve.notFound'));
    }

    if (method !== 'POST') throw new HttpError(405, msg('serve.badRequest'));
    const known = route === '/start' || route === '/upload' || route === '/download' || route === '/save' || route === '/deviation' || route === '/omit' || /^\/page\/[A-Za-z0-9-]{1,64}$/.test(route);
    if (!known) throw new HttpError(404, msg('serve.notFound'));
    checkOrigin(req);
    const type = req.headers['content-type'] ?? '';

    if (route === '/upload') {
      if (!/^multipart\/form-data/i.test(type)) throw new HttpError(415, msg('serve.badRequest'));
      const parts = parseMultipart(await readBody(req, uploadLimit()), type);
      const s = await postSession(req, port, parts.get('token')?.data.toString('utf8'));
      const file = parts.get('file');
      const t = tFor(s.lang);
      if (!file || !file.data.length) return void send(res, 422, startPageFor(s, t('serve.uploadMissing')));
      const name = path.basename((file.filename ?? 'answers.yaml').replace(/\\/g, '/')) || 'answers.yaml';
      if (file.data.length > getMaxFileBytes()) return void send(res, 413, startPageFor(s, t('serve.tooLarge')));
      try {
        const src = parseYamlSource(decodeText(file.data, name), name);
        if (src.problems.length || !src.value || typeof src.value !== 'object' || Array.isArray(src.value)) {
          return void send(res, 422, startPageFor(s, t('serve.uploadNotAnswers', { file: name })));
        }
        const { answers } = sanitizePartialAnswers(src.value, o.spec, o.context.library);
        s.initial = answers;
        s.responses = {};
        s.started = true;
        s.saved = undefined;
        // A complete answers file was answered to the end (an absent optional answer is an answer);
        // a draft only as far as it goes.
        const complete = AnswersSchema.safeParse(src.value).success;
        const first = await walk(interviewContext(s), s.initial, {}, { acceptDefault: complete ? () => true : answeredIn(o.spec, answers), invalidChoice: text(s.lang, msg('serve.invalidChoice')) });
        s.responses = first.accepted;
        return redirect(res, whereNext(first));
      } catch (e) {
        if (e instanceof UserError) return void send(res, 422, startPageFor(s, t('serve.uploadNotAnswers', { file: name })));
        throw e;
      }
    }

    if (!/^application\/x-www-form-urlencoded/i.test(type)) throw new HttpError(415, msg('serve.badRequest'));
    const form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
    const s = await postSession(req, port, form.get('token'));

    if (route === '/start') {
      const lang = form.get('lang');
      s.lang = lang && o.spec.languages.includes(lang) ? lang : s.lang;
      s.initial = {};
      s.responses = {};
      s.started = true;
      s.saved = undefined;
      return redirect(res, whereNext(await walkOf(s)));
    }
    if (!s.started) return redirect(res, '/');
    const w = await walkOf(s);

    const pageMatch = /^\/page\/([A-Za-z0-9-]{1,64})$/.exec(route);
    if (pageMatch) {
      const page = pageMatch[1]!;
      if (!w.pages.includes(page)) return redirect(res, whereNext(w));
      takeForm(s, w, page, form);
      s.saved = undefined;
      const after = await walkOf(s);
      const index = after.pages.indexOf(page);
      if (form.get('nav') === 'back') return redirect(res, index > 0 ? `/page/${after.pages[index - 1]}` : '/');
      if (after.frontier === page || index === -1) return redirect(res, whereNext(after) === '/summary' ? '/summary' : `/page/${after.frontier ?? page}`);
      const next = after.pages[index + 1];
      return redirect(res, next ? `/page/${next}` : whereNext(after));
    }

    if (!w.done) return redirect(res, whereNext(w));
    if (route === '/download') {
      const format = form.get('format') ?? '';
      if (format !== 'answers' && !(FORMATS as readonly string[]).includes(format)) throw new HttpError(400, msg('serve.badRequest'));
      const r = await results(s, w);
      let bytes: Uint8Array = r.bytes;
      let name = r.file;
      if (format !== 'answers') {
        if (!r.model) return redirect(res, '/summary');
        bytes = (await renderFormats(r.model, [format as Format]))[0]!.bytes;
        name = path.basename(outputPaths(r.file, '.', [format as Format])[0]!.path);
      }
      res.writeHead(200, headers({ 'Content-Type': CONTENT_TYPES[format]!, 'Content-Length': String(bytes.byteLength), 'Content-Disposition': `attachment; filename="${name}"` }));
      return void res.end(bytes);
    }
    if (route === '/deviation') {
      // An accepted deviation from a rule of the policy, with its reason: kept in the answers file
      // (`deviations`), as `build --policy` expects it. An empty reason takes it back.
      const rule = form.get('rule') ?? '';
      if (!o.policy || !o.policy.policy.rules.some((r) => r.id === rule)) throw new HttpError(400, msg('serve.badRequest'));
      const reason = (form.get('reason') ?? '').trim();
      const kept = (Array.isArray(s.initial.deviations) ? (s.initial.deviations as Array<{ rule: string; reason: string }>) : []).filter((d) => d.rule !== rule);
      s.initial.deviations = reason ? [...kept, { rule, reason }] : kept;
      s.saved = undefined;
      return redirect(res, '/summary#policy');
    }
    if (route === '/omit') {
      // Leaving out a clause with a reason, or putting one back: the same choices and the same check of
      // the reason as the terminal's summary screen; kept in the answers file (`omit`).
      const clause = form.get('clause') ?? '';
      const omitted = omissionsOf(s);
      if (form.get('action') === 'restore') {
        if (!omitted.some((x) => x.clause === clause)) throw new HttpError(400, msg('serve.badRequest'));
        s.initial.omit = withOmission(omitted, clause, null);
        s.saved = undefined;
        return redirect(res, '/summary#omit');
      }
      const reason = form.get('reason') ?? '';
      const ctx = interviewContext(s);
      const r = await results(s, w);
      const choice = omitChoices(ctx, r.checked.selection, policyRequired()).find((c) => c.clause === clause);
      const error = !clause ? text(s.lang, msg('serve.omitPick')) : !choice ? text(s.lang, msg('serve.invalidChoice')) : choice.disabled;
      const checked = checkOmitReason(ctx, reason);
      if (error !== undefined || !checked.ok) {
        return void send(res, 422, await summary(s, w, { clause, reason, ...(error !== undefined ? { clauseError: error } : {}), ...(!checked.ok ? { reasonError: checked.error } : {}) }));
      }
      s.initial.omit = withOmission(omitted, clause, checked.reason);
      s.saved = undefined;
      return redirect(res, '/summary#omit');
    }
    if (route === '/save') {
      if (o.out === null || !o.write) throw new HttpError(404, msg('serve.notFound'));
      const r = await results(s, w);
      if (!r.model) return redirect(res, '/summary');
      const targets = outputPaths(r.file, o.out, o.formats);
      const rendered = await renderFormats(r.model, o.formats);
      const files = [{ path: path.resolve(o.out, r.file), bytes: r.bytes }, ...targets.map((x, i) => ({ path: x.path, bytes: rendered[i]!.bytes }))];
      try {
        await o.write(files, o.force);
        s.saved = { files: files.map((f) => f.path) };
      } catch (e) {
        if (!(e instanceof UserError || e instanceof UsageError)) throw e;
        s.saved = { error: e.msg ? say(s.lang, e.msg.key, e.msg.vars) : e.message };
      }
      return redirect(res, '/summary#results');
    }
    throw new HttpError(404, msg('serve.notFound'));
  }

  function startPageFor(s: Session, uploadError?: string): string {
    return startPage({
      frame: frame(s, null, null),
      languages: o.spec.languages.map((code) => ({ code, name: text(code, msg('serve.languageName')) })),
      uploadError,
      resumable: s.started,
    });
  }

  return async (req: http.IncomingMessage, res: http.ServerResponse, port: number): Promise<void> => {
    try {
      await handle(req, res, port);
    } catch (e) {
      const lang = sessionOf(req, port)?.lang ?? defaultLang;
      const t = tFor(lang);
      const status = e instanceof HttpError ? e.status : 500;
      if (e instanceof UserError && !res.headersSent) {
        // The answers given make a file that `build` would refuse (e.g. over an input limit): say why.
        const detail = [e.msg ? text(lang, e.msg) : e.message, ...e.problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`)].join(' ');
        return send(res, 422, errorPage({ lang, token: '', t }, text(lang, msg('serve.blocked')), detail));
      }
      const why = e instanceof HttpError ? e.why : msg('serve.internal');
      if (!(e instanceof HttpError)) console.error(e);
      if (res.headersSent) return void res.destroy();
      send(res, status, errorPage({ lang, token: '', t }, t('serve.refusedTitle', { status }), text(lang, why)), status === 413 ? { Connection: 'close' } : {});
    }
  };
}

/** Where the answers file's `$schema` line points: the schema as shipped in the package. */
const SCHEMA_URL_PATH = 'node_modules/dataklausul/templates/schema/answers.schema.json';

/** Starts the server on host:port (0: any free port) and resolves with its address. */
export function startServer(o: ServeOptions, host: string, port: number): Promise<RunningServer> {
  const handler = createServeHandler(o);
  const server = http.createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 60_000 });
  let bound = 0;
  server.on('request', (req, res) => void handler(req, res, bound));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      bound = (server.address() as AddressInfo).port;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        url: `http://${shown}:${bound}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
