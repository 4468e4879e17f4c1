import { AnswersSchema, readPath, type Answers } from '../core/answers.js';
import { ANSWERS_SCHEMA_VERSION } from '../core/migrations.js';
import { evaluateCondition, selectClauses, type Selection } from '../assemble/select.js';
import type { AnswerNames } from '../assemble/reasons.js';
import type { Library } from '../library/library.js';
import type { LoadedClause } from '../library/load.js';
import { TOPICS, type Condition, type Param, type RequirementLevel } from '../library/schema.js';
import type { ChoiceOption, PromptAdapter } from './adapter.js';
import { fill, sectionOf, type FormatGroup, type InterviewSpec, type Question, type UiStrings } from './spec.js';
import type { I18n } from '../core/i18n.js';
import { formatAmount, formatDate, formatDuration, formatList, formatNumber } from '../assemble/helpers.js';
import { FORMAT_KINDS, isExportable, kindsOf, localName } from '../core/format-kinds.js';
import { derivedExportMatrix, exportMatrix } from '../assemble/export-matrix.js';
import type { FormatEntry } from '../library/schema.js';
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
  /** Number, amount and duration formats of the interview language (templates/i18n/<lang>.yaml). */
  i18n: I18n;
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

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The pre-ticked formats whose preset holds, each with its reason in the interview language (the first reason wins). */
export function presetReasons(ctx: InterviewContext, q: Question, session: InterviewSession): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of q.presets ?? []) {
    if (!holds(p.when, session)) continue;
    for (const id of p.formats) if (!out.has(id)) out.set(id, t(p.reason, ctx.lang)!);
  }
  return out;
}

/**
 * The groups of the formats question that are asked now, and for each the registry entries it offers: an entry is
 * offered in the group of its own kind, else (that group not asked) in the first asked group of one of its `alsoKinds`.
 */
export function formatGroups(ctx: InterviewContext, q: Question, session: InterviewSession): Array<{ group: FormatGroup; entries: FormatEntry[] }> {
  const asked = (q.groups ?? []).filter((g) => holds(g.when, session));
  const all = [...ctx.library.formats.values()];
  const home = (f: FormatEntry) => asked.find((g) => g.kinds.includes(f.kind)) ?? asked.find((g) => kindsOf(f).some((k) => g.kinds.includes(k)));
  return asked.map((group) => ({ group, entries: all.filter((f) => home(f) === group) }));
}

/**
 * The formats question: one checkbox per group of kinds (what the data is exported as; which API specifications;
 * which metadata standard), pre-ticked from the presets with their reasons (or from the answers being resumed), all
 * written to the flat list `formats`. Then the export matrix those answers give is shown, and the officer may set
 * the formats of each kind of data (`exportMatrix`, only the rows that differ from the derived ones).
 */
async function askFormats(ctx: InterviewContext, adapter: PromptAdapter, q: Question, session: InterviewSession): Promise<void> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const current = readPath(session.answers, q.id);
  const resumed = Array.isArray(current) && current.length ? new Set(current.map(String)) : null;
  const reasons = presetReasons(ctx, q, session);
  const groups = formatGroups(ctx, q, session);
  const picked = new Map<string, string[]>();
  // Until a group is answered, its share of the resumed answers stays (a cancel loses nothing).
  const write = () => {
    const list = groups.flatMap(({ group, entries }) => picked.get(group.id) ?? entries.filter((f) => resumed?.has(f.id)).map((f) => f.id));
    setPath(session.answers, q.id, list.length ? list : undefined);
  };
  write();
  for (const { group, entries } of groups) {
    if (!entries.length) continue;
    const checked = resumed ?? new Set(reasons.keys());
    const rank = (f: FormatEntry) => (reasons.has(f.id) ? 0 : 1);
    const choices = entries
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => {
        const reason = reasons.get(f.id);
        return { value: f.id, name: `${f.id} – ${localName(f.name, ctx.lang)}${reason ? ` (${fill(ui.suggested, { reason })})` : ''}`, checked: checked.has(f.id) };
      });
    const chosen = await adapter.checkbox({ id: group.id, message: t(group.text, ctx.lang)!, help: t(group.help, ctx.lang), choices, ...(group.required ? { atLeastOne: ui.errors.atLeastOne } : {}) });
    picked.set(group.id, [...chosen]);
    write();
  }
  await askExportMatrix(ctx, adapter, q, session);
}

async function askExportMatrix(ctx: InterviewContext, adapter: PromptAdapter, q: Question, session: InterviewSession): Promise<void> {
  const m = q.matrix;
  const partial = session.answers as unknown as Answers;
  if (!m || !Array.isArray(partial.formats)) return;
  const derived = derivedExportMatrix(partial, ctx.library);
  if (!derived.length) {
    setPath(session.answers, 'exportMatrix', undefined);
    return;
  }
  const name = (kind: string) => localName(ctx.library.dataKinds.get(kind)?.name ?? kind, ctx.lang);
  const fname = (id: string) => localName(ctx.library.formats.get(id)?.name ?? id, ctx.lang);
  const given = (readPath(session.answers, 'exportMatrix') ?? {}) as Record<string, string[]>;
  adapter.say(`\n${t(m.heading, ctx.lang)!}\n${derived.map((r) => `  ${name(r.kind)}: ${r.formats.map(fname).join(', ')}`).join('\n')}`);
  const keep = await adapter.confirm({ id: 'exportMatrix', message: t(m.text, ctx.lang)!, help: t(m.help, ctx.lang), default: Object.keys(given).length === 0 });
  if (keep) {
    setPath(session.answers, 'exportMatrix', undefined);
    return;
  }
  const rows: Record<string, string[]> = {};
  for (const r of derived) {
    const dk = ctx.library.dataKinds.get(r.kind);
    const offered = partial.formats.filter((id) => {
      const f = ctx.library.formats.get(id);
      return f !== undefined && isExportable(f) && (!dk || kindsOf(f).some((k) => dk.accepts.includes(k)));
    });
    const checked = new Set(given[r.kind] ?? r.formats);
    const chosen = await adapter.checkbox({
      id: `exportMatrix.${r.kind}`,
      message: fill(t(m.row, ctx.lang)!, { kind: name(r.kind) }),
      choices: offered.map((id) => ({ value: id, name: `${id} – ${fname(id)}`, checked: checked.has(id) })),
    });
    // The same formats in another order are the derived row.
    if (!sameValue([...chosen].sort(), [...r.formats].sort())) rows[r.kind] = [...chosen];
  }
  setPath(session.answers, 'exportMatrix', Object.keys(rows).length ? rows : undefined);
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
    case 'confirm': {
      // A default that depends on the answers so far (e.g. the sector) is shown with its reason.
      const preset = (q.defaults ?? []).find((d) => holds(d.when, session));
      const def = typeof current === 'boolean' ? current : preset ? preset.value === true : q.default === true;
      const because = preset && def === (preset.value === true) ? fill(ui.defaultBecause, { value: def ? ui.yes : ui.no, reason: t(preset.reason, ctx.lang)! }) : undefined;
      setPath(session.answers, q.id, await adapter.confirm({ id: q.id, message, help: [help, because].filter(Boolean).join(' ') || undefined, default: def }));
      return;
    }
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
      return askFormats(ctx, adapter, q, session);
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


/** A clause's text in the interview language, else its first. */
const clauseText = (ctx: InterviewContext, clause: LoadedClause) => clause.texts[ctx.lang] ?? Object.values(clause.texts)[0];

/** The words for an enum parameter's value, from the clause's front matter (`choices`); the id if it has none. */
function enumLabel(ctx: InterviewContext, clause: LoadedClause, name: string, value: string): string {
  return clauseText(ctx, clause)?.choices[name]?.[value] ?? Object.values(clause.texts).find((x) => x.choices[name]?.[value])?.choices[name]?.[value] ?? value;
}

async function askParam(ctx: InterviewContext, adapter: PromptAdapter, clause: LoadedClause, name: string, p: Param, current: unknown, chosenFormats: readonly string[]): Promise<unknown> {
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
      return adapter.select({ id, message, choices: p.values.map((v) => ({ value: v, name: enumLabel(ctx, clause, name, v) })), default: typeof current === 'string' && p.values.includes(current) ? current : p.default });
    case 'boolean':
      return adapter.confirm({ id, message, default: typeof current === 'boolean' ? current : p.default });
    case 'text': {
      const schema = textSchema(ui.errors);
      return schema.parse(await adapter.input({ id, message, default: typeof current === 'string' ? current : p.default, validate: validator(schema) }));
    }
    case 'formats': {
      // Not answered yet: the default's formats that are among the chosen ones (so the clause names no format the
      // export matrix leaves out), or the default if none is.
      const picked = p.default.filter((id) => chosenFormats.includes(id));
      const chosen = new Set(Array.isArray(current) ? current.map(String) : picked.length ? picked : p.default);
      const choices = [...ctx.library.formats.values()].filter((f) => !p.kinds || kindsOf(f).some((k) => p.kinds!.includes(k))).map((f) => ({ value: f.id, name: `${f.id} – ${localName(f.name, ctx.lang)}`, checked: chosen.has(f.id) }));
      return adapter.checkbox({ id, message, choices, atLeastOne: ui.errors.atLeastOne });
    }
  }
}

async function askParams(ctx: InterviewContext, adapter: PromptAdapter, session: InterviewSession, opts: { all?: boolean } = {}): Promise<Selection> {
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
  const adjust = opts.all ? true : optional > 0 && (await adapter.confirm({ id: 'params.adjust', message: fill(ui.paramsAdjust, { count: String(optional) }), help: ui.paramsAdjustHelp, default: true }));
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
      const value = await askParam(ctx, adapter, clause, name, p, params[clause.meta.id]?.[name], Array.isArray(session.answers.formats) ? (session.answers.formats as string[]) : []);
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
  return finish(ctx, session);
}

/** Keeps a parameter value in `session.answers.params` only if it differs from the library default. */
function storeParam(session: InterviewSession, clauseId: string, name: string, p: Param, value: unknown): void {
  const params = ((session.answers.params ??= {}) as Record<string, Record<string, unknown>>);
  if (sameValue(value, p.default)) {
    if (params[clauseId]) delete params[clauseId]![name];
  } else {
    params[clauseId] = { ...params[clauseId], [name]: value };
  }
  if (params[clauseId] && !Object.keys(params[clauseId]!).length) delete params[clauseId];
  if (!Object.keys(params).length) delete session.answers.params;
}

/** The answers as validated Answers and the clauses they select. */
function finish(ctx: InterviewContext, session: InterviewSession): InterviewResult {
  const answers = AnswersSchema.parse(session.answers);
  return { answers, selection: selectClauses(answers, ctx.library) };
}

const ts = (ctx: InterviewContext, texts: Readonly<Record<string, string>>) => t(texts, ctx.lang)!;

/** Whether a question has a usable answer in the session (a changed answer elsewhere may have made it stale). */
function answeredWell(q: Question, value: unknown, session: InterviewSession): boolean {
  switch (q.type) {
    case 'text':
      return q.optional ? value === undefined || typeof value === 'string' : typeof value === 'string';
    case 'orgnr':
    case 'date':
      return typeof value === 'string';
    case 'confirm':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'select':
      // A choice that is no longer offered (e.g. a fixed price after switching to SaaS) is asked again.
      return typeof value === 'string' && (q.choices ?? []).some((c) => c.value === value && holds(c.when, session));
    case 'checkbox':
      return Array.isArray(value);
    case 'formats':
      return Array.isArray(value) && value.length > 0;
    case 'members':
      return Array.isArray(value);
    case 'levels':
      return true;
  }
}

/** `<clause>.<param>` for every parameter of an included clause whose own condition in interview.yaml holds. */
function essentialParams(ctx: InterviewContext, session: InterviewSession): Set<string> {
  const out = new Set<string>();
  const answers = provisional(session);
  if (!answers) return out;
  for (const inc of selectClauses(answers, ctx.library).included) {
    for (const name of Object.keys(inc.clause.meta.params)) {
      const key = `${inc.clause.meta.id}.${name}`;
      const cond = ctx.spec.params.when[key];
      if (cond && holds(cond, session)) out.add(key);
    }
  }
  return out;
}

/**
 * After answers were changed: every later question whose condition changed is asked or skipped,
 * an answer that is no longer valid is asked again, parameters of clauses that left the appendix
 * are dropped, and the amounts of a newly chosen price model are asked.
 */
async function reconcile(ctx: InterviewContext, adapter: PromptAdapter, session: InterviewSession, essentialBefore: ReadonlySet<string>): Promise<void> {
  for (const q of ctx.spec.questions) {
    if (!holds(q.when, session)) {
      setPath(session.answers, q.id, q.ifSkipped);
      continue;
    }
    if (!answeredWell(q, readPath(session.answers, q.id), session)) await askQuestion(ctx, adapter, q, session);
  }
  const answers = provisional(session);
  if (!answers) return;
  const included = new Set(selectClauses(answers, ctx.library).included.map((c) => c.clause.meta.id));
  const params = (session.answers.params ?? {}) as Record<string, Record<string, unknown>>;
  const essentialNow = essentialParams(ctx, session);
  for (const id of Object.keys(params)) {
    if (!included.has(id)) {
      delete params[id];
      continue;
    }
    // An amount of a price model no longer chosen is dropped with it.
    for (const name of Object.keys(params[id]!)) if (essentialBefore.has(`${id}.${name}`) && !essentialNow.has(`${id}.${name}`)) delete params[id]![name];
    if (!Object.keys(params[id]!).length) delete params[id];
  }
  if (!Object.keys(params).length) delete session.answers.params;
  for (const key of essentialNow) {
    if (essentialBefore.has(key)) continue;
    const dot = key.lastIndexOf('.');
    const clause = ctx.library.byId.get(key.slice(0, dot))!;
    const name = key.slice(dot + 1);
    const p = clause.meta.params[name]!;
    const current = ((session.answers.params ?? {}) as Record<string, Record<string, unknown>>)[clause.meta.id]?.[name];
    storeParam(session, clause.meta.id, name, p, await askParam(ctx, adapter, clause, name, p, current, Array.isArray(session.answers.formats) ? (session.answers.formats as string[]) : []));
  }
}

/** "Change an answer": pick a section, answer its questions again with the current answers as defaults. */
async function editSection(ctx: InterviewContext, adapter: PromptAdapter, session: InterviewSession): Promise<void> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const choices: ChoiceOption[] = [
    ...ctx.spec.sections.map((sec) => ({ value: sec.id, name: ts(ctx, sec.label) })),
    { value: 'params', name: ui.paramsSection },
    { value: 'back', name: ui.back },
  ];
  const which = await adapter.select({ id: 'edit', message: ui.editWhich, choices, default: ctx.spec.sections[0]!.id });
  if (which === 'back') return;
  const before = essentialParams(ctx, session);
  if (which === 'params') {
    await askParams(ctx, adapter, session, { all: true });
    return;
  }
  const sections = sectionOf(ctx.spec);
  for (const q of ctx.spec.questions) {
    if (sections.get(q.id) !== which) continue;
    if (!holds(q.when, session)) setPath(session.answers, q.id, q.ifSkipped);
    else await askQuestion(ctx, adapter, q, session);
  }
  await reconcile(ctx, adapter, session, before);
}

export interface Omission {
  clause: string;
  reason: string;
}

const omissionsOf = (session: InterviewSession): Omission[] => (Array.isArray(session.answers.omit) ? (session.answers.omit as Omission[]) : []);

/** Title and topic of a clause in the interview language, to tell two "Datalokasjon" apart. */
function clauseName(ctx: InterviewContext, clause: LoadedClause): string {
  const topic = ctx.topicNames[clause.meta.topic];
  return `${clauseText(ctx, clause)?.title ?? clause.meta.id}${topic ? ` (${lowerFirst(topic)})` : ''}`;
}

export interface OmitChoice {
  clause: string;
  /** Title and topic in the interview language. */
  name: string;
  /** Why it cannot be left out (another included clause requires it, or the policy does); absent when it can. */
  disabled?: string;
}

/**
 * The clauses the officer may leave out: every included clause, by title and topic. One that another included
 * clause `requires` (or the policy requires, with `policyRequired`) is listed with why it cannot be chosen. The
 * terminal's "leave out a clause" and the web summary offer exactly these.
 */
export function omitChoices(ctx: InterviewContext, selection: Selection, policyRequired: { name: string; clauses: ReadonlySet<string> } | null = null): OmitChoice[] {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const requiredBy = new Map<string, string[]>();
  for (const inc of selection.included) {
    for (const req of inc.clause.meta.requires) requiredBy.set(req, [...(requiredBy.get(req) ?? []), `«${clauseText(ctx, inc.clause)?.title ?? inc.clause.meta.id}»`]);
  }
  return selection.included.map((inc) => {
    const id = inc.clause.meta.id;
    const by = requiredBy.get(id);
    // The policy's requirement first: leaving out the clauses that require it would not free it.
    const disabled = policyRequired?.clauses.has(id) ? fill(ui.omitRequiredByPolicy, { policy: policyRequired.name }) : by ? fill(ui.omitRequiredBy, { clauses: formatList(by, ctx.i18n) }) : undefined;
    return { clause: id, name: clauseName(ctx, inc.clause), ...(disabled ? { disabled } : {}) };
  });
}

/** The clauses left out so far (answers `omit`), by name, with their reasons. */
export function omittedChoices(ctx: InterviewContext, omitted: ReadonlyArray<Omission>): Array<Omission & { name: string }> {
  return omitted.map((o) => {
    const c = ctx.library.byId.get(o.clause);
    return { ...o, name: c ? clauseName(ctx, c) : o.clause };
  });
}

/** Checks a reason for leaving a clause out as the terminal does: the reason, trimmed, or the message. */
export function checkOmitReason(ctx: InterviewContext, reason: string): { ok: true; reason: string } | { ok: false; error: string } {
  const r = textSchema(uiStrings(ctx.spec, ctx.lang).errors, false).safeParse(reason);
  return r.success ? { ok: true, reason: r.data } : { ok: false, error: r.error.issues[0]!.message };
}

/** The answers' `omit` with one clause left out (replacing an earlier reason for it) or put back. */
export function withOmission(omitted: ReadonlyArray<Omission>, clause: string, reason: string | null): Omission[] {
  const rest = omitted.filter((o) => o.clause !== clause);
  return reason === null ? rest : [...rest, { clause, reason }];
}

/**
 * "Leave out a clause": pick one of the included clauses by title and give a reason; or put back one
 * left out before. A clause that another included clause requires is shown but cannot be chosen.
 */
async function omitClause(ctx: InterviewContext, adapter: PromptAdapter, session: InterviewSession, selection: Selection): Promise<void> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const omitted = omissionsOf(session);
  const choices: ChoiceOption[] = [
    ...omitChoices(ctx, selection).map((c) => ({ value: c.clause, name: c.name, ...(c.disabled ? { disabled: c.disabled } : {}) })),
    ...omittedChoices(ctx, omitted).map((o) => ({ value: `restore:${o.clause}`, name: fill(ui.omitRestore, { title: o.name, reason: o.reason }) })),
    { value: 'back', name: ui.back },
  ];
  const which = await adapter.select({ id: 'omit', message: ui.omitWhich, choices, default: 'back' });
  if (which === 'back') return;
  if (which.startsWith('restore:')) {
    const rest = withOmission(omitted, which.slice('restore:'.length), null);
    setPath(session.answers, 'omit', rest.length ? rest : undefined);
    return;
  }
  const clause = ctx.library.byId.get(which)!;
  const reason = await askText(adapter, ui, 'omit.reason', fill(ui.omitReason, { title: clauseText(ctx, clause)?.title ?? which }), ui.omitReasonHelp, undefined, false);
  setPath(session.answers, 'omit', withOmission(omitted, which, reason!));
}

function describeValue(ctx: InterviewContext, q: Question, value: unknown, ui: UiStrings, result: InterviewResult): string {
  if (q.type === 'levels') return describeLevels(ctx, q, result, ui);
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
    case 'checkbox':
      return (value as unknown[]).map((v) => t(q.choices?.find((c) => c.value === v)?.label, ctx.lang) ?? String(v)).join(', ');
    case 'formats':
      return formatList((value as unknown[]).map((v) => formatName(ctx, String(v))), ctx.i18n);
    case 'number':
      return formatNumber(value as number, ctx.i18n);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value, ctx.i18n) : String(value);
    default:
      return String(value);
  }
}

/**
 * The requirement levels as they will be in the appendix: each topic's level after the answers
 * (`requirementLevels`) over the library's levels, not just the topics the answers changed.
 */
function describeLevels(ctx: InterviewContext, q: Question, result: InterviewResult, ui: UiStrings): string {
  const byLevel = new Map<RequirementLevel, string[]>();
  for (const topic of TOPICS) {
    const levels = result.selection.included
      .filter((c) => c.clause.meta.topic === topic && c.clause.meta.requirement)
      .map((c) => result.answers.requirementLevels[topic] ?? c.clause.meta.requirement!.level);
    for (const level of new Set(levels)) byLevel.set(level, [...(byLevel.get(level) ?? []), lowerFirst(ctx.topicNames[topic] ?? topic)]);
  }
  if (!byLevel.has('bør')) return ui.levelsAllSkal;
  const label = (level: string) => t(q.choices?.find((c) => c.value === level)?.label, ctx.lang) ?? level;
  return `${ui.no} – ${[...byLevel.entries()].map(([level, topics]) => `${label(level)}: ${formatList(topics, ctx.i18n)}`).join('; ')}`;
}

/** A parameter value in words: "kr 150 000", "45 dager", the label of an enum value, format names. */
function describeParam(ctx: InterviewContext, clause: LoadedClause, name: string, value: unknown): string {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const p = clause.meta.params[name];
  if (!p) return JSON.stringify(value);
  switch (p.type) {
    case 'amount':
      return typeof value === 'number' ? formatAmount(value, ctx.i18n) : String(value);
    case 'duration':
      return typeof value === 'number' ? formatDuration(value, p.unit, ctx.i18n) : String(value);
    case 'integer':
      return typeof value === 'number' ? formatNumber(value, ctx.i18n) : String(value);
    case 'enum':
      return enumLabel(ctx, clause, name, String(value));
    case 'boolean':
      return value ? ui.yes : ui.no;
    case 'formats':
      return formatList((Array.isArray(value) ? value : []).map((v) => { const f = ctx.library.formats.get(String(v)); return f ? localName(f.name, ctx.lang) : String(v); }), ctx.i18n);
    case 'text':
      return String(value);
  }
}

const asQuestionLabel = (text: string) => text.replace(/\s*\?\s*$/, '');

/**
 * The interview's names for answers, for explaining a clause's condition to the officer: a question's text as a
 * label, a choice's or a format's name, yes and no; an answer the interview does not ask about keeps its path.
 */
export function answerNames(ctx: InterviewContext): AnswerNames {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const byId = new Map(ctx.spec.questions.map((q) => [q.id, q]));
  return {
    answer: (path) => {
      const q = byId.get(path);
      return q ? asQuestionLabel(t(q.text, ctx.lang)!) : undefined;
    },
    value: (path, value) => {
      if (typeof value === 'boolean') return value ? ui.yes : ui.no;
      const q = byId.get(path);
      const format = q?.type === 'formats' && typeof value === 'string' ? ctx.library.formats.get(value) : undefined;
      if (format) return localName(format.name, ctx.lang);
      const choice = q?.choices?.find((c) => c.value === value);
      return choice ? t(choice.label, ctx.lang) : undefined;
    },
  };
}

export interface FormatsSummary {
  /** The chosen formats by kind, in the registry's order of kinds: the kind's name and the formats' names, in the interview language. */
  groups: Array<{ label: string; formats: string[] }>;
  /** The export matrix as the appendix will have it (after the answers' own rows): each kind of data with its formats. */
  matrix: { heading: string; rows: Array<{ label: string; formats: string[] }> };
}

/** A format's name in the interview language (the id, should the registry not know it). */
const formatName = (ctx: InterviewContext, id: string) => {
  const f = ctx.library.formats.get(id);
  return f ? localName(f.name, ctx.lang) : id;
};

/**
 * The formats in words, for the summary (terminal and web): the chosen formats grouped by their kind, and the
 * export matrix (kind of data → formats) the appendix will carry.
 */
export function summariseFormats(ctx: InterviewContext, q: Question, answers: Answers): FormatsSummary {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const groups = FORMAT_KINDS.map((kind) => ({
    label: ui.formatKinds[kind],
    formats: answers.formats.filter((id) => ctx.library.formats.get(id)?.kind === kind).map((id) => formatName(ctx, id)),
  })).filter((g) => g.formats.length);
  const unknown = answers.formats.filter((id) => !ctx.library.formats.has(id));
  if (unknown.length) groups.push({ label: ui.formatKinds.unknown, formats: unknown });
  const rows = exportMatrix(answers, ctx.library).map((r) => ({
    label: localName(ctx.library.dataKinds.get(r.kind)?.name ?? r.kind, ctx.lang),
    formats: r.formats.map((id) => formatName(ctx, id)),
  }));
  return { groups, matrix: { heading: asQuestionLabel(t(q.matrix?.heading, ctx.lang) ?? '').replace(/:\s*$/, ''), rows } };
}

/** Whether a prompt id is one of the formats question's prompts (its groups, the export matrix and its rows). */
export function isFormatsPrompt(spec: InterviewSpec, id: string): boolean {
  if (id === 'exportMatrix' || id.startsWith('exportMatrix.')) return true;
  return spec.questions.some((q) => q.type === 'formats' && (q.id === id || (q.groups ?? []).some((g) => g.id === id)));
}

/** The summary shown before writing: every answer by section, the parameters changed, the clauses included and left out. */
export function summarise(ctx: InterviewContext, result: InterviewResult): string {
  const ui = uiStrings(ctx.spec, ctx.lang);
  const lines = [`\n${ui.summaryHeading}`];
  const sections = sectionOf(ctx.spec);
  const answers = result.answers as unknown as Record<string, unknown>;
  for (const sec of ctx.spec.sections) {
    const rows: string[] = [];
    for (const q of ctx.spec.questions) {
      if (sections.get(q.id) !== sec.id || !holds(q.when, { answers })) continue;
      const value = readPath(result.answers, q.id);
      if (q.optional && value === undefined) continue;
      if (q.type === 'formats') {
        const f = summariseFormats(ctx, q, result.answers);
        rows.push(...f.groups.map((g) => `    ${g.label}: ${formatList(g.formats, ctx.i18n)}`));
        if (f.matrix.rows.length) rows.push(`    ${f.matrix.heading}:`, ...f.matrix.rows.map((r) => `      ${r.label}: ${formatList(r.formats, ctx.i18n)}`));
        continue;
      }
      rows.push(`    ${asQuestionLabel(t(q.text, ctx.lang)!)}: ${describeValue(ctx, q, value, ui, result)}`);
    }
    if (rows.length) lines.push(`  ${ts(ctx, sec.label)}`, ...rows);
  }
  const paramRows: string[] = [];
  for (const [id, values] of Object.entries(result.answers.params)) {
    const clause = ctx.library.byId.get(id);
    if (!clause) continue;
    const text = clauseText(ctx, clause);
    for (const [name, v] of Object.entries(values)) {
      const question = text?.questions[name];
      paramRows.push(`    ${text?.title ?? id}${question ? ` – ${asQuestionLabel(question)}` : ''}: ${describeParam(ctx, clause, name, v)}`);
    }
  }
  if (paramRows.length) lines.push(`  ${ui.paramsSummary}`, ...paramRows);
  const outLang = result.answers.language;
  lines.push('', fill(ui.clausesHeading, { count: result.selection.included.length }));
  const w = Math.max(0, ...result.selection.included.map((c) => c.clause.meta.id.length));
  for (const inc of result.selection.included) {
    const title = inc.clause.texts[outLang]?.title ?? inc.clause.texts[ctx.lang]?.title ?? '';
    lines.push(`  ${inc.clause.meta.id.padEnd(w)}  ${title}`);
  }
  const omitted = result.answers.omit ?? [];
  if (omitted.length) {
    lines.push('', fill(ui.omittedHeading, { count: omitted.length }));
    for (const o of omitted) {
      const c = ctx.library.byId.get(o.clause);
      lines.push(`  ${o.clause.padEnd(w)}  ${c ? (clauseText(ctx, c)?.title ?? '') : ''} – ${o.reason}`);
    }
  }
  return lines.join('\n');
}

export type SummaryAction = 'write' | 'edit' | 'omit' | 'stop';

/**
 * The summary screen: shows the summary and offers to write, to change an answer (a section asked
 * again, then back here), to leave out a clause (or put one back), or to stop. Returns whether to
 * write, with the answers as they are now; the session holds them either way, for a draft.
 */
export async function reviewAndConfirm(
  ctx: InterviewContext,
  adapter: PromptAdapter,
  session: InterviewSession,
  result: InterviewResult,
  /** The answers file to write (a function when it follows the answers, e.g. the title) and the formats to build. */
  target: { file: string | (() => string); formats: readonly string[] },
): Promise<{ write: boolean; result: InterviewResult }> {
  const ui = uiStrings(ctx.spec, ctx.lang);
  for (;;) {
    adapter.say(summarise(ctx, result));
    const choices: Array<ChoiceOption<SummaryAction>> = [
      { value: 'write', name: ui.actionWrite },
      { value: 'edit', name: ui.actionEdit },
      { value: 'omit', name: ui.actionOmit },
      { value: 'stop', name: ui.actionStop },
    ];
    const action = await adapter.select({ id: 'confirm', message: fill(ui.confirmWrite, { file: typeof target.file === 'function' ? target.file() : target.file, formats: target.formats.join(', ') }), choices, default: 'write' });
    if (action === 'write') return { write: true, result };
    if (action === 'stop') return { write: false, result };
    if (action === 'edit') await editSection(ctx, adapter, session);
    else await omitClause(ctx, adapter, session, result.selection);
    result = finish(ctx, session);
  }
}
