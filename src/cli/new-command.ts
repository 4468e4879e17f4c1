import { existsSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PromptAdapter } from '../interview/adapter.js';
import type { InterviewContext, InterviewSession } from '../interview/flow.js';
import { slugify } from '../interview/answers-file.js';
import { fill, InterviewSpecSchema, type InterviewSpec, type UiStrings } from '../interview/spec.js';
import { msg } from '../core/messages.js';
import { planMigration } from '../core/migrations.js';
import { Speaker } from '../library/messages.js';
import { decodeText, readInputFile } from '../library/limits.js';
import { formatProblem, problemsFromZod, UsageError, UserError } from '../library/problems.js';
import { parseYamlSource } from '../library/yaml-source.js';
import { looksLikePackage } from '../library/resolve.js';
import { FORMATS, type Format } from '../render/index.js';
import { LANGUAGES } from '../core/answers.js';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { Io } from './io.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from './paths.js';
import { exists } from './write.js';

/**
 * `dataklausul new`: the glue around the interview flow. Reads templates/interview.yaml and any
 * answers being resumed, checks for a terminal, handles Ctrl-C (a resumable draft, exit 130),
 * writes the answers file atomically and builds the appendix exactly as `build` would.
 */

export interface InterviewOptions {
  answers?: string;
  out: string;
  format: Format[];
  lang?: string;
  library: string[];
  force: boolean;
  /**
   * The options the user typed on the command line. When a draft is resumed, these win over the
   * call the draft recorded; the others come from the draft.
   */
  given?: Partial<Record<CallOption, boolean>>;
  /** Pin the libraries in the answers file, as `build --lock` does. */
  lock?: boolean;
}

/** The options of `new` a draft records, so that resuming it writes the same files. */
type CallOption = 'out' | 'format' | 'lang' | 'library';

/**
 * The `draft:` section of a draft file: how `dataklausul new` was called. Not answers (the answers
 * schema would reject it); read and removed when the draft is resumed, never written into the
 * answers file. Paths are relative to the draft's own folder, package names stay names.
 */
const DraftCallSchema = z.strictObject({
  out: z.string().min(1).optional(),
  format: z.array(z.enum(FORMATS)).min(1).optional(),
  lang: z.enum(LANGUAGES).optional(),
  library: z.array(z.string().min(1)).optional(),
});
type DraftCall = z.infer<typeof DraftCallSchema>;

/** For tests: a scripted adapter, a fixed date, a pretend terminal. */
export interface InterviewDeps {
  adapter?: PromptAdapter;
  today?: string;
  isTTY?: boolean;
}

export const INTERVIEW_FILE = path.join(TEMPLATES_DIR, 'interview.yaml');

/** Reads and validates templates/interview.yaml. */
export async function loadInterviewSpec(file = INTERVIEW_FILE): Promise<InterviewSpec> {
  const src = parseYamlSource(await readFile(file, 'utf8'), file);
  if (src.problems.length) throw new UserError(msg('error.notYaml', { file }), src.problems);
  const parsed = InterviewSpecSchema.safeParse(src.value);
  if (!parsed.success) throw new UserError(msg('error.interviewSpec', { file }), problemsFromZod(parsed.error, file, src.lineOf, src.value));
  return parsed.data;
}

const DRAFT_SUFFIX = /\.draft\.ya?ml$/i;
const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'templates', 'schema', 'answers.schema.json');

function localDate(d = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function schemaPathFor(file: string): string {
  return path.relative(path.dirname(path.resolve(file)), SCHEMA_FILE).split(path.sep).join('/');
}

const display = (p: string) => path.relative(process.cwd(), p) || p;

/** The answers file to write: --answers (without `.draft`), else `<out>/<title>.yaml`. */
function answersTarget(opts: InterviewOptions, answers: Record<string, unknown>): string {
  if (opts.answers) return path.resolve(opts.answers.replace(DRAFT_SUFFIX, '.yaml'));
  const title = (answers.procurement as Record<string, unknown> | undefined)?.title;
  return path.resolve(opts.out, `${slugify(typeof title === 'string' ? title : '')}.yaml`);
}

const isLibraryPath = (l: string) => !looksLikePackage(l) || existsSync(path.resolve(l));

/** The call to record in a draft at `draft`: paths relative to the draft's folder. */
function draftCall(opts: InterviewOptions, lang: string, draft: string): DraftCall {
  const rel = (p: string) => path.relative(path.dirname(draft), path.resolve(p)).split(path.sep).join('/') || '.';
  return { out: rel(opts.out), format: [...opts.format], lang: lang as DraftCall['lang'], library: opts.library.map((l) => (isLibraryPath(l) ? rel(l) : l)) };
}

function draftBytes(serializeAnswers: typeof import('../interview/answers-file.js').serializeAnswers, session: InterviewSession, draft: string, ui: UiStrings, call: DraftCall): string {
  const answers = serializeAnswers(session.answers, { header: fill(ui.draftHeader, { file: display(draft) }), schemaPath: schemaPathFor(draft) });
  const section = stringify({ draft: call }, { lineWidth: 0, defaultStringType: 'PLAIN' });
  const comment = ui.draftCallComment
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n');
  return `${answers}${comment}\n${section}`;
}

/** A shell word: as it is when it is safe, else in single quotes. */
const shellWord = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The command that resumes `draft` with the same options as the call that wrote it. */
function resumeCommand(opts: InterviewOptions, lang: string, draft: string): string {
  const words = ['dataklausul', 'new', '--answers', display(draft)];
  if (path.resolve(opts.out) !== process.cwd()) words.push('--out', display(path.resolve(opts.out)));
  if (opts.format.join(',') !== 'docx,pdf') words.push('--format', opts.format.join(','));
  if (lang !== 'nb') words.push('--lang', lang);
  for (const l of opts.library) words.push('--library', isLibraryPath(l) ? display(path.resolve(l)) : l);
  return words.map(shellWord).join(' ');
}

/**
 * The call recorded in a draft being resumed (its `draft:` section), resolved against the draft's
 * folder; undefined when the file has none. A malformed section is an error naming the field.
 */
function readDraftCall(value: unknown, file: string, lineOf: (p: ReadonlyArray<PropertyKey>) => number | undefined): DraftCall | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, 'draft')) return undefined;
  const parsed = DraftCallSchema.safeParse((value as Record<string, unknown>).draft);
  if (!parsed.success) throw new UserError(msg('error.draftCall', { file }), problemsFromZod(parsed.error, file, (p) => lineOf(['draft', ...p]), (value as Record<string, unknown>).draft, 'draft › '));
  const dir = path.dirname(path.resolve(file));
  const abs = (p: string) => path.relative(process.cwd(), path.resolve(dir, p)) || '.';
  const d = parsed.data;
  return { ...d, ...(d.out !== undefined ? { out: abs(d.out) } : {}), ...(d.library ? { library: d.library.map((l) => (looksLikePackage(l) && !existsSync(path.resolve(dir, l)) ? l : abs(l))) } : {}) };
}

/** The options in effect: the command line where given, else the resumed draft's call, else the defaults. */
function withDraftCall(opts: InterviewOptions, call: DraftCall | undefined): InterviewOptions {
  if (!call) return opts;
  const given = opts.given ?? {};
  return {
    ...opts,
    out: !given.out && call.out !== undefined ? call.out : opts.out,
    format: !given.format && call.format ? call.format : opts.format,
    lang: !given.lang && call.lang ? call.lang : opts.lang,
    library: !given.library && call.library ? call.library : opts.library,
  };
}

/** The draft path: next to the answers file; never an existing file other than the one resumed. */
async function draftPath(opts: InterviewOptions, session: InterviewSession, resumed: string | undefined): Promise<string> {
  const base = answersTarget(opts, session.answers).replace(/\.ya?ml$/i, '');
  for (let i = 1; ; i++) {
    const candidate = `${base}${i === 1 ? '' : `-${i}`}.draft.yaml`;
    if (candidate === resumed || opts.force || !(await exists(candidate))) return candidate;
  }
}

export async function runInterviewCommand(given: InterviewOptions, io: Io, deps: InterviewDeps = {}): Promise<number> {
  const spec = await loadInterviewSpec();
  const askedLang = given.lang ?? 'nb';
  if (!spec.languages.includes(askedLang)) throw new UsageError(msg('error.interviewLang', { langs: spec.languages.join(', '), lang: askedLang }));

  // Without a terminal the prompts would hang or read half an answer: refuse at once.
  const isTTY = deps.isTTY ?? (!!process.stdin.isTTY && !!process.stdout.isTTY);
  if (!isTTY) {
    io.stderr(`${spec.ui[askedLang]!.notATerminal}\n`);
    return 2;
  }

  // Loaded only now, so that refusing without a terminal is immediate.
  const [{ InterviewCancelled }, { sanitizePartialAnswers, serializeAnswers }, { newSession, reviewAndConfirm, runInterview }, { checkConsistency }, { buildFiles, loadContext, newerAnswersError, outputPaths }, { assertWritable, writeFilesAtomically }] =
    await Promise.all([
      import('../interview/adapter.js'),
      import('../interview/answers-file.js'),
      import('../interview/flow.js'),
      import('../assemble/rules.js'),
      import('./pipeline.js'),
      import('./write.js'),
    ]);

  // A resumed draft brings the call that wrote it (out, formats, language, libraries); flags win.
  let raw: unknown;
  let opts = given;
  if (given.answers && (await exists(given.answers))) {
    const file = given.answers;
    const src = parseYamlSource(decodeText(readInputFile(file, 'answers'), file), file);
    if (src.problems.length) throw new UserError(msg('error.notYaml', { file }), src.problems);
    // Answers of an earlier schema version are resumed as the current one; a newer file is refused.
    const plan = src.value && typeof src.value === 'object' && !Array.isArray(src.value) ? planMigration(src.value as Record<string, unknown>) : ({ kind: 'none' } as const);
    if (plan.kind === 'newer') throw newerAnswersError(file, plan.version, src.lineOf(['schemaVersion']));
    raw = plan.kind === 'migrated' ? plan.value : src.value;
    opts = withDraftCall(given, readDraftCall(src.value, file, src.lineOf));
  }
  const lang = opts.lang ?? 'nb';
  if (!spec.languages.includes(lang)) throw new UsageError(msg('error.interviewLang', { langs: spec.languages.join(', '), lang }));
  const ui = spec.ui[lang]!;

  const ctxLoaded = await loadContext(opts.library);
  let initial: Record<string, unknown> = {};
  let resumed: string | undefined;
  const notes: string[] = [];
  if (raw !== undefined && opts.answers) {
    const { answers, dropped } = sanitizePartialAnswers(raw, spec, ctxLoaded.library);
    initial = answers;
    resumed = path.resolve(opts.answers);
    notes.push(fill(ui.resuming, { file: display(resumed) }));
    if (dropped.length) notes.push(`  (${dropped.join(', ')}: ${ui.unanswered})`);
  }
  const i18n = ctxLoaded.templates.i18n[lang] ?? ctxLoaded.templates.i18n.nb!;
  const ctx: InterviewContext = {
    spec,
    lang,
    library: ctxLoaded.library,
    today: deps.today ?? localDate(),
    topicNames: i18n.topics,
    i18n,
  };

  // A resumed complete answers file, or an existing one, is only replaced with --force; a draft is
  // never the target (its `.draft` is dropped). Checked now as well, so that nobody answers every
  // question only to be told the file exists.
  if (opts.answers) {
    const target = answersTarget(opts, initial);
    if (!opts.force && (await exists(target))) throw new UserError(fill(ui.errors.exists, { file: display(target) }));
  }

  const adapter = deps.adapter ?? (await import('../interview/prompts.js')).createInquirerAdapter({ yes: ui.yes, no: ui.no, confirmError: ui.confirmError, keys: ui.keys });
  const session = newSession(initial);
  for (const n of notes) adapter.say(n);

  /** What was and was not written: the answers file and the appendix were not; the draft was. */
  const stopped = (draft: string) =>
    [
      fill(ui.notWritten, { file: display(answersTarget(opts, session.answers)), formats: opts.format.join(', ') }),
      fill(ui.draftSaved, { file: display(draft) }),
      fill(ui.resumeHint, { command: resumeCommand(opts, lang, draft) }),
    ].join('\n');
  const saveDraft = async (): Promise<string> => {
    const draft = await draftPath(opts, session, resumed);
    await writeFilesAtomically([{ path: draft, bytes: Buffer.from(draftBytes(serializeAnswers, session, draft, ui, draftCall(opts, lang, draft))) }]);
    return draft;
  };
  const cancelled = async (message: string): Promise<number> => {
    const draft = await saveDraft();
    io.stderr(`\n${message}\n${stopped(draft)}\n`);
    return 130;
  };

  // Ctrl-C outside a prompt (while loading or building) arrives as SIGINT: save the draft and stop.
  let interviewing = true;
  const onSigint = () => {
    if (!interviewing) return;
    const draft = answersTarget(opts, session.answers).replace(/\.ya?ml$/i, '.draft.yaml');
    try {
      writeFileSync(draft, draftBytes(serializeAnswers, session, draft, ui, draftCall(opts, lang, draft)));
      io.stderr(`\n${ui.cancelled}\n${stopped(draft)}\n`);
    } finally {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  try {
    let result;
    try {
      result = await runInterview(ctx, adapter, session);
    } catch (e) {
      if (e instanceof InterviewCancelled) return await cancelled(ui.cancelled);
      throw e;
    }

    let ok: boolean;
    try {
      // The summary screen: write, change an answer, leave out a clause, or stop.
      ({ write: ok, result } = await reviewAndConfirm(ctx, adapter, session, result, { file: () => display(answersTarget(opts, session.answers)), formats: opts.format }));
    } catch (e) {
      if (e instanceof InterviewCancelled) return await cancelled(ui.cancelled);
      throw e;
    }
    if (!ok) return await cancelled(ui.declined);
    // From here on Ctrl-C stops the process as usual: the writes are atomic.
    interviewing = false;
    process.off('SIGINT', onSigint);

    // The title may have been changed on the summary screen: the target follows it.
    const target = answersTarget(opts, session.answers);
    const outputs = outputPaths(target, opts.out, opts.format).map((o) => o.path);
    const problems = [...result.selection.problems, ...checkConsistency(result.answers, result.selection, ctx.library, display(target))].filter((p) => p.severity === 'error');
    if (problems.length) {
      const draft = await saveDraft();
      io.stderr(`${ui.errors.invalid}\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n${stopped(draft)}\n`);
      return 1;
    }
    try {
      await assertWritable([target, ...outputs], opts.force);
    } catch (e) {
      const draft = await saveDraft();
      io.stderr(`dataklausul: ${new Speaker(lang).text((e as UserError).msg, (e as Error).message)}\n${stopped(draft)}\n`);
      return 1;
    }
    const bytes = serializeAnswers(session.answers, { header: fill(ui.answersHeader, { file: display(target) }), schemaPath: schemaPathFor(target) });
    await writeFilesAtomically([{ path: target, bytes: Buffer.from(bytes) }]);
    io.stdout(`${fill(ui.written, { file: display(target) })}\n`);
    // Built from the file just written, with the file's own language: `build` reproduces the bytes.
    const written = await buildFiles(target, { format: opts.format, out: opts.out, library: opts.library, force: opts.force, context: ctxLoaded, lock: !!opts.lock }, io);
    io.stdout(`${written.map((w) => fill(ui.written, { file: w })).join('\n')}\n`);
    if (resumed && DRAFT_SUFFIX.test(resumed) && resumed !== target) await rm(resumed, { force: true });
    io.stdout(`${fill(ui.done, { file: display(target) })}\n`);
    return 0;
  } finally {
    interviewing = false;
    process.off('SIGINT', onSigint);
  }
}
