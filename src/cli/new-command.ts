import { writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PromptAdapter } from '../interview/adapter.js';
import type { InterviewContext, InterviewSession } from '../interview/flow.js';
import { slugify } from '../interview/answers-file.js';
import { fill, InterviewSpecSchema, type InterviewSpec, type UiStrings } from '../interview/spec.js';
import { msg } from '../core/messages.js';
import { Speaker } from '../library/messages.js';
import { decodeText, readInputFile } from '../library/limits.js';
import { formatProblem, problemsFromZod, UsageError, UserError } from '../library/problems.js';
import { parseYamlSource } from '../library/yaml-source.js';
import type { Format } from '../render/index.js';
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
  /** Pin the libraries in the answers file, as `build --lock` does. */
  lock?: boolean;
}

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

function draftBytes(serializeAnswers: typeof import('../interview/answers-file.js').serializeAnswers, session: InterviewSession, draft: string, ui: UiStrings): string {
  return serializeAnswers(session.answers, { header: fill(ui.draftHeader, { file: display(draft) }), schemaPath: schemaPathFor(draft) });
}

/** The draft path: next to the answers file; never an existing file other than the one resumed. */
async function draftPath(opts: InterviewOptions, session: InterviewSession, resumed: string | undefined): Promise<string> {
  const base = answersTarget(opts, session.answers).replace(/\.ya?ml$/i, '');
  for (let i = 1; ; i++) {
    const candidate = `${base}${i === 1 ? '' : `-${i}`}.draft.yaml`;
    if (candidate === resumed || opts.force || !(await exists(candidate))) return candidate;
  }
}

export async function runInterviewCommand(opts: InterviewOptions, io: Io, deps: InterviewDeps = {}): Promise<number> {
  const spec = await loadInterviewSpec();
  const lang = opts.lang ?? 'nb';
  if (!spec.languages.includes(lang)) throw new UsageError(msg('error.interviewLang', { langs: spec.languages.join(', '), lang }));
  const ui = spec.ui[lang]!;

  // Without a terminal the prompts would hang or read half an answer: refuse at once.
  const isTTY = deps.isTTY ?? (!!process.stdin.isTTY && !!process.stdout.isTTY);
  if (!isTTY) {
    io.stderr(`${ui.notATerminal}\n`);
    return 2;
  }

  // Loaded only now, so that refusing without a terminal is immediate.
  const [{ InterviewCancelled }, { sanitizePartialAnswers, serializeAnswers }, { confirmWrite, newSession, runInterview }, { checkConsistency }, { buildFiles, loadContext, outputPaths }, { assertWritable, writeFilesAtomically }] =
    await Promise.all([
      import('../interview/adapter.js'),
      import('../interview/answers-file.js'),
      import('../interview/flow.js'),
      import('../assemble/rules.js'),
      import('./pipeline.js'),
      import('./write.js'),
    ]);
  const ctxLoaded = await loadContext(opts.library);
  let initial: Record<string, unknown> = {};
  let resumed: string | undefined;
  const notes: string[] = [];
  if (opts.answers && (await exists(opts.answers))) {
    const file = opts.answers;
    const src = parseYamlSource(decodeText(readInputFile(file, 'answers'), file), file);
    if (src.problems.length) throw new UserError(msg('error.notYaml', { file }), src.problems);
    const { answers, dropped } = sanitizePartialAnswers(src.value, spec, ctxLoaded.library);
    initial = answers;
    resumed = path.resolve(file);
    notes.push(fill(ui.resuming, { file: display(resumed) }));
    if (dropped.length) notes.push(`  (${dropped.join(', ')}: ${ui.unanswered})`);
  }
  const ctx: InterviewContext = {
    spec,
    lang,
    library: ctxLoaded.library,
    today: deps.today ?? localDate(),
    topicNames: ctxLoaded.templates.i18n[lang]?.topics ?? {},
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

  const saveDraft = async (): Promise<string> => {
    const draft = await draftPath(opts, session, resumed);
    await writeFilesAtomically([{ path: draft, bytes: Buffer.from(draftBytes(serializeAnswers, session, draft, ui)) }]);
    return draft;
  };
  const cancelled = async (message: string): Promise<number> => {
    const draft = await saveDraft();
    io.stderr(`\n${message}\n${fill(ui.draftSaved, { file: display(draft) })}\n`);
    return 130;
  };

  // Ctrl-C outside a prompt (while loading or building) arrives as SIGINT: save the draft and stop.
  let interviewing = true;
  const onSigint = () => {
    if (!interviewing) return;
    const draft = answersTarget(opts, session.answers).replace(/\.ya?ml$/i, '.draft.yaml');
    try {
      writeFileSync(draft, draftBytes(serializeAnswers, session, draft, ui));
      io.stderr(`\n${ui.cancelled}\n${fill(ui.draftSaved, { file: display(draft) })}\n`);
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
    const target = answersTarget(opts, session.answers);
    const outputs = outputPaths(target, opts.out, opts.format).map((o) => o.path);

    let ok: boolean;
    try {
      ok = await confirmWrite(ctx, adapter, result, { file: display(target), formats: opts.format });
    } catch (e) {
      if (e instanceof InterviewCancelled) return await cancelled(ui.cancelled);
      throw e;
    }
    if (!ok) return await cancelled(ui.declined);
    // From here on Ctrl-C stops the process as usual: the writes are atomic.
    interviewing = false;
    process.off('SIGINT', onSigint);

    const problems = [...result.selection.problems, ...checkConsistency(result.answers, result.selection, ctx.library, display(target))].filter((p) => p.severity === 'error');
    if (problems.length) {
      const draft = await saveDraft();
      io.stderr(`${ui.errors.invalid}\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n${fill(ui.draftSaved, { file: display(draft) })}\n`);
      return 1;
    }
    try {
      await assertWritable([target, ...outputs], opts.force);
    } catch (e) {
      const draft = await saveDraft();
      io.stderr(`dataklausul: ${new Speaker(lang).text((e as UserError).msg, (e as Error).message)}\n${fill(ui.draftSaved, { file: display(draft) })}\n`);
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
