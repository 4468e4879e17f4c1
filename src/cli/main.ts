import { Command, CommanderError, Option } from 'commander';
import { TOPICS } from '../core/topics.js';
import { TemplateRenderError, UsageError, UserError } from '../library/problems.js';
import { FORMATS, type Format } from '../render/index.js';
import { defaultIo, printProblems, type Io } from './io.js';
import { toolVersion } from './paths.js';

export type { Io } from './io.js';

/** Parses `--format docx,pdf`; unknown names are a usage error. */
export function parseFormats(value: string): Format[] {
  const list = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (bad.length || !list.length) throw new UsageError(`--format: unknown format ${bad.map((b) => `"${b}"`).join(', ') || '(empty)'}; use a comma-separated list of ${FORMATS.join(', ')}`);
  return [...new Set(list)] as Format[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

function langOption(): Option {
  return new Option('--lang <lang>', 'output language: nb, nn or en (default: the answers file\'s language)');
}

function buildProgram(io: Io): Command {
  const program = new Command();
  program
    .name('dataklausul')
    .description(
      'Assembles a contract appendix of data clauses (ownership, access and APIs, export formats, exit, pricing of data access) for Norwegian public IT procurement, as DOCX, PDF/A, Markdown, HTML or JSON.',
    )
    .version(toolVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run "dataklausul --help" for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  program
    .command('new')
    .description('interactive interview in the terminal; writes an answers file, then builds the appendix')
    .option('--answers <file>', 'answers file to write (or a draft to resume)')
    .option('--out <dir>', 'folder for the appendix files', '.')
    .option('--format <list>', `formats to build: ${FORMATS.join(',')}`, 'docx,pdf')
    .addOption(langOption())
    .option('--library <dir>', 'extra clause library layered over the national baseline (repeatable)', collect, [])
    .option('--force', 'overwrite existing files')
    .action(async (opts: { answers?: string; out: string; format: string; lang?: string; library: string[]; force?: boolean }) => {
      const formats = parseFormats(opts.format);
      const { runInterviewCommand } = await import('./new-command.js');
      const code = await runInterviewCommand({ ...opts, format: formats, force: !!opts.force }, io);
      if (code !== 0) throw new ExitCode(code);
    });

  program
    .command('build')
    .description('build the appendix from an answers file, without questions')
    .argument('<answers>', 'answers file (YAML or JSON), e.g. examples/cloud-hr.yaml')
    .option('--format <list>', `comma-separated formats: ${FORMATS.join(',')}`, 'docx,pdf')
    .option('--out <dir>', 'output folder', '.')
    .addOption(langOption())
    .option('--library <dir>', 'extra clause library layered over the national baseline (repeatable)', collect, [])
    .option('--policy <file>', 'architecture policy file to enforce')
    .option('--force', 'overwrite existing output files')
    .action(async (answersFile: string, opts: { format: string; out: string; lang?: string; library: string[]; policy?: string; force?: boolean }) => {
      // The pipeline (zod, yaml, handlebars, marked) loads only for commands that need it, not for --help.
      const { buildFiles } = await import('./pipeline.js');
      const written = await buildFiles(
        answersFile,
        { format: parseFormats(opts.format), out: opts.out, lang: opts.lang, library: opts.library, force: !!opts.force, policy: opts.policy },
        io,
      );
      io.stdout(`${written.map((w) => `wrote ${w}`).join('\n')}\n`);
    });

  program
    .command('batch')
    .description('build many appendices in one run: from answers files or folders of them, or from one answers file and a table of per-buyer rows')
    .argument('[answers...]', 'answers files or folders of them; with --table, the one answers file the rows are laid over')
    .option('--table <file>', 'CSV or YAML table with one row per appendix and columns named by answer path (buyer.name, buyer.orgNumber, …)')
    .option('--name <pattern>', 'output name from answers, e.g. "{buyer.orgNumber}-{procurement.reference}" (default: the answers file\'s name; with --table "<answers>-{buyer.orgNumber}")')
    .option('--format <list>', `comma-separated formats: ${FORMATS.join(',')}`, 'docx,pdf')
    .option('--out <dir>', 'output folder', '.')
    .option('--jobs <n>', 'appendices rendered in parallel (default: the number of cores)')
    .addOption(langOption())
    .option('--library <dir>', 'extra clause library layered over the national baseline (repeatable)', collect, [])
    .option('--policy <file>', 'architecture policy file to enforce')
    .option('--force', 'overwrite existing output files')
    .option('--json', 'print a machine-readable summary of every appendix')
    .action(
      async (
        inputs: string[],
        opts: { table?: string; name?: string; format: string; out: string; jobs?: string; lang?: string; library: string[]; policy?: string; force?: boolean; json?: boolean },
      ) => {
        const format = parseFormats(opts.format);
        if (opts.jobs !== undefined && !/^\s*\d+\s*$/.test(opts.jobs)) throw new UsageError(`--jobs: expected a whole number of at least 1, got "${opts.jobs}"`);
        const { runBatch } = await import('./batch.js');
        const code = await runBatch(
          { ...opts, inputs, format, jobs: opts.jobs === undefined ? undefined : Number(opts.jobs), force: !!opts.force, json: !!opts.json },
          io,
        );
        if (code !== 0) throw new ExitCode(code);
      },
    );

  program
    .command('explain')
    .description('list which clauses are in or out of the appendix, and why')
    .argument('<answers>', 'answers file (YAML or JSON)')
    .option('--json', 'print { included: [{ id, version, reason }], excluded: [{ id, reason }] }')
    .option('--library <dir>', 'extra clause library (repeatable)', collect, [])
    .option('--policy <file>', 'architecture policy file to check against')
    .action(async (answersFile: string, opts: { json?: boolean; library: string[]; policy?: string }) => {
      const { check, loadContext, readAnswers, readPolicy } = await import('./pipeline.js');
      const loaded = await readAnswers(answersFile);
      const ctx = await loadContext(opts.library);
      const policy = opts.policy ? await readPolicy(opts.policy) : null;
      const { selection: sel, problems, deviations } = check(ctx, loaded, policy);
      if (opts.json) {
        io.stdout(
          `${JSON.stringify(
            {
              included: sel.included.map((s) => ({ id: s.clause.meta.id, version: s.clause.meta.version, topic: s.clause.meta.topic, reason: s.reason })),
              excluded: sel.excluded.map((s) => ({ id: s.clause.meta.id, topic: s.clause.meta.topic, reason: s.reason })),
              problems,
              deviations,
            },
            null,
            2,
          )}\n`,
        );
      } else {
        for (const topic of TOPICS) {
          const inc = sel.included.filter((s) => s.clause.meta.topic === topic);
          const exc = sel.excluded.filter((s) => s.clause.meta.topic === topic);
          if (!inc.length && !exc.length) continue;
          io.stdout(`${topic}\n`);
          for (const s of inc) io.stdout(`  + ${s.clause.meta.id} ${s.clause.meta.version}: ${s.reason}\n`);
          for (const s of exc) io.stdout(`  - ${s.clause.meta.id}: ${s.reason}\n`);
        }
        io.stdout(`${sel.included.length} included, ${sel.excluded.length} excluded\n`);
        if (deviations.length) io.stdout(`Accepted deviations from the policy:\n${deviations.map((d) => `  ${d.rule}: ${d.message}\n`).join('')}`);
        if (problems.length) {
          io.stderr('Problems:\n');
          printProblems(io, problems);
        }
      }
      if (problems.some((p) => p.severity === 'error')) throw new ExitCode(1);
    });

  program
    .command('lint')
    .description('validate the clause libraries (the national baseline plus any --library)')
    .option('--library <dir>', 'extra clause library to check (repeatable)', collect, [])
    .option('--json', 'print the problems as JSON')
    .action(async (opts: { library: string[]; json?: boolean }) => {
      const { runLint } = await import('./lint-command.js');
      const code = await runLint(opts.library, !!opts.json, io);
      if (code !== 0) throw new ExitCode(code);
    });

  const clauses = program.command('clauses').description('list or show the clauses in the libraries');
  clauses
    .command('list')
    .description('list every clause: id, version, topic, title, languages')
    .option('--json', 'print an array of { id, version, topic, title, languages }')
    .addOption(langOption())
    .option('--library <dir>', 'extra clause library (repeatable)', collect, [])
    .action(async (opts: { json?: boolean; lang?: string; library: string[] }) => {
      const { loadContext } = await import('./pipeline.js');
      const ctx = await loadContext(opts.library);
      const lang = opts.lang ?? 'nb';
      const list = ctx.library.clauses.map((c) => ({
        id: c.meta.id,
        version: c.meta.version,
        topic: c.meta.topic,
        title: c.texts[lang]?.title ?? Object.values(c.texts)[0]?.title ?? '',
        languages: Object.keys(c.texts).sort(),
      }));
      if (opts.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      else {
        const w = Math.max(...list.map((l) => l.id.length));
        for (const l of list) io.stdout(`${l.id.padEnd(w)}  ${l.version.padEnd(6)}  ${l.title}  [${l.languages.join(', ')}]\n`);
        io.stdout(`${list.length} clauses\n`);
      }
    });
  clauses
    .command('formats')
    .description('list the export formats and API standards in the format registry, with their Norwegian status')
    .option('--json', 'print an array of { id, name, kind, standard, sectors, status, statusNote, source }')
    .option('--library <dir>', 'extra clause library (repeatable)', collect, [])
    .action(async (opts: { json?: boolean; library: string[] }) => {
      const { loadContext } = await import('./pipeline.js');
      const ctx = await loadContext(opts.library);
      const list = [...ctx.library.formats.values()];
      if (opts.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      else {
        const w = Math.max(...list.map((f) => f.id.length));
        for (const f of list) io.stdout(`${f.id.padEnd(w)}  ${f.status.padEnd(15)}  ${f.name} — ${f.standard} [${f.sectors.join(', ')}]\n`);
        io.stdout(`${list.length} formats\n`);
      }
    });
  clauses
    .command('show')
    .description('show one clause: metadata, parameters and text')
    .argument('<id>', 'clause id, e.g. exit/transition-period')
    .addOption(langOption())
    .option('--library <dir>', 'extra clause library (repeatable)', collect, [])
    .action(async (id: string, opts: { lang?: string; library: string[] }) => {
      const { loadContext } = await import('./pipeline.js');
      const ctx = await loadContext(opts.library);
      const c = ctx.library.byId.get(id);
      if (!c) throw new UserError(`no clause with id "${id}". Run \`dataklausul clauses list\` to see the ids.`);
      const lang = opts.lang ?? 'nb';
      const t = c.texts[lang];
      if (!t) throw new UserError(`clause ${id} has no "${lang}" text; it has: ${Object.keys(c.texts).join(', ')}.`);
      const m = c.meta;
      const lines = [
        `${m.id} ${m.version} (${m.topic}) — ${t.title}`,
        `library: ${c.library}   file: ${c.file}`,
        `SSA placement: ${m.ssa}`,
      ];
      if (m.requirement) lines.push(`requirement: ${m.requirement.id} (${m.requirement.level}): ${t.requirement ?? ''}`);
      if (m.basis.length) lines.push(`basis: ${m.basis.join('; ')}`);
      if (m.when) lines.push(`when: ${JSON.stringify(m.when)}`);
      if (m.requires.length) lines.push(`requires: ${m.requires.join(', ')}`);
      if (m.excludes.length) lines.push(`excludes: ${m.excludes.join(', ')}`);
      for (const [name, p] of Object.entries(m.params)) {
        const range = 'min' in p || 'max' in p ? ` [${'min' in p && p.min !== undefined ? p.min : ''}..${'max' in p && p.max !== undefined ? p.max : ''}]` : '';
        lines.push(`param ${name}: ${p.type}${'unit' in p ? ` (${p.unit})` : ''}, default ${JSON.stringify(p.default)}${range} — ${t.questions[name] ?? ''}`);
      }
      io.stdout(`${lines.join('\n')}\n\n${t.body.trim()}\n`);
    });

  return program;
}

/** Thrown by an action to end with a given exit code after it has printed what it needs to. */
class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * The one error boundary: maps every error to an exit code. User mistakes print their message
 * without a stack trace (1); usage errors (2); anything unexpected prints the stack (70).
 */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`dataklausul: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UserError) {
      io.stderr(`dataklausul: ${e.message}\n`);
      printProblems(io, e.problems);
      return 1;
    }
    if (e instanceof TemplateRenderError) {
      io.stderr(`dataklausul: ${e.file}: clause ${e.clauseId} could not be rendered: ${e.message}. Run \`dataklausul lint\`.\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'ENOSPC' || err.code === 'EROFS')) {
      io.stderr(`dataklausul: cannot write: ${err.message}. Nothing was written.\n`);
      return 1;
    }
    io.stderr(`dataklausul: unexpected error — please report this with the command you ran:\n${err?.stack ?? String(e)}\n`);
    return 70;
  }
}
