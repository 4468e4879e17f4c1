import { AnswersSchema, readPath, type Answers } from '../core/answers.js';
import { ANSWERS_SCHEMA_VERSION } from '../core/migrations.js';
import { evaluateCondition, selectClauses, type Selection } from '../assemble/select.js';
import type { Library } from '../library/library.js';
import type { LoadedClause } from '../library/load.js';
import { TOPICS, type Condition, type Param, type RequirementLevel } from '../library/schema.js';
import type { ChoiceOption, PromptAdapter } from './adapter.js';
import { fill, type InterviewSpec, type Question, type UiStrings } from './spec.js';
import { dateSchema, numberSchema, orgNumberSchema, textSchema, validator } from './validate.js';

/**
 * The interview flow: walks the questions of `templates/interview.yaml`, then the parameters of the
 * clauses that apply. Pure apart from the prompt adapter: no files, no clock (today's date is
 * passed in), no process.
 *
 * Answers are written into `session.answers` as they are given, so that a cancelled interview can
 * be saved as a draft. Clause parameters: only values that differ from the library default are
 * kept in `params` (a parameter answered with its default is removed), so the answers file stays
 * short and follows later changes of the library defaults.
 */

export interface InterviewContext {
  spec: InterviewSpec;
  /** Interview language (`--lang`, default nb). */
  lang: string;
  library: Library;
  /** Today's date, YYYY-MM-DD: the default appendix date. */
  today: string;
  /** Topic names in the interview language (templates/i18n/<lang>.yaml `topics`). */
  topicNames: Readonly<Record<string, string>>;
}

/** The answers so far; starts as the (sanitised) answers being resumed, if any. */
export interface InterviewSession {
  answers: Record<string, unknown>;
}

export function newSession(initial: Record<string, unknown> = {}): InterviewSession {
  return { answers: { ...structuredClone(initial), schemaVersion: ANSWERS_SCHEMA_VERSION } };
}

export function uiStrings(spec: InterviewSpec, lang: string): UiStrings {
  const ui = spec.ui[lang] ?? spec.ui[spec.languages[0]!];
  if (!ui) throw new Error(`interview.yaml has no UI strings for "${lang}"`);
  return ui;
}

const t = (texts: Readonly<Record<string, string>> | undefined, lang: string): string | undefined => texts?.[lang] ?? (texts ? Object.values(texts)[0] : undefined);

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  if (value === undefined) {
    // Clearing an answer creates nothing, and removes a nested mapping it leaves empty (buyer.partnership).
    const chain: Array<Record<string, unknown>> = [obj];
    for (const k of keys.slice(0, -1)) {
      const next = chain[chain.length - 1]![k];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) return;
      chain.push(next as Record<string, unknown>);
    }
    delete chain[chain.length - 1]![keys[keys.length - 1]!];
    for (let i = chain.length - 1; i > 1 && !Object.keys(chain[i]!).length; i--) delete chain[i - 1]![keys[i - 1]!];
    return;
  }
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** The answers so far as validated Answers, once every required answer has been given. */
function provisional(session: InterviewSession): Answers | null {
  const r = AnswersSchema.safeParse({ ...session.answers, params: {} });
  return r.success ? r.data : null;
}

/** Evaluates a `when` on answers that may still be incomplete (a missing answer is "not answered"). */
function holds(cond: Condition | undefined, session: InterviewSession): boolean {
  return cond ? evaluateCondition(cond, session.answers as unknown as Answers).ok : true;
}

function formatChoices(ctx: InterviewContext, q: Question, session: InterviewSession): ChoiceOption[] {
  const pre = q.preselect!;
  const sectors = new Set<string>(['all', String(session.answers.sector ?? '')]);
  for (const extra of pre.extraSectors) if (holds(extra.when, session)) sectors.add(extra.sector);
  const all = [...ctx.library.formats.values()];
  const suggested = new Set(all.filter((f) => pre.kinds.includes(f.kind) && f.sectors.some((s) => sectors.has(s))).map((f) => f.id));
  const current = readPath(session.answers, q.id);
  const checked = Array.isArray(current) && current.length ? new Set(current.map(String)) : suggested;
  const rank = (id: string, kind: string) => (suggested.has(id) ? 0 : pre.kinds.includes(kind as never) ? 1 : 2);
  return all
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f.id, a.f.kind) - rank(b.f.id, b.f.kind) || a.i - b.i)
    .map(({ f }) => ({ value: f.id, name: `${f.id} – ${f.name}`, checked: checked.has(f.id) }));
}

async function askText(adapter: PromptAdapter, ui: UiStrings, id: string, message: string, help: string | undefined, current: unknown, optional: boolean): Promise<string | undefined> {
  const schema = textSchema(ui.errors, optional);
  const raw = await adapter.input({ id, message, help, default: typeof current === 'string' ? current : undefined, validate: validator(schema) });
  const v = schema.parse(raw);
  return v === '' ? undefined : v;
}

/** `refuse` returns the error for a well-formed number that is wrong here (the buyer's own as a member, a duplicate), else null. */
async function askOrgNumber(adapter: PromptAdapter, ui: UiStrings, id: string, message: string, help: string | undefined, current: unknown, refuse?: (orgNumber: string) => string | null): Promise<string>;
async function askOrgNumber(adapter: PromptAdapter, ui: UiStrings, id: string, message: string, help: string | undefined, current: unknown, refuse: ((orgNumber: string) => string | null) | undefined, optional: boolean): Promise<string | undefined>;
/** With `optional`, an empty answer is no answer (undefined). */
async function askOrgNumber(adapter: PromptAdapter, ui: UiStrings, id: string, message: string, help: string | undefined, current: unknown, refuse?: (orgNumber: string) => string | null, optional = false): Promise<string | undefined> {
  const schema = refuse
    ? orgNumberSchema(ui.errors).superRefine((s, c) => {
        const why = refuse(s);
        if (why) c.addIssue({ code: 'custom', message: why });
      })
    : orgNumberSchema(ui.errors);
  const check = validator(schema);
  const raw = await adapter.input({ id, message, help, default: typeof current === 'string' ? current : undefined, validate: (v) => (optional && !v.trim() ? true : check(v)) });
  return optional && !raw.trim() ? undefined : schema.parse(raw);
}

async function askMembers(ctx: InterviewContext, adapter: PromptAdapter, q: Question, session: InterviewSession): Promise<void> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const existing = (Array.isArray(readPath(session.answers, q.id)) ? (readPath(session.answers, q.id) as Array<Record<string, unknown>>) : []).slice();
  const any = await adapter.confirm({ id: q.id, message: t(q.text, ctx.lang)!, help: t(q.help, ctx.lang), default: existing.length > 0 });
  const members: Array<Record<string, string>> = [];
  setPath(session.answers, q.id, members);
  if (!any) return;
  for (let i = 0; ; i++) {
    const before = existing[i] ?? {};
    const member: Record<string, string> = {};
    // A member is never the buyer itself, nor a member already listed (the answers schema refuses both).
    const refuse = (s: string): string | null => {
      const shown = s.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
      if (s === readPath(session.answers, 'buyer.orgNumber')) return fill(ui.errors.memberIsBuyer, { value: shown });
      const earlier = members.findIndex((m) => m.orgNumber === s);
      return earlier >= 0 ? fill(ui.errors.memberTwice, { value: shown, n: earlier + 1 }) : null;
    };
    for (const f of q.fields ?? []) {
      const fid = `${q.id}.${f.id}`;
      const message = `${fill(ui.member, { n: i + 1 })}: ${t(f.text, ctx.lang)!}`;
      let value: string | undefined;
      if (f.type === 'orgnr') value = await askOrgNumber(adapter, ui, fid, message, t(f.help, ctx.lang), before[f.id], refuse);
      else if (f.type === 'select') {
        const choices = (f.choices ?? []).map((c) => ({ value: c.value, name: t(c.label, ctx.lang)! }));
        const def = [before[f.id], f.default].find((v): v is string => typeof v === 'string' && choices.some((c) => c.value === v));
        value = await adapter.select({ id: fid, message, help: t(f.help, ctx.lang), choices, default: def });
      } else value = await askText(adapter, ui, fid, message, t(f.help, ctx.lang), before[f.id], false);
      if (value !== undefined) member[f.id] = value;
    }
    members.push(member);
    const more = await adapter.confirm({ id: `${q.id}.more`, message: t(q.more, ctx.lang)!, default: i + 1 < existing.length });
    if (!more) return;
  }
}

/** "Eierskap og …" → "eierskap og …", but "APIs and …" stays. */
const lowerFirst = (s: string) => (/^\p{Lu}\p{Lu}/u.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));

/** Topics that carry requirements in the selection, and the level the library gives each. */
function requirementTopics(selection: Selection): Array<{ topic: string; level: RequirementLevel }> {
  const out: Array<{ topic: string; level: RequirementLevel }> = [];
  for (const topic of TOPICS) {
    const levels = selection.included.filter((c) => c.clause.meta.topic === topic && c.clause.meta.requirement).map((c) => c.clause.meta.requirement!.level);
    if (levels.length) out.push({ topic, level: levels.every((l) => l === 'skal') ? 'skal' : 'bør' });
  }
  return out;
}

function selectionNow(ctx: InterviewContext, session: InterviewSession): Selection {
  const answers = provisional(session);
  if (!answers) throw new Error('the interview reached a question that needs the whole selection before every required answer was given; check the order in templates/interview.yaml');
  return selectClauses(answers, ctx.library);
}

async function askLevels(ctx: InterviewContext, adapter: PromptAdapter, q: Question, session: InterviewSession): Promise<void> {
  const topics = requirementTopics(selectionNow(ctx, session));
  const current = (readPath(session.answers, q.id) ?? {}) as Record<string, string>;
  const allSkal = await adapter.confirm({ id: q.id, message: t(q.text, ctx.lang)!, help: t(q.help, ctx.lang), default: Object.values(current).every((v) => v === 'skal') });
  const levels: Record<string, RequirementLevel> = {};
  if (allSkal) {
    // Only topics whose library level is not already "skal" need to be raised.
    for (const { topic, level } of topics) if (level !== 'skal') levels[topic] = 'skal';
  } else {
    setPath(session.answers, q.id, levels);
    for (const { topic, level } of topics) {
      const choices = (q.choices ?? []).map((c) => ({ value: c.value as RequirementLevel, name: t(c.label, ctx.lang)! }));
      levels[topic] = await adapter.select({
        id: `${q.id}.${topic}`,
        message: fill(t(q.topic, ctx.lang)!, { topic: lowerFirst(ctx.topicNames[topic] ?? topic) }),
        choices,
        default: (current[topic] as RequirementLevel | undefined) ?? level,
      });
    }
  }
  setPath(session.answers, q.id, Object.keys(levels).length ? levels : undefined);
}

async function askQuestion(ctx: InterviewContext, adapter: PromptAdapter, q: Question, session: InterviewSession): Promise<void> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const message = t(q.text, ctx.lang)!;
  const help = t(q.help, ctx.lang);
  const current = readPath(session.answers, q.id);
  switch (q.type) {
    case 'text':
      setPath(session.answers, q.id, await askText(adapter, ui, q.id, message, help, current ?? q.default, !!q.optional));
      return;
    case 'orgnr': {
      // The host of a partnership is the buyer or one of its members.
      const refuse =
        q.id === 'buyer.partnership.host'
          ? (s: string): string | null => {
              const members = readPath(session.answers, 'buyer.members');
              const known = [readPath(session.answers, 'buyer.orgNumber'), ...(Array.isArray(members) ? members.map((m) => readPath(m, 'orgNumber')) : [])];
              return known.includes(s) ? null : fill(ui.errors.hostUnknown, { value: s.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3') });
            }
          : undefined;
      // A vertskommunesamarbeid needs its host; a kontorkommune may be left out.
      const optional = !!q.optional && !(q.id === 'buyer.partnership.host' && readPath(session.answers, 'buyer.partnership.legalForm') === 'host-municipality');
      setPath(session.answers, q.id, await askOrgNumber(adapter, ui, q.id, message, help, current, refuse, optional));
      return;
    }
    case 'confirm':
      setPath(session.answers, q.id, await adapter.confirm({ id: q.id, message, help, default: typeof current === 'boolean' ? current : q.default === true }));
      return;
    case 'select': {
      // The appendix language: only the languages every loaded library is written in.
      // A choice with a `when` is offered only when its condition holds on the answers so far.
      const offered = (q.id === 'language' ? (q.choices ?? []).filter((c) => ctx.library.languages.includes(c.value)) : (q.choices ?? [])).filter((c) => holds(c.when, session));
      const choices = offered.map((c) => ({ value: c.value, name: t(c.label, ctx.lang)! }));
      const fallback = q.id === 'language' ? ctx.lang : q.default;
      const def = [current, fallback].find((v): v is string => typeof v === 'string' && choices.some((c) => c.value === v));
      setPath(session.answers, q.id, await adapter.select({ id: q.id, message, help, choices, default: def }));
      return;
    }
    case 'checkbox': {
      const chosen = new Set(Array.isArray(current) ? current.map(String) : Array.isArray(q.default) ? q.default : []);
      const choices = (q.choices ?? []).map((c) => ({ value: c.value, name: t(c.label, ctx.lang)!, checked: chosen.has(c.value) }));
      setPath(session.answers, q.id, await adapter.checkbox({ id: q.id, message, help, choices, atLeastOne: ui.errors.atLeastOne }));
      return;
    }
    case 'formats':
      setPath(session.answers, q.id, await adapter.checkbox({ id: q.id, message, help, choices: formatChoices(ctx, q, session), atLeastOne: ui.errors.atLeastOne }));
      return;
    case 'number': {
      const schema = numberSchema(ui.errors, { integer: true, min: q.min, max: q.max, example: typeof q.default === 'number' ? q.default : (q.min ?? 1) });
      const def = typeof current === 'number' ? current : typeof q.default === 'number' ? q.default : undefined;
      const raw = await adapter.input({ id: q.id, message, help, default: def === undefined ? undefined : String(def), validate: validator(schema) });
      setPath(session.answers, q.id, schema.parse(raw));
      return;
    }
    case 'date': {
      const schema = dateSchema(ui.errors);
      const def = typeof current === 'string' ? current : q.default === 'today' || q.default === undefined ? ctx.today : String(q.default);
      const raw = await adapter.input({ id: q.id, message, help, default: def, validate: validator(schema) });
      setPath(session.answers, q.id, schema.parse(raw));
      return;
    }
    case 'members':
      return askMembers(ctx, adapter, q, session);
    case 'levels':
      return askLevels(ctx, adapter, q, session);
  }
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function askParam(ctx: InterviewContext, adapter: PromptAdapter, clause: LoadedClause, name: string, p: Param, current: unknown): Promise<unknown> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const id = `params.${clause.meta.id}.${name}`;
  const message = clause.texts[ctx.lang]?.questions[name] ?? Object.values(clause.texts).find((x) => x.questions[name])?.questions[name] ?? `${clause.meta.id} › ${name}`;
  switch (p.type) {
    case 'integer':
    case 'amount':
    case 'duration': {
      const schema = numberSchema(ui.errors, { integer: p.type !== 'amount', min: p.min, max: p.max, example: p.default });
      const def = typeof current === 'number' ? current : p.default;
      return schema.parse(await adapter.input({ id, message, default: String(def), validate: validator(schema) }));
    }
    case 'enum':
      return adapter.select({ id, message, choices: p.values.map((v) => ({ value: v, name: v })), default: typeof current === 'string' && p.values.includes(current) ? current : p.default });
    case 'boolean':
      return adapter.confirm({ id, message, default: typeof current === 'boolean' ? current : p.default });
    case 'text': {
      const schema = textSchema(ui.errors);
      return schema.parse(await adapter.input({ id, message, default: typeof current === 'string' ? current : p.default, validate: validator(schema) }));
    }
    case 'formats': {
      const chosen = new Set(Array.isArray(current) ? current.map(String) : p.default);
      const choices = [...ctx.library.formats.values()].map((f) => ({ value: f.id, name: `${f.id} – ${f.name}`, checked: chosen.has(f.id) }));
      return adapter.checkbox({ id, message, choices, atLeastOne: ui.errors.atLeastOne });
    }
  }
}

async function askParams(ctx: InterviewContext, adapter: PromptAdapter, session: InterviewSession): Promise<Selection> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const selection = selectionNow(ctx, session);
  const given = (session.answers.params ?? {}) as Record<string, Record<string, unknown>>;
  const params: Record<string, Record<string, unknown>> = {};
  // Keep what was resumed until it is asked again, so a cancel here loses nothing.
  for (const [k, v] of Object.entries(given)) params[k] = { ...v };
  session.answers.params = params;
  const included = new Set(selection.included.map((c) => c.clause.meta.id));
  for (const id of Object.keys(params)) if (!included.has(id)) delete params[id];
  // Parameters with their own condition in interview.yaml (the amounts of the chosen price models)
  // are always asked; the others (deadlines, quotas, …) only if the user wants to go through them,
  // so that a first-time user can accept the library's defaults in one answer.
  const relevant = selection.included.map((inc) => ({
    clause: inc.clause,
    params: Object.entries(inc.clause.meta.params).filter(([name]) => holds(ctx.spec.params.when[`${inc.clause.meta.id}.${name}`], session)),
  }));
  const isEssential = (clauseId: string, name: string) => ctx.spec.params.when[`${clauseId}.${name}`] !== undefined;
  const optional = relevant.reduce((n, r) => n + r.params.filter(([name]) => !isEssential(r.clause.meta.id, name)).length, 0);
  const adjust = optional > 0 && (await adapter.confirm({ id: 'params.adjust', message: fill(ui.paramsAdjust, { count: String(optional) }), help: ui.paramsAdjustHelp, default: true }));
  let headed = false;
  for (const { clause, params: candidates } of relevant) {
    const asked = candidates.filter(([name]) => adjust || isEssential(clause.meta.id, name));
    if (!asked.length) continue;
    if (!headed) {
      adapter.say(`\n${ui.paramsHeading}`);
      headed = true;
    }
    const title = clause.texts[ctx.lang]?.title ?? Object.values(clause.texts)[0]?.title ?? '';
    adapter.say(`\n${fill(ui.paramPrefix, { id: clause.meta.id })} ${title}`);
    for (const [name, p] of asked) {
      const value = await askParam(ctx, adapter, clause, name, p, params[clause.meta.id]?.[name]);
      if (sameValue(value, p.default)) {
        if (params[clause.meta.id]) delete params[clause.meta.id]![name];
      } else {
        params[clause.meta.id] = { ...params[clause.meta.id], [name]: value };
      }
      if (params[clause.meta.id] && !Object.keys(params[clause.meta.id]!).length) delete params[clause.meta.id];
    }
  }
  if (!Object.keys(params).length) delete session.answers.params;
  return selection;
}

export interface InterviewResult {
  answers: Answers;
  selection: Selection;
}

/**
 * Runs the whole interview. Throws InterviewCancelled (from the adapter) on Ctrl-C, leaving the
 * answers so far in `session`.
 */
export async function runInterview(ctx: InterviewContext, adapter: PromptAdapter, session: InterviewSession): Promise<InterviewResult> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  adapter.say(ui.intro);
  for (const q of ctx.spec.questions) {
    if (!holds(q.when, session)) {
      setPath(session.answers, q.id, q.ifSkipped);
      continue;
    }
    await askQuestion(ctx, adapter, q, session);
  }
  await askParams(ctx, adapter, session);
  const answers = AnswersSchema.parse(session.answers);
  return { answers, selection: selectClauses(answers, ctx.library) };
}

function describeValue(ctx: InterviewContext, q: Question, value: unknown, ui: UiStrings): string {
  if (value === undefined || (Array.isArray(value) && !value.length && q.type !== 'members')) return ui.unanswered;
  switch (q.type) {
    case 'confirm':
      return value ? ui.yes : ui.no;
    case 'select': {
      const c = q.choices?.find((x) => x.value === value);
      return c ? t(c.label, ctx.lang)! : String(value);
    }
    case 'members': {
      const list = value as Array<{ name: string; orgNumber: string; role?: string }>;
      const role = q.fields?.find((f) => f.id === 'role');
      const roleName = (r: string | undefined) => {
        const c = r === undefined ? undefined : role?.choices?.find((x) => x.value === r);
        return c ? ` – ${t(c.label, ctx.lang)!}` : '';
      };
      return list.length ? list.map((m) => `${m.name} (${m.orgNumber})${roleName(m.role)}`).join('; ') : ui.none;
    }
    case 'levels': {
      const entries = Object.entries(value as Record<string, string>);
      return entries.length ? entries.map(([k, v]) => `${ctx.topicNames[k] ?? k}: ${v}`).join(', ') : ui.yes;
    }
    case 'formats':
    case 'checkbox':
      return (value as unknown[]).join(', ');
    default:
      return String(value);
  }
}

/** The summary shown before writing: every answer given, the parameters set, and the clauses included. */
export function summarise(ctx: InterviewContext, result: InterviewResult): string {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const lines = [`\n${ui.summaryHeading}`];
  for (const q of ctx.spec.questions) {
    if (!holds(q.when, { answers: result.answers as unknown as Record<string, unknown> })) continue;
    const value = readPath(result.answers, q.id);
    if (q.optional && value === undefined) continue;
    lines.push(`  ${t(q.text, ctx.lang)!.replace(/\s*\?$/, '')}: ${q.type === 'levels' && !Object.keys(result.answers.requirementLevels).length ? ui.yes : describeValue(ctx, q, value, ui)}`);
  }
  for (const [id, values] of Object.entries(result.answers.params)) {
    for (const [name, v] of Object.entries(values)) lines.push(`  ${id} › ${name}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  }
  const outLang = result.answers.language;
  lines.push('', fill(ui.clausesHeading, { count: result.selection.included.length }));
  const w = Math.max(...result.selection.included.map((c) => c.clause.meta.id.length));
  for (const inc of result.selection.included) {
    const title = inc.clause.texts[outLang]?.title ?? inc.clause.texts[ctx.lang]?.title ?? '';
    lines.push(`  ${inc.clause.meta.id.padEnd(w)}  ${title}`);
  }
  return lines.join('\n');
}

/** Shows the summary and asks whether to write. */
export async function confirmWrite(ctx: InterviewContext, adapter: PromptAdapter, result: InterviewResult, target: { file: string; formats: readonly string[] }): Promise<boolean> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  adapter.say(summarise(ctx, result));
  return adapter.confirm({ id: 'confirm', message: fill(ui.confirmWrite, { file: target.file, formats: target.formats.join(', ') }), default: true });
}
