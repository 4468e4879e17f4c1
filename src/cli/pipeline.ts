import type { z } from 'zod';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { AnswersSchema, type Answers } from '../core/answers.js';
import { buildDocument, partModel } from '../assemble/build.js';
import { msg, type Msg } from '../core/messages.js';
import { ANSWERS_SCHEMA_VERSION, planMigration } from '../core/migrations.js';
import type { Speaker } from '../library/messages.js';
import type { Templates } from '../core/i18n.js';
import type { DocumentModel } from '../assemble/model.js';
import { checkPolicy, lintPolicy, PolicySchema, type Policy } from '../assemble/policy.js';
import { checkConsistency, checkDeviableRules } from '../assemble/rules.js';
import { checkLockBounds } from '../assemble/lock-bounds.js';
import { selectClauses, type Selection } from '../assemble/select.js';
import { mergeLibraries, type Library } from '../library/library.js';
import { resolveLibrary } from '../library/resolve.js';
import { decodeText, readInputFile } from '../library/limits.js';
import { problemsFromZod, UsageError, UserError, type Problem } from '../library/problems.js';
import { parseYamlSource } from '../library/yaml-source.js';
import { renderFormats, type Format } from '../render/index.js';
import { printProblems, speakerOf, type Io } from './io.js';
import { cacheDir, cacheKey, readCompiled, writeCompiled } from './library-cache.js';
import { BASE_LIBRARY_DIR, TEMPLATES_DIR, toolVersion } from './paths.js';
import { applyLock, type LockOptions } from './lock.js';
import { assertWritable, writeFilesAtomically } from './write.js';

/**
 * Reads a YAML or JSON input file and validates it with a schema. Every problem names the file,
 * line and field; `kind` makes the not-found and wrong-shape messages say what to do.
 */
type LineOf = (path: ReadonlyArray<PropertyKey>) => number | undefined;

async function readValidated<T>(file: string, schema: z.ZodType<T>, kind: 'answers' | 'policy'): Promise<{ value: T; digest: string; migration?: AnswersMigration; lineOf: LineOf }> {
  return validateBytes(readInputFile(file, kind), file, schema, kind);
}

/** Validates the bytes of a YAML or JSON input file with a schema; the digest is of the bytes. */
function validateBytes<T>(bytes: Uint8Array, file: string, schema: z.ZodType<T>, kind: 'answers' | 'policy'): { value: T; digest: string; migration?: AnswersMigration; lineOf: LineOf } {
  const src = parseYamlSource(decodeText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file), file);
  if (src.problems.length) {
    // A syntax error, or a limit (size after aliases, nesting) or reserved key that refused the file.
    const syntax = src.problems.some((p) => p.message.startsWith('invalid YAML'));
    throw new UserError(syntax ? msg('error.notYaml', { file }) : msg('error.input.refused', { file }), src.problems);
  }
  if (src.value === null || typeof src.value !== 'object' || Array.isArray(src.value)) {
    throw new UserError(msg(`error.${kind}.notMapping`, { file }));
  }
  // A draft of `dataklausul new` (it records the call in a `draft:` section) is finished by `new`, not built.
  if (kind === 'answers' && Object.hasOwn(src.value, 'draft')) throw new UserError(msg('error.answers.draft', { file, line: src.lineOf(['draft']) ?? 1 }));
  let input: unknown = src.value;
  let migration: AnswersMigration | undefined;
  if (kind === 'answers') {
    // An answers file of an earlier schema version is read as the current one; a newer one is refused.
    const plan = planMigration(src.value as Record<string, unknown>);
    if (plan.kind === 'newer') throw newerAnswersError(file, plan.version, src.lineOf(['schemaVersion']));
    if (plan.kind === 'migrated') {
      input = plan.value;
      migration = { from: plan.from, to: ANSWERS_SCHEMA_VERSION, changes: plan.steps.flatMap((s) => s.changes), line: src.lineOf(['schemaVersion']) };
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new UserError(msg(`error.${kind}.invalid`, { file }), problemsFromZod(parsed.error, file, src.lineOf, input));
  return { value: parsed.data, digest: createHash('sha256').update(bytes).digest('hex'), lineOf: src.lineOf, ...(migration ? { migration } : {}) };
}

/** An answers file read from an earlier schema version: what changed, for the warning. */
export interface AnswersMigration {
  from: number;
  to: number;
  changes: Msg[];
  /** The line of `schemaVersion`. */
  line?: number;
}

/** A file written for a newer dataklausul: refused, since its meaning may have changed in ways this version cannot know. */
export function newerAnswersError(file: string, version: number, line?: number): UserError {
  return new UserError(msg('error.answers.newer', { file, version, current: ANSWERS_SCHEMA_VERSION }), [
    { severity: 'error', file, line, field: 'schemaVersion', message: `schemaVersion ${version} is newer than ${ANSWERS_SCHEMA_VERSION}, the newest this dataklausul (${toolVersion()}) reads.`, hint: 'Update dataklausul (npm install -g dataklausul@latest), or build with the version that wrote the file.' },
  ]);
}

/** The warning for an answers file that was migrated in memory, in the speaker's language: what changed and how to update the file. */
export function migrationWarnings(loaded: LoadedAnswers, say: Speaker): Problem[] {
  const m = loaded.migration;
  if (!m) return [];
  const changes = m.changes.map((c) => say.t(c.key, c.vars)).join('; ');
  return [{ severity: 'warning', file: loaded.file, line: m.line, field: 'schemaVersion', message: say.t('warning.answersMigrated', { from: m.from, to: m.to, changes, file: loaded.file }) }];
}

export interface LoadedAnswers {
  answers: Answers;
  file: string;
  digest: string;
  /** Set when the file is of an earlier schema version and was migrated on reading. */
  migration?: AnswersMigration;
  /** The line of a path in the file as written, for problems found after validation (e.g. an `omit` entry). */
  lineOf?: LineOf;
}

/** `omit[2] › clause` → ['omit', 2, 'clause']: a problem's field as a path in the answers file. */
export function fieldToPath(field: string): Array<string | number> {
  return field.split(' › ').flatMap((seg) => {
    const m = /^(.*?)((?:\[\d+\])*)$/.exec(seg)!;
    const idx = [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    return [...(m[1] ? [m[1]] : []), ...idx];
  });
}

/**
 * Gives each problem with an `omit` entry the line of that entry. (Other checks after validation name the field
 * only; giving them lines too would change their messages, which tests across the project quote.)
 */
function locate(problems: Problem[], loaded: LoadedAnswers): Problem[] {
  const { lineOf } = loaded;
  if (!lineOf) return problems;
  return problems.map((p) => (p.line === undefined && p.field?.startsWith('omit[') && p.file === loaded.file ? { ...p, line: lineOf(fieldToPath(p.field)) } : p));
}

/** Reads and validates an answers file (YAML or JSON). */
export async function readAnswers(file: string): Promise<LoadedAnswers> {
  const { value, digest, migration, lineOf } = await readValidated(file, AnswersSchema, 'answers');
  return { answers: value, file, digest, lineOf, ...(migration ? { migration } : {}) };
}

/** Validates the bytes of an answers file not (yet) on disk, exactly as `readAnswers` would read them. */
export function parseAnswers(bytes: Uint8Array, file: string): LoadedAnswers {
  const { value, digest, migration, lineOf } = validateBytes(bytes, file, AnswersSchema, 'answers');
  return { answers: value, file, digest, lineOf, ...(migration ? { migration } : {}) };
}

export interface LoadedPolicy {
  policy: Policy;
  file: string;
  digest: string;
}

/** Reads and validates an architecture policy file. */
export async function readPolicy(file: string): Promise<LoadedPolicy> {
  const { value, digest } = await readValidated(file, PolicySchema, 'policy');
  return { policy: value, file, digest };
}

export interface Context {
  library: Library;
  templates: Templates;
  /** Lint warnings (errors throw). */
  warnings: Problem[];
}

/**
 * Loads the national baseline plus extra library folders, and the templates. Lint errors throw.
 * A compiled library cached under the digest of every input byte is used when there is one (see
 * library-cache.ts); the loader and linter are then not even imported.
 */
export async function loadContext(extraLibraries: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<Context> {
  // A --library may be a folder or an installed package's name.
  const dirs = [BASE_LIBRARY_DIR, ...extraLibraries.map((spec) => resolveLibrary(spec).dir)];
  const dir = cacheDir(env);
  const key = dir ? cacheKey(dirs, TEMPLATES_DIR, toolVersion(), { indexDir: dir }) : null;
  const cached = dir && key ? readCompiled(dir, key) : null;
  if (cached) return { library: mergeLibraries(cached.libraries), templates: cached.templates, warnings: cached.warnings };

  const [{ loadLibraries }, { lintLibraries }, { loadTemplates }] = await Promise.all([import('../library/load.js'), import('../library/lint.js'), import('../library/templates.js')]);
  const { libraries, problems } = await loadLibraries(dirs);
  const templates = await loadTemplates(TEMPLATES_DIR);
  const all = [...problems, ...(problems.some((p) => p.severity === 'error') ? [] : lintLibraries(libraries, templates.contractTypes))];
  const errors = all.filter((p) => p.severity === 'error');
  if (errors.length) throw new UserError(msg('error.libraryProblems'), errors);
  const warnings = all.filter((p) => p.severity === 'warning');
  if (dir && key) writeCompiled(dir, key, { libraries, templates, warnings });
  return { library: mergeLibraries(libraries), templates, warnings };
}

/** The appendix date: from the answers, else SOURCE_DATE_EPOCH. Never the clock. */
export function resolveDate(answers: Answers, file: string, env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  // Checked even when the answers give the date: a broken environment is reported, never ignored.
  if (epoch !== undefined && epoch !== '') {
    // The last second of 9999-12-31: beyond it a date no longer has four digits.
    if (!/^\d{1,12}$/.test(epoch.trim()) || Number(epoch.trim()) > 253402300799) {
      throw new UsageError(msg('error.epoch', { value: epoch.length > 40 ? `${epoch.slice(0, 40)}…` : epoch }));
    }
    if (!answers.date) return new Date(Number(epoch.trim()) * 1000).toISOString().slice(0, 10);
  }
  if (answers.date) return answers.date;
  throw new UserError(msg('error.dateMissing', { file }));
}

export interface Assembled {
  selection: Selection;
  model: DocumentModel;
  warnings: Problem[];
}

/** Selects clauses and runs the consistency and policy checks. Pure apart from its inputs. */
export function check(ctx: Context, loaded: LoadedAnswers, policy: LoadedPolicy | null = null): { selection: Selection; problems: Problem[]; deviations: Array<{ rule: string; message: string }> } {
  if (policy) {
    const bad = lintPolicy(policy.policy, ctx.library, policy.file);
    if (bad.length) throw new UserError(msg('error.policyMismatch', { file: policy.file }), bad);
  }
  const selection = selectClauses(loaded.answers, ctx.library, loaded.file, policy?.policy ?? null);
  const outcome = policy ? checkPolicy(policy.policy, loaded.answers, selection, loaded.file) : { problems: [], deviations: [] };
  const problems = locate(
    [...selection.problems, ...checkConsistency(loaded.answers, selection, ctx.library, loaded.file), ...checkLockBounds(loaded.answers, selection, ctx.library, loaded.file), ...outcome.problems],
    loaded,
  );
  const accepted = checkDeviableRules(loaded.answers, selection, ctx.library, loaded.file).deviations;
  return { selection, problems, deviations: [...accepted, ...outcome.deviations] };
}

/** Selects, checks and builds. Errors throw a UserError naming clauses and answers. */
export function assemble(
  ctx: Context,
  loaded: LoadedAnswers,
  lang: string,
  env: NodeJS.ProcessEnv = process.env,
  policy: LoadedPolicy | null = null,
  /** True when `lang` is the answers file's own `language` (no --lang). */
  fromAnswers = false,
): Assembled {
  const displayFile = loaded.file;
  const { selection, problems, deviations } = check(ctx, loaded, policy);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new UserError(msg('error.inconsistent', { file: displayFile }), errors);
  if (!ctx.templates.i18n[lang] || !ctx.library.languages.includes(lang)) {
    const langs = ctx.library.languages.filter((l) => ctx.templates.i18n[l]).join(', ');
    // Without --lang the language is the answers file's (valid by its schema, but maybe not in every library).
    if (fromAnswers) throw new UserError(msg('error.answersLang', { file: displayFile, lang, langs }));
    throw new UsageError(msg('error.lang', { lang, langs }));
  }
  const model = buildDocument(selection, loaded.answers, {
    lang,
    date: resolveDate(loaded.answers, displayFile, env),
    library: ctx.library,
    templates: ctx.templates,
    answersFile: path.basename(loaded.file),
    answersDigest: loaded.digest,
    tool: { name: 'dataklausul', version: toolVersion() },
    policy: policy ? { name: `${policy.policy.name} ${policy.policy.version}`, digest: policy.digest } : null,
    deviations,
  });
  return { selection, model, warnings: [...ctx.warnings, ...problems.filter((p) => p.severity === 'warning')] };
}

/** Output file paths for an answers file: `cloud-hr.yaml` → `<out>/cloud-hr.<format>`. */
export function outputPaths(answersFile: string, outDir: string, formats: readonly Format[], slugs?: readonly string[]): Array<{ format: Format; path: string; slug?: string }> {
  const base = path.basename(answersFile).replace(/\.(ya?ml|json)$/i, '');
  if (!slugs) return formats.map((format) => ({ format, path: path.resolve(outDir, `${base}.${format}`) }));
  return slugs.flatMap((slug) => formats.map((format) => ({ format, slug, path: path.resolve(outDir, `${base}.${slug}.${format}`) })));
}

/** Renders the requested formats and writes them atomically. Shared by `build` and `new`. */
export async function buildFiles(
  answersFile: string,
  opts: {
    format: Format[];
    out: string;
    lang?: string;
    library: string[];
    force: boolean;
    policy?: string;
    /** One file per part of the appendix (`cloud-hr.bilag-1.docx`, …) instead of one file with the parts in order. */
    split?: boolean;
    /** The libraries and templates, when the caller (the interview) has loaded them already. */
    context?: Context;
  } & LockOptions,
  io: Io,
): Promise<string[]> {
  // Without --split the file names are known at once: refuse an existing file before any work is done.
  if (!opts.split) await assertWritable(outputPaths(answersFile, opts.out, opts.format).map((t) => t.path), opts.force);
  const read = await readAnswers(answersFile);
  const say = speakerOf(io);
  say.followAnswers(read.answers.language);
  const ctx = opts.context ?? (await loadContext(opts.library));
  // Pinned libraries must match; --lock / --update-lock rewrite the pins with the appendix.
  const { loaded, rewrite } = await applyLock(read, ctx, opts, say);
  const policy = opts.policy ? await readPolicy(opts.policy) : null;
  const lang = opts.lang ?? loaded.answers.language;
  const assembled = assemble(ctx, loaded, lang, io.env, policy, opts.lang === undefined);
  const { model } = assembled;
  const warnings = [...migrationWarnings(read, say), ...assembled.warnings];
  if (warnings.length) {
    io.stderr(`${say.t('warnings')}\n`);
    printProblems(io, warnings);
  }
  const targets = outputPaths(answersFile, opts.out, opts.format, opts.split ? model.parts.map((p) => p.slug) : undefined);
  if (opts.split) await assertWritable(targets.map((t) => t.path), opts.force);
  // One model per part with --split, each rendered in every format: the same order as `targets`.
  const models = opts.split ? model.parts.map((part) => partModel(model, part)) : [model];
  const bytes: Uint8Array[] = [];
  for (const m of models) for (const r of await renderFormats(m, opts.format)) bytes.push(r.bytes);
  const files = targets.map((t, i) => ({ path: t.path, bytes: bytes[i]! }));
  if (rewrite) {
    // The answers file is replaced on purpose (--lock); the appendix files keep the --force rule.
    await assertWritable(
      files.map((f) => f.path),
      opts.force,
    );
    files.push(rewrite);
  }
  await writeFilesAtomically(files, { force: rewrite ? true : opts.force });
  return targets.map((t) => {
    const rel = path.relative(process.cwd(), t.path);
    return rel && !rel.startsWith('..') ? rel : t.path;
  });
}
