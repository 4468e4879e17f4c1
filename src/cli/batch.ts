import { readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentModel } from '../assemble/model.js';
import { AnswersSchema, type Answers } from '../core/answers.js';
import { planMigration } from '../core/migrations.js';
import { serializeAnswers } from '../interview/answers-file.js';
import { decodeText, readInputFile } from '../library/limits.js';
import { msg } from '../core/messages.js';
import { formatPath, problemsFromZod, UsageError, UserError, type Problem } from '../library/problems.js';
import { parseYamlSource } from '../library/yaml-source.js';
import { renderFormats, type Format } from '../render/index.js';
import { BUNDLE_CODE_DIGEST } from '../core/build-info.js';
import type { RenderJob, RenderResult } from './batch-worker.js';
import { printProblems, speakerOf, type Io } from './io.js';
import { applyNamePattern, nameKey, parseNamePattern, safeNamePart } from './names.js';
import { PACKAGE_ROOT } from './paths.js';
import { assemble, loadContext, migrationWarnings, newerAnswersError, parseAnswers, readAnswers, readPolicy, type Context, type LoadedAnswers, type LoadedPolicy } from './pipeline.js';
import { cellValue, parseTable, setAnswerPath, tableColumns } from './table.js';
import { exists, writeFilesAtomically } from './write.js';

/**
 * `dataklausul batch`: many appendices in one process. The libraries are loaded and validated
 * once; every appendix is assembled on the main thread and rendered by `--jobs` worker threads.
 * Each appendix's files are written together or not at all; one failing appendix does not stop the
 * others. Names are checked for collisions, and existing files for `--force`, before anything is
 * written.
 */

export interface BatchOptions {
  inputs: string[];
  table?: string;
  format: Format[];
  out: string;
  name?: string;
  jobs?: number;
  lang?: string;
  library: string[];
  policy?: string;
  force: boolean;
  json: boolean;
}

interface Failure {
  message: string;
  problems: Problem[];
}

interface Item {
  /** What the user gave: the answers file, or the table. */
  input: string;
  row?: number;
  line?: number;
  /** The validated answers; `loaded` once they are read as the file `build` would read. */
  answers?: Answers;
  loaded?: LoadedAnswers;
  /** Table rows: the base answers with the row laid over, as the user wrote them. */
  raw?: Record<string, unknown>;
  /** Table rows: the answers file written beside the appendix, from which `build` gives the same bytes. */
  answersFile?: { path: string; bytes: Uint8Array };
  name?: string;
  targets?: Array<{ format: Format; path: string }>;
  failure?: Failure;
  warnings: Problem[];
  written?: string[];
}

const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'templates', 'schema', 'answers.schema.json');
const display = (p: string) => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
};
const label = (it: Item) => (it.row ? `${display(it.input)} row ${it.row}` : display(it.input));

function failureOf(e: unknown): Failure {
  if (e instanceof UserError) return { message: e.message, problems: e.problems };
  const err = e as Error;
  return { message: `unexpected error — please report this with the command you ran:\n${err?.stack ?? String(e)}`, problems: [] };
}

/** Every answers file named: files as given, folders by their *.yaml, *.yml and *.json (drafts left out), sorted. */
async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    let st;
    try {
      st = await stat(input);
    } catch {
      throw new UserError(`${input}: no such file or folder. Give answers files, or folders of them.`);
    }
    if (!st.isDirectory()) {
      files.push(input);
      continue;
    }
    const names = (await readdir(input)).filter((n) => /\.(ya?ml|json)$/i.test(n) && !/\.draft\.ya?ml$/i.test(n)).sort();
    if (!names.length) throw new UserError(`${input}: the folder has no answers files (*.yaml, *.yml, *.json).`);
    files.push(...names.map((n) => path.join(input, n)));
  }
  return files;
}

/** Table rows: the base answers with each row's cells laid over, validated with the row and column named. */
async function itemsFromTable(tableFile: string, baseFile: string, ctx: Context): Promise<Item[]> {
  const text = decodeText(readInputFile(tableFile, 'table'), tableFile);
  const table = parseTable(text, tableFile);
  const kinds = tableColumns(table, ctx.library);
  const baseText = decodeText(readInputFile(baseFile, 'answers'), baseFile);
  const base = parseYamlSource(baseText, baseFile);
  if (base.problems.length) throw new UserError(`${baseFile}: not valid YAML or JSON`, base.problems);
  if (base.value === null || typeof base.value !== 'object' || Array.isArray(base.value)) throw new UserError(`${baseFile}: expected a mapping of answers keys.`);
  let baseValue = base.value as Record<string, unknown>;
  // A base of an earlier schema version is read as the current one, like any answers file.
  const plan = planMigration(baseValue);
  if (plan.kind === 'newer') throw newerAnswersError(baseFile, plan.version, base.lineOf(['schemaVersion']));
  if (plan.kind === 'migrated') baseValue = plan.value;

  return table.rows.map((r): Item => {
    const item: Item = { input: tableFile, row: r.row, line: r.line, warnings: [] };
    const where = { severity: 'error' as const, file: tableFile, line: r.line };
    const merged = structuredClone(baseValue);
    const cellProblems: Problem[] = [];
    for (const [column, raw] of r.cells) {
      const v = cellValue(raw, kinds.get(column)!, tableFile);
      if ('error' in v) cellProblems.push({ ...where, field: `row ${r.row}, column ${column}`, message: v.error });
      else setAnswerPath(merged, column, v.value);
    }
    if (cellProblems.length) {
      item.failure = { message: `${label(item)}: the row cannot be read`, problems: cellProblems };
      return item;
    }
    const parsed = AnswersSchema.safeParse(merged);
    if (!parsed.success) {
      // Each problem goes to the column that set it, else to the base answers file.
      const fromBase = problemsFromZod(parsed.error, baseFile, base.lineOf, merged);
      const problems = parsed.error.issues.map((issue, i): Problem => {
        const dotted = issue.path.map(String).join('.');
        const column = table.columns.find((c) => r.cells.has(c) && (dotted === c || dotted.startsWith(`${c}.`)));
        const p = fromBase[i]!;
        return column
          ? { ...p, file: tableFile, line: r.line, field: `row ${r.row}, column ${column}${dotted === column ? '' : ` › ${formatPath(issue.path.slice(column.split('.').length) as PropertyKey[])}`}` }
          : { ...p, field: `${p.field} (row ${r.row} of ${display(tableFile)})` };
      });
      item.failure = { message: `${label(item)}: the answers are not valid`, problems };
      return item;
    }
    item.answers = parsed.data;
    item.raw = merged;
    return item;
  });
}

function assertJobs(jobs: number | undefined): number {
  if (jobs === undefined) return availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs: expected a whole number of at least 1, e.g. --jobs 2');
  return jobs;
}

/** A progress line for a terminal: bar, count, rate and time left. */
function progressLine(done: number, total: number, failed: number, startedMs: number, width: number): string {
  const elapsed = (performance.now() - startedMs) / 1000;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const left = rate > 0 ? Math.round((total - done) / rate) : undefined;
  const text = ` ${done}/${total}${failed ? ` (${failed} failed)` : ''}  ${rate.toFixed(1)}/s  ${left === undefined ? '' : `${left} s left`}`;
  const barWidth = Math.max(10, Math.min(40, width - text.length - 3));
  const filled = Math.round((done / total) * barWidth);
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${text}`;
}

export async function runBatch(opts: BatchOptions, io: Io): Promise<number> {
  const started = performance.now();
  const jobs = assertJobs(opts.jobs);
  if (opts.name !== undefined) parseNamePattern(opts.name);
  if (opts.table && opts.inputs.length !== 1) {
    throw new UsageError(`--table: give exactly one answers file to lay the rows over (got ${opts.inputs.length}), e.g. dataklausul batch examples/cloud-hr.yaml --table buyers.csv`);
  }
  if (!opts.inputs.length) throw new UsageError('give answers files or folders, or one answers file with --table');

  const ctx = await loadContext(opts.library);
  if (opts.lang && (!ctx.templates.i18n[opts.lang] || !ctx.library.languages.includes(opts.lang))) {
    throw new UsageError(msg('error.lang', { lang: opts.lang, langs: ctx.library.languages.filter((l) => ctx.templates.i18n[l]).join(', ') }));
  }
  const policy: LoadedPolicy | null = opts.policy ? await readPolicy(opts.policy) : null;

  // 1. Read and validate every appendix's answers.
  let items: Item[];
  let inputFiles: string[];
  if (opts.table) {
    inputFiles = [opts.inputs[0]!, opts.table];
    items = await itemsFromTable(opts.table, opts.inputs[0]!, ctx);
  } else {
    inputFiles = await expandInputs(opts.inputs);
    items = [];
    for (const file of inputFiles) {
      const item: Item = { input: file, warnings: [] };
      try {
        item.loaded = await readAnswers(file);
        item.answers = item.loaded.answers;
      } catch (e) {
        item.failure = failureOf(e);
      }
      items.push(item);
    }
  }

  // 2. Names and targets; collisions, existing files and the output folder are checked before anything is written.
  const tableBase = opts.table ? safeNamePart(path.basename(opts.inputs[0]!).replace(/\.(ya?ml|json)$/i, '')) : '';
  const pattern = opts.name ?? (opts.table ? `${tableBase ? `${tableBase}-` : ''}{buyer.orgNumber}` : undefined);
  for (const it of items) {
    if (!it.answers) continue;
    if (pattern === undefined) it.name = path.basename(it.input).replace(/\.(ya?ml|json)$/i, '');
    else {
      const n = applyNamePattern(pattern, it.answers);
      if ('error' in n) {
        it.failure = { message: `${label(it)}: ${n.error}`, problems: [] };
        it.answers = it.loaded = undefined;
        continue;
      }
      it.name = n.name;
    }
    it.targets = opts.format.map((format) => ({ format, path: path.resolve(opts.out, `${it.name}.${format}`) }));
  }
  const byName = new Map<string, Item[]>();
  for (const it of items) if (it.name !== undefined && it.answers) byName.set(nameKey(it.name), [...(byName.get(nameKey(it.name)) ?? []), it]);
  const collisions = [...byName.values()].filter((list) => list.length > 1);
  if (collisions.length) {
    throw new UserError(
      `${collisions.length} output name${collisions.length === 1 ? ' is' : 's are'} shared by more than one appendix; nothing was written. Use --name with answers that differ per appendix, e.g. --name "{buyer.orgNumber}-{procurement.reference}".`,
      [
        ...collisions.slice(0, 20).map((list) => ({
          severity: 'error' as const,
          file: display(opts.out),
          field: `"${list[0]!.name}"`,
          message: `from ${list.map(label).join(', ')}`,
        })),
        // The rows that failed on their own are named too, so that one run shows every mistake.
        ...items.flatMap((it) => (it.failure ? (it.failure.problems.length ? it.failure.problems : [{ severity: 'error' as const, file: display(it.input), message: it.failure.message }]) : [])),
      ],
    );
  }

  // Table rows become answers files beside their appendices, so that `build <name>.yaml` gives the same bytes.
  for (const it of items) {
    const raw = it.raw;
    if (!raw || !it.answers || it.name === undefined) continue;
    const file = path.resolve(opts.out, `${it.name}.yaml`);
    const header = `dataklausul answers: row ${it.row} of ${path.basename(opts.table!)} over ${path.basename(opts.inputs[0]!)}.\nRebuild the appendix with: dataklausul build ${it.name}.yaml`;
    const schemaPath = path.relative(path.dirname(file), SCHEMA_FILE).split(path.sep).join('/');
    const bytes = Buffer.from(serializeAnswers(raw, { header, schemaPath }));
    it.answersFile = { path: file, bytes };
    try {
      it.loaded = parseAnswers(bytes, display(file));
    } catch (e) {
      it.failure = failureOf(e);
      it.answers = undefined;
    }
  }

  const planned = items.filter((it) => it.loaded);
  const allTargets = planned.flatMap((it) => [...(it.answersFile ? [it.answersFile.path] : []), ...it.targets!.map((t) => t.path)]);
  const inputs = new Set(inputFiles.map((f) => path.resolve(f)));
  const overInput = allTargets.filter((t) => inputs.has(t));
  if (overInput.length) throw new UserError(`${overInput.map(display).join(', ')}: would overwrite an input file; nothing was written. Choose another --out or --name.`);
  if (!opts.force) {
    const taken: string[] = [];
    for (const t of allTargets) if (await exists(t)) taken.push(t);
    if (taken.length) {
      throw new UserError(
        `${taken.length} output file${taken.length === 1 ? '' : 's'} already exist${taken.length === 1 ? 's' : ''} (${taken.slice(0, 5).map(display).join(', ')}${taken.length > 5 ? `, and ${taken.length - 5} more` : ''}); nothing was written. Use --force to overwrite, or --out DIR to write elsewhere.`,
      );
    }
  }
  if (planned.length) {
    // Prove the folder can be written before any appendix is: create it and write and remove a probe file.
    const probe = path.resolve(opts.out, `.dataklausul-batch-probe-${process.pid}`);
    await writeFilesAtomically([{ path: probe, bytes: new Uint8Array() }]);
    await rm(probe, { force: true });
  }

  // 3. Assemble on this thread, render on the workers, write each appendix as its files arrive.
  const tty = !!io.stderrIsTTY && !opts.json;
  const plainLines = !tty && !opts.json;
  let done = 0;
  let failed = items.filter((it) => it.failure).length;
  let lastDraw = 0;
  const draw = (force = false) => {
    if (!tty) return;
    const now = performance.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    io.stderr(`\r${progressLine(done + failed, items.length, failed, started, io.columns ?? 80)}\x1b[K`);
  };
  const finish = (it: Item) => {
    if (it.failure) {
      failed++;
      if (plainLines) io.stderr(`[${done + failed}/${items.length}] failed: ${label(it)}\n`);
    } else {
      done++;
      if (plainLines) io.stdout(`[${done + failed}/${items.length}] wrote ${it.written!.join(', ')}\n`);
    }
    draw();
  };
  for (const it of items) if (it.failure && plainLines) io.stderr(`failed: ${label(it)}\n`);
  draw(true);

  const modelOf = (it: Item): DocumentModel | null => {
    try {
      const { model, warnings } = assemble(ctx, it.loaded!, opts.lang ?? it.loaded!.answers.language, io.env, policy);
      it.warnings = [...migrationWarnings(it.loaded!, speakerOf(io)), ...warnings.filter((w) => !ctx.warnings.includes(w))];
      return model;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      it.failure = failureOf(e);
      return null;
    }
  };
  const write = async (it: Item, files: Array<{ format: Format; bytes: Uint8Array }>) => {
    try {
      const planned = [...(it.answersFile ? [it.answersFile] : []), ...it.targets!.map((t, i) => ({ path: t.path, bytes: files[i]!.bytes }))];
      await writeFilesAtomically(planned);
      it.written = planned.map((p) => display(p.path));
    } catch (e) {
      it.failure = failureOf(e);
    }
    finish(it);
  };

  const queue = [...planned];
  if (jobs === 1 || queue.length <= 1) {
    for (const it of queue) {
      const model = modelOf(it);
      if (!model) {
        finish(it);
        continue;
      }
      let files;
      try {
        files = await renderFormats(model, opts.format);
      } catch (e) {
        it.failure = failureOf(e);
        finish(it);
        continue;
      }
      await write(it, files);
    }
  } else {
    await renderOnWorkers(queue, Math.min(jobs, queue.length), opts.format, modelOf, write, (it, message) => {
      it.failure = { message: `unexpected error while rendering — please report this with the command you ran:\n${message}`, problems: [] };
      finish(it);
    }, finish);
  }
  if (tty) io.stderr(`\r${progressLine(done + failed, items.length, failed, started, io.columns ?? 80)}\x1b[K\n`);

  // 4. Summary.
  const seconds = (performance.now() - started) / 1000;
  const failures = items.filter((it) => it.failure);
  if (opts.json) {
    io.stdout(
      `${JSON.stringify(
        {
          ok: failures.length === 0,
          total: items.length,
          written: items.length - failures.length,
          failed: failures.length,
          jobs,
          seconds: Number(seconds.toFixed(3)),
          items: items.map((it) => ({
            input: display(it.input),
            ...(it.row ? { row: it.row, line: it.line } : {}),
            name: it.name ?? null,
            status: it.failure ? 'failed' : 'written',
            files: it.failure ? [] : it.written,
            ...(it.failure ? { message: it.failure.message, problems: it.failure.problems } : {}),
            warnings: it.warnings,
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const withWarnings = items.filter((it) => !it.failure && it.warnings.length);
    if (ctx.warnings.length || withWarnings.length) io.stderr('Warnings:\n');
    printProblems(io, ctx.warnings);
    for (const it of withWarnings) printProblems(io, it.warnings);
    if (failures.length) {
      io.stderr(`Failed (${failures.length}):\n`);
      for (const it of failures) {
        io.stderr(`  ${it.failure!.message.startsWith(label(it)) ? it.failure!.message : `${label(it)}: ${it.failure!.message}`}\n`);
        for (const p of it.failure!.problems) printProblems({ ...io, stderr: (s) => io.stderr(`  ${s}`) }, [p]);
      }
    }
    const n = items.length - failures.length;
    io.stdout(
      `batch: ${n} of ${items.length} appendices written to ${display(path.resolve(opts.out)) || '.'}${failures.length ? `, ${failures.length} failed` : ''} (${seconds.toFixed(1)} s, ${(n / seconds).toFixed(1)}/s, ${jobs} job${jobs === 1 ? '' : 's'})\n`,
    );
  }
  return failures.length ? 1 : 0;
}

/**
 * A render worker's heap: V8 would let each worker's old generation grow to a large share of the machine's memory
 * before collecting it, so that a batch of hundreds of appendices holds hundreds of megabytes of garbage. One render
 * keeps about 30 MB alive (the parsed fonts, one document and its PDF); the caps make the collector run well before a
 * worker's heap reaches them. A small young generation costs no measurable CPU here (renders allocate mostly
 * short-lived strings) and keeps the peak low: 357 appendices, docx + pdf, 2 workers: 372 MB without caps, 261 MB
 * with a 96 MB old generation, 227 MB with a 4 MB young generation besides.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 4 };

/** Keeps every worker busy: assembles the next appendix when a worker is free, writes what comes back. */
async function renderOnWorkers(
  queue: Item[],
  count: number,
  formats: Format[],
  modelOf: (it: Item) => DocumentModel | null,
  write: (it: Item, files: Array<{ format: Format; bytes: Uint8Array }>) => Promise<void>,
  crashed: (it: Item, message: string) => void,
  finish: (it: Item) => void,
): Promise<void> {
  // From the bundle (dist/dataklausul.cjs) the worker is its own bundle beside it; from tsc's output, the module.
  const url = new URL(BUNDLE_CODE_DIGEST ? './batch-worker.cjs' : './batch-worker.js', import.meta.url);
  const pending: Array<Promise<void>> = [];
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    let active = 0;
    const inFlight = new Map<Worker, Item>();
    const feed = (w: Worker) => {
      while (next < queue.length) {
        const it = queue[next++]!;
        let model: DocumentModel | null;
        try {
          model = modelOf(it);
        } catch (e) {
          reject(e);
          return;
        }
        if (!model) {
          finish(it);
          continue;
        }
        inFlight.set(w, it);
        w.postMessage({ id: next - 1, model, formats } satisfies RenderJob);
        return;
      }
      inFlight.delete(w);
      void w.terminate();
      if (--active === 0) resolve();
    };
    const start = () => {
      const w = new Worker(url, { resourceLimits: WORKER_LIMITS });
      active++;
      w.on('message', (msg: RenderResult) => {
        const it = queue[msg.id]!;
        if ('error' in msg) crashed(it, msg.error);
        else pending.push(write(it, msg.files));
        feed(w);
      });
      w.on('error', (e) => {
        // A worker that dies takes only its own appendix with it; a fresh one carries on.
        const it = inFlight.get(w);
        inFlight.delete(w);
        active--;
        if (it) crashed(it, e.stack ?? String(e));
        if (next < queue.length) start();
        else if (active === 0) resolve();
      });
      feed(w);
    };
    for (let i = 0; i < count; i++) start();
  });
  await Promise.all(pending);
}
