import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_MAX_FILE_BYTES, FILE_SIZE_ENV, FILE_SIZE_FLAG, formatSize, parseSize, setMaxFileBytes } from '../library/limits.js';
import { TOPICS } from '../core/topics.js';
import { msg } from '../core/messages.js';
import { Speaker } from '../library/messages.js';
import type { Reason } from '../assemble/reasons.js';
import { TemplateRenderError, UsageError, UserError } from '../library/problems.js';
import { FORMATS, type Format } from '../render/index.js';
import { defaultIo, printProblems, type Io } from './io.js';
import { registerOrgCommands, OrgExit } from './org-commands.js';
import { toolVersion } from './paths.js';
import { applyProjectFile } from './project.js';

export type { Io } from './io.js';

/** Parses `--format docx,pdf`; unknown names are a usage error. */
export function parseFormats(value: string): Format[] {
  const list = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (bad.length || !list.length) throw new UsageError(msg('error.format', { bad: bad.map((b) => `"${b}"`).join(', ') || '(empty)', formats: FORMATS.join(', ') }));
  return [...new Set(list)] as Format[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * The message language asked for on the command line, before any file is read: `--lang X` or
 * `--lang=X` anywhere in it. (Commander parses the same option again for the command itself.)
 */
export function langArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--lang' && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}

/** Commander's own help headings, in the speaker's language. */
const HELP_TITLES: Record<string, string> = {
  'Usage:': 'help.title.usage',
  'Options:': 'help.title.options',
  'Global Options:': 'help.title.globalOptions',
  'Commands:': 'help.title.commands',
  'Arguments:': 'help.title.arguments',
};

function buildProgram(io: Io, say: Speaker): Command {
  const t = (key: string, vars?: Record<string, string>) => say.t(key, vars);
  const langOption = () => new Option('--lang <lang>', t('help.opt.lang'));
  const program = new Command();
  /** --lang given to the command, or before it (`dataklausul --lang nn build …`). */
  const langOf = (opts: { lang?: string }): string | undefined => opts.lang ?? (program.opts() as { lang?: string }).lang;
  program
    .name('dataklausul')
    .description(t('help.program'))
    .version(toolVersion(), '-V, --version', t('help.version'))
    .helpOption('-h, --help', t('help.help'))
    .helpCommand('help [command]', t('help.helpCommand'))
    .configureHelp({
      styleTitle: (title) => (HELP_TITLES[title] ? t(HELP_TITLES[title]) : title),
      // Commander's own "(default: …)", in the speaker's language; an empty list is no default worth showing.
      optionDescription: (o) => {
        const shown = o.defaultValue !== undefined && !(Array.isArray(o.defaultValue) && !o.defaultValue.length);
        return shown ? `${o.description} (${t('help.default', { value: o.defaultValueDescription ?? JSON.stringify(o.defaultValue) })})` : o.description;
      },
    })
    .addOption(langOption())
    .option(`${FILE_SIZE_FLAG} <size>`, t('help.opt.maxFileSize', { default: formatSize(DEFAULT_MAX_FILE_BYTES), env: FILE_SIZE_ENV }))
    .showHelpAfterError(t('help.afterError'))
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  program.hook('preAction', (_cmd, action) => {
    const fromEnv = io.env[FILE_SIZE_ENV];
    const fromFlag = action.optsWithGlobals().maxFileSize as string | undefined;
    setMaxFileBytes(
      fromFlag !== undefined ? parseSize(fromFlag, FILE_SIZE_FLAG) : fromEnv !== undefined && fromEnv !== '' ? parseSize(fromEnv, FILE_SIZE_ENV) : DEFAULT_MAX_FILE_BYTES,
    );
  });

  program
    .command('new')
    .description(t('help.new'))
    .option('--answers <file>', t('help.new.answers'))
    .option('--out <dir>', t('help.new.out'), '.')
    .option('--format <list>', t('help.new.format', { formats: FORMATS.join(',') }), 'docx,pdf')
    .addOption(langOption())
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--force', t('help.opt.force'))
    .option('--lock', t('help.build.lock'))
    .action(async (opts: { answers?: string; out: string; format: string; lang?: string; library: string[]; force?: boolean; lock?: boolean }, cmd: Command) => {
      const formats = parseFormats(opts.format);
      const { runInterviewCommand } = await import('./new-command.js');
      // Flags typed on the command line win over the call a resumed draft recorded.
      const typed = (name: string) => cmd.getOptionValueSource(name) === 'cli' || (name === 'lang' && program.getOptionValueSource('lang') === 'cli');
      const given = { out: typed('out'), format: typed('format'), lang: typed('lang'), library: typed('library') };
      const code = await runInterviewCommand({ ...opts, lang: langOf(opts), format: formats, force: !!opts.force, lock: !!opts.lock, given }, io);
      if (code !== 0) throw new ExitCode(code);
    });

  program
    .command('serve')
    .description(t('help.serve'))
    .option('--port <n>', t('help.serve.port'), '7373')
    .option('--host <addr>', t('help.serve.host'), '127.0.0.1')
    .option('--open', t('help.serve.open'))
    .option('--format <list>', t('help.serve.format', { formats: FORMATS.join(',') }), FORMATS.join(','))
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--policy <file>', t('help.opt.policy'))
    .option('--out <dir>', t('help.serve.out'))
    .option('--force', t('help.opt.force'))
    .action(async (opts: { port: string; host: string; open?: boolean; format: string; library: string[]; policy?: string; out?: string; force?: boolean }) => {
      const format = parseFormats(opts.format);
      // The server (and through it the renderers) loads only for this command.
      const { runServeCommand } = await import('./serve/command.js');
      const code = await runServeCommand({ ...opts, format, open: !!opts.open, force: !!opts.force }, io);
      if (code !== 0) throw new ExitCode(code);
    });

  program
    .command('build')
    .description(t('help.build'))
    .argument('<answers>', t('help.build.answers'))
    .option('--format <list>', t('help.build.format', { formats: FORMATS.join(',') }), 'docx,pdf')
    .option('--out <dir>', t('help.build.out'), '.')
    .addOption(langOption())
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--split', t('help.build.split'))
    .option('--policy <file>', t('help.opt.policy'))
    .option('--lock', t('help.build.lock'))
    .option('--update-lock', t('help.build.updateLock'))
    .option('--force', t('help.opt.force'))
    .action(async (answersFile: string, opts: { format: string; out: string; lang?: string; library: string[]; policy?: string; force?: boolean; split?: boolean; lock?: boolean; updateLock?: boolean }) => {
      // The pipeline (zod, yaml, handlebars, marked) loads only for commands that need it, not for --help.
      const { buildFiles } = await import('./pipeline.js');
      const written = await buildFiles(
        answersFile,
        { format: parseFormats(opts.format), out: opts.out, lang: langOf(opts), library: opts.library, force: !!opts.force, policy: opts.policy, split: !!opts.split, lock: !!opts.lock, updateLock: !!opts.updateLock },
        io,
      );
      io.stdout(`${written.map((w) => say.t('build.wrote', { file: w })).join('\n')}\n`);
    });

  program
    .command('migrate')
    .description(t('help.migrate'))
    .argument('<file>', t('help.migrate.file'))
    .addOption(langOption())
    .action(async (file: string) => {
      const { runMigrate } = await import('./migrate-command.js');
      await runMigrate(file, io);
    });

  program
    .command('batch')
    .description(t('help.batch'))
    .argument('[answers...]', t('help.batch.answers'))
    .option('--table <file>', t('help.batch.table'))
    .option('--name <pattern>', t('help.batch.name'))
    .option('--format <list>', t('help.build.format', { formats: FORMATS.join(',') }), 'docx,pdf')
    .option('--out <dir>', t('help.build.out'), '.')
    .option('--jobs <n>', t('help.batch.jobs'))
    .addOption(langOption())
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--policy <file>', t('help.opt.policy'))
    .option('--force', t('help.opt.force'))
    .option('--json', t('help.batch.json'))
    .action(
      async (
        inputs: string[],
        opts: { table?: string; name?: string; format: string; out: string; jobs?: string; lang?: string; library: string[]; policy?: string; force?: boolean; json?: boolean },
      ) => {
        const format = parseFormats(opts.format);
        if (opts.jobs !== undefined && !/^\s*\d+\s*$/.test(opts.jobs)) throw new UsageError(msg('error.jobs', { value: opts.jobs }));
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
    .description(t('help.explain'))
    .argument('<answers>', t('help.explain.answers'))
    .option('--json', t('help.explain.json'))
    .addOption(langOption())
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--policy <file>', t('help.explain.policy'))
    .action(async (answersFile: string, opts: { json?: boolean; library: string[]; policy?: string }) => {
      const { check, loadContext, migrationWarnings, readAnswers, readPolicy } = await import('./pipeline.js');
      const loaded = await readAnswers(answersFile);
      say.followAnswers(loaded.answers.language);
      const migrated = migrationWarnings(loaded, say);
      if (migrated.length) {
        io.stderr(`${say.t('warnings')}\n`);
        printProblems(io, migrated);
      }
      const ctx = await loadContext(opts.library);
      const policy = opts.policy ? await readPolicy(opts.policy) : null;
      const { selection: sel, problems, deviations } = check(ctx, loaded, policy);
      const { clauseOrigins } = await import('../library/layers.js');
      const origins = clauseOrigins(ctx.library.layers);
      // Which layer a clause comes from, and the earlier layers' versions it replaces.
      const layerOf = (id: string) => {
        const chain = origins.get(id) ?? [];
        const last = chain[chain.length - 1];
        return { library: last ? `${last.library} ${last.libraryVersion}` : '', overrides: chain.slice(0, -1).map((c) => ({ library: `${c.library} ${c.libraryVersion}`, version: c.clauseVersion })) };
      };
      // Why a clause is in or out, in the speaker's language; --json keeps the English `reason` for scripts, with its catalogue key.
      const { renderReason } = await import('../assemble/reasons.js');
      const why = (s: { because: Reason }) => renderReason((key, vars) => say.t(key, vars), s.because);
      if (opts.json) {
        io.stdout(
          `${JSON.stringify(
            {
              included: sel.included.map((s) => ({ id: s.clause.meta.id, version: s.clause.meta.version, topic: s.clause.meta.topic, reason: s.reason, reasonKey: s.because.key, ...layerOf(s.clause.meta.id) })),
              excluded: sel.excluded.map((s) => ({ id: s.clause.meta.id, topic: s.clause.meta.topic, reason: s.reason, reasonKey: s.because.key, ...(s.omitted !== undefined ? { omitted: s.omitted } : {}) })),
              omitted: sel.excluded.filter((s) => s.omitted !== undefined).map((s) => ({ id: s.clause.meta.id, version: s.clause.meta.version, topic: s.clause.meta.topic, reason: s.omitted! })),
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
          for (const s of inc) {
            const o = layerOf(s.clause.meta.id);
            const replaces = o.overrides.map((x) => say.t('explain.replaces', { version: x.version, library: x.library })).join(', ');
            const from = ctx.library.layers.length > 1 ? ` [${o.library}${replaces ? `, ${replaces}` : ''}]` : '';
            io.stdout(`  + ${s.clause.meta.id} ${s.clause.meta.version}${from}: ${why(s)}\n`);
          }
          for (const s of exc) io.stdout(`  - ${s.clause.meta.id}: ${why(s)}\n`);
        }
        io.stdout(`${say.t('explain.summary', { included: sel.included.length, excluded: sel.excluded.length })}\n`);
        if (deviations.length) io.stdout(`${say.t('explain.deviations')}\n${deviations.map((d) => `  ${d.rule}: ${d.message}\n`).join('')}`);
        if (problems.length) {
          io.stderr(`${say.t('explain.problems')}\n`);
          printProblems(io, problems);
        }
      }
      if (problems.some((p) => p.severity === 'error')) throw new ExitCode(1);
    });

  program
    .command('evaluate')
    .description(t('help.evaluate'))
    .argument('<answers>', t('help.evaluate.answers'))
    .argument('<responses...>', t('help.evaluate.responses'))
    .option('--format <list>', t('help.evaluate.format'))
    .option('--out <dir>', t('help.evaluate.out'), '.')
    .option('--json', t('help.evaluate.json'))
    .addOption(langOption())
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--policy <file>', t('help.evaluate.policy'))
    .option('--force', t('help.opt.force'))
    .action(async (answersFile: string, responses: string[], opts: { format?: string; out: string; json?: boolean; lang?: string; library: string[]; policy?: string; force?: boolean }, cmd: Command) => {
      const { runEvaluate } = await import('./evaluate-command.js');
      // The project file's `formats` are the appendix's (docx, pdf …), not the report's.
      const format = cmd.getOptionValueSource('format') === 'config' ? undefined : opts.format;
      const code = await runEvaluate(answersFile, responses, { ...opts, format, lang: langOf(opts), force: !!opts.force, json: !!opts.json }, io, say);
      if (code !== 0) throw new ExitCode(code);
    });

  program
    .command('lint')
    .description(t('help.lint'))
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--against <old>', t('help.lint.against'))
    .option('--json', t('help.lint.json'))
    .addOption(langOption())
    .action(async (opts: { library: string[]; json?: boolean; against?: string }) => {
      const { runLint } = await import('./lint-command.js');
      const code = await runLint(opts.library, !!opts.json, io, opts.against);
      if (code !== 0) throw new ExitCode(code);
    });

  const clauses = program.command('clauses').description(t('help.clauses'));
  clauses
    .command('list')
    .description(t('help.clauses.list'))
    .option('--json', t('help.clauses.list.json'))
    .addOption(langOption())
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .action(async (opts: { json?: boolean; lang?: string; library: string[] }) => {
      const { loadContext } = await import('./pipeline.js');
      const ctx = await loadContext(opts.library);
      const asked = langOf(opts);
      if (asked !== undefined && !ctx.library.languages.includes(asked)) throw new UsageError(msg('error.lang', { lang: asked, langs: ctx.library.languages.join(', ') }));
      const lang = asked ?? say.lang;
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
        io.stdout(`${say.t('clauses.count', { n: list.length })}\n`);
      }
    });
  clauses
    .command('formats')
    .description(t('help.clauses.formats'))
    .option('--json', t('help.clauses.formats.json'))
    .addOption(langOption())
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .action(async (opts: { json?: boolean; lang?: string; library: string[] }) => {
      const { loadContext } = await import('./pipeline.js');
      const { localName } = await import('../core/format-kinds.js');
      const ctx = await loadContext(opts.library);
      const list = [...ctx.library.formats.values()];
      if (opts.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      else {
        const lang = langOf(opts) ?? say.lang;
        const kindName = (k: string): string =>
          ({
            'data-format': say.t('formats.kind.dataFormat'),
            'document-format': say.t('formats.kind.documentFormat'),
            'archive-package': say.t('formats.kind.archivePackage'),
            'api-spec': say.t('formats.kind.apiSpec'),
            'metadata-standard': say.t('formats.kind.metadataStandard'),
          })[k] ?? k;
        const kinds = (f: (typeof list)[number]) => [f.kind, ...(f.alsoKinds ?? [])].map(kindName).join(' + ');
        const w = Math.max(...list.map((f) => f.id.length));
        const wk = Math.max(...list.map((f) => kinds(f).length));
        for (const f of list) io.stdout(`${f.id.padEnd(w)}  ${kinds(f).padEnd(wk)}  ${f.status.padEnd(15)}  ${localName(f.name, lang)} — ${f.standard} [${f.sectors.join(', ')}]\n`);
        io.stdout(`${say.t('formats.count', { n: list.length })}\n`);
      }
    });
  clauses
    .command('show')
    .description(t('help.clauses.show'))
    .argument('<id>', t('help.clauses.show.id'))
    .addOption(langOption())
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .action(async (id: string, opts: { lang?: string; library: string[] }) => {
      const { loadContext } = await import('./pipeline.js');
      const ctx = await loadContext(opts.library);
      const c = ctx.library.byId.get(id);
      if (!c) throw new UserError(msg('error.noClause', { id }));
      const lang = langOf(opts) ?? say.lang;
      const text = c.texts[lang];
      if (!text) throw new UserError(msg('error.noText', { id, lang, langs: Object.keys(c.texts).join(', ') }));
      const m = c.meta;
      const lines = [
        `${m.id} ${m.version} (${m.topic}) — ${text.title}`,
        say.t('show.library', { library: c.library, file: c.file }),
        say.t('show.placement', { placement: m.ssa }),
      ];
      if (m.requirement) lines.push(say.t('show.requirement', { id: m.requirement.id, level: m.requirement.level, text: text.requirement ?? '' }));
      if (m.basis.length) lines.push(say.t('show.basis', { basis: m.basis.join('; ') }));
      if (m.when) lines.push(say.t('show.when', { when: JSON.stringify(m.when) }));
      if (m.requires.length) lines.push(say.t('show.requires', { ids: m.requires.join(', ') }));
      if (m.excludes.length) lines.push(say.t('show.excludes', { ids: m.excludes.join(', ') }));
      for (const [name, p] of Object.entries(m.params)) {
        const range = 'min' in p || 'max' in p ? ` [${'min' in p && p.min !== undefined ? p.min : ''}..${'max' in p && p.max !== undefined ? p.max : ''}]` : '';
        lines.push(say.t('show.param', { name, type: `${p.type}${'unit' in p ? ` (${p.unit})` : ''}`, default: JSON.stringify(p.default), range, question: text.questions[name] ?? '' }));
      }
      io.stdout(`${lines.join('\n')}\n\n${text.body.trim()}\n`);
    });

  registerOrgCommands(program, io, say);

  // The project file (dataklausul.yaml) fills the options a command has and the user did not give.
  program.hook('preAction', async (_root, action) => {
    await applyProjectFile(action, process.cwd());
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
  const say = io.speaker ?? new Speaker(langArgument(argv), io.env.DATAKLAUSUL_LANG || undefined);
  const program = buildProgram({ ...io, speaker: say }, say);
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ExitCode || e instanceof OrgExit) return e.code;
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`dataklausul: ${say.text(e.msg, e.message)}\n`);
      return 2;
    }
    if (e instanceof UserError) {
      io.stderr(`dataklausul: ${say.text(e.msg, e.message)}\n`);
      printProblems({ ...io, speaker: say }, e.problems);
      return 1;
    }
    if (e instanceof TemplateRenderError) {
      io.stderr(`dataklausul: ${say.t('error.render', { file: e.file, clause: e.clauseId, reason: e.message })}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'ENOSPC' || err.code === 'EROFS')) {
      io.stderr(`dataklausul: ${say.t('error.cannotWrite', { reason: err.message })}\n`);
      return 1;
    }
    io.stderr(`dataklausul: ${say.t('error.unexpected')}\n${err?.stack ?? String(e)}\n`);
    return 70;
  }
}
