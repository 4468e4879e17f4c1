import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { msg } from '../core/messages.js';
import { UsageError, UserError, formatProblem, type Problem } from '../library/problems.js';
import { printProblems, type Io } from './io.js';
import type { Speaker } from '../library/messages.js';

/** A file's text, or '' when it cannot be read. */
function readTextOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Commands for organisations: `init` (the project file), `diff` (two library versions), `redline`
 * (two built appendices), `audit` (many procurements against a policy) and `policy lint`.
 * Each loads its modules only when it runs.
 */

const collect = (value: string, previous: string[]) => [...previous, value];

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Thrown to end with a code after printing; main.ts maps it like its own ExitCode. */
export { Exit as OrgExit };

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

/** Loads one library folder or package on its own (not layered), for `diff` and `lint --against`. */
export async function loadOneLibrary(spec: string) {
  const { resolveLibrary } = await import('../library/resolve.js');
  const { loadLibrary } = await import('../library/load.js');
  const resolved = resolveLibrary(spec);
  const r = await loadLibrary(resolved.dir);
  const errors = r.problems.filter((p) => p.severity === 'error');
  if (!r.library || errors.length) throw new UserError(msg('diff.cannotRead', { spec }), errors);
  return r.library;
}

/** Answers files under the given files and folders (YAML/JSON with a schemaVersion key), sorted. */
function findAnswersFiles(inputs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, top: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      if (top) throw new UserError(msg('audit.noSuchPath', { path: p }));
      return;
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(p).sort()) if (!e.startsWith('.') && e !== 'node_modules') walk(path.join(p, e), false);
    } else if (st.isFile() && (top || /\.(ya?ml|json)$/i.test(p))) out.push(p);
  };
  for (const i of inputs) walk(i, true);
  return [...new Set(out)];
}

export function registerOrgCommands(program: Command, io: Io, say: Speaker): void {
  const t = (key: string) => say.t(key);
  const tr = say.t.bind(say);
  program
    .command('init')
    .description(t('help.init'))
    .option('--force', t('help.init.force'))
    .action(async (opts: { force?: boolean }) => {
      const { PROJECT_FILE, projectFileTemplate } = await import('./project.js');
      const { assertWritable, writeFilesAtomically } = await import('./write.js');
      const target = path.resolve(PROJECT_FILE);
      await assertWritable([target], !!opts.force);
      await writeFilesAtomically([{ path: target, bytes: new TextEncoder().encode(projectFileTemplate()) }]);
      io.stdout(`${say.t('build.wrote', { file: PROJECT_FILE })}\n`);
    });

  program
    .command('diff')
    .description(t('help.diff'))
    .argument('<old>', t('help.diff.old'))
    .argument('<new>', t('help.diff.new'))
    .option('--json', t('help.diff.json'))
    .option('--md', t('help.diff.md'))
    .action(async (oldSpec: string, newSpec: string, opts: { json?: boolean; md?: boolean }) => {
      if (opts.json && opts.md) throw new UsageError(msg('diff.jsonOrMd'));
      const { diffLibraries, formatDiffMarkdown, formatDiffText } = await import('../library/diff.js');
      const d = diffLibraries(await loadOneLibrary(oldSpec), await loadOneLibrary(newSpec));
      io.stdout(opts.json ? `${JSON.stringify(d, null, 2)}\n` : opts.md ? formatDiffMarkdown(d, tr) : formatDiffText(d, tr));
    });

  program
    .command('redline')
    .description(t('help.redline'))
    .argument('<before>', t('help.redline.before'))
    .argument('<after>', t('help.redline.after'))
    .option('--out <dir>', t('help.redline.out'), '.')
    .option('--name <base>', t('help.redline.name'))
    .option('--force', t('help.opt.force'))
    .action(async (beforeFile: string, afterFile: string, opts: { out: string; name?: string; force?: boolean }) => {
      const { assertWritable, writeFilesAtomically } = await import('./write.js');
      const base = opts.name ?? `${path.basename(afterFile).replace(/\.json$/i, '')}.redline`;
      if (!/^[^/\\]+$/.test(base)) throw new UsageError(msg('redline.badName', { base }));
      const targets = { docx: path.resolve(opts.out, `${base}.docx`), html: path.resolve(opts.out, `${base}.html`) };
      await assertWritable(Object.values(targets), !!opts.force);
      const before = await readModel(beforeFile);
      const after = await readModel(afterFile);
      const r = await import('../render/redline.js');
      const mismatch = r.redlineMismatch(before, after);
      if (mismatch) throw new UserError(msg('redline.mismatch', { after: afterFile, before: beforeFile, ...mismatch }));
      // The page speaks the appendices' language unless --lang or DATAKLAUSUL_LANG chose one.
      say.followAnswers(after.lang);
      const paras = r.redlineParagraphs(r.flattenModel(before), r.flattenModel(after));
      const html = r.renderRedlineHtml(paras, before, after, { title: say.t('redline.title', { title: after.title.procurementTitle }), from: say.t('redline.before'), to: say.t('redline.after'), counts: (c) => say.t('redline.counts', c) });
      const docx = await r.renderRedlineDocx(paras, after);
      await writeFilesAtomically([
        { path: targets.docx, bytes: docx },
        { path: targets.html, bytes: new TextEncoder().encode(html) },
      ]);
      const s = r.summarize(paras);
      io.stdout(`${say.t('build.wrote', { file: rel(targets.docx) })}\n${say.t('build.wrote', { file: rel(targets.html) })}\n${say.t('redline.summary', { n: s.changedParagraphs, insertions: s.insertions, deletions: s.deletions })}\n`);
    });

  program
    .command('audit')
    .description(t('help.audit'))
    .argument('<paths...>', t('help.audit.paths'))
    .requiredOption('--policy <file>', t('help.audit.policy'))
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--format <list>', t('help.audit.format'))
    .option('--out <dir>', t('help.audit.out'), '.')
    .option('--json', t('help.audit.json'))
    .option('--force', t('help.opt.force'))
    .action(async (inputs: string[], opts: { policy: string; library: string[]; format?: string; out: string; json?: boolean; force?: boolean }, cmd: Command) => {
      // The project file's `formats` are the appendix's (docx, pdf …), not the report's.
      const given = cmd.getOptionValueSource('format') === 'config' ? undefined : opts.format;
      const formats = given ? parseAuditFormats(given) : [];
      const { check, loadContext, readAnswers, readPolicy } = await import('./pipeline.js');
      const audit = await import('../assemble/audit.js');
      const policy = await readPolicy(opts.policy);
      const base = `audit-${policy.policy.name}`;
      const targets = formats.map((f) => ({ f, path: path.resolve(opts.out, `${base}.${f}`) }));
      const { assertWritable, writeFilesAtomically } = await import('./write.js');
      await assertWritable(
        targets.map((t) => t.path),
        !!opts.force,
      );
      const files = findAnswersFiles(inputs);
      const ctx = await loadContext(opts.library);
      const tty = !!process.stderr.isTTY && !opts.json;
      const results = [];
      let n = 0;
      for (const file of files) {
        n++;
        if (tty) process.stderr.write(`\r${say.t('audit.progress', { n, total: files.length })} ${rel(file).slice(-50).padEnd(50)}`);
        let loaded;
        try {
          loaded = await readAnswers(file);
        } catch (e) {
          // Other YAML in the folder (policies, project files, libraries) is not a procurement.
          if (!inputs.includes(file) && e instanceof UserError && !/schemaVersion/.test(readTextOrEmpty(file))) continue;
          results.push({ file: rel(file), buyer: '', title: '', reference: '', rules: [], error: e instanceof UserError ? [say.text(e.msg, e.message), ...e.problems.map((p) => formatProblem(p, say.lang))].join(' ') : String(e) });
          continue;
        }
        try {
          const { selection } = check(ctx, loaded, null);
          results.push(audit.auditProcurement(policy.policy, rel(file), loaded.answers, selection));
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          results.push({ file: rel(file), buyer: loaded.answers.buyer.name, title: loaded.answers.procurement.title, reference: loaded.answers.procurement.reference, rules: [], error: [say.text(e.msg, e.message), ...e.problems.map((p) => formatProblem(p, say.lang))].join(' ') });
        }
      }
      if (tty) process.stderr.write('\r\x1b[K');
      if (!results.length) throw new UserError(msg('audit.noAnswers', { paths: inputs.join(', ') }));
      const report = audit.summarizeAudit(policy.policy, policy.digest, results);
      const render: Record<string, () => string> = {
        md: () => audit.formatAuditMarkdown(report, tr),
        html: () => audit.formatAuditHtml(report, tr, say.lang),
        json: () => `${JSON.stringify(report, null, 2)}\n`,
        csv: () => audit.formatAuditCsv(report, tr),
      };
      if (targets.length) await writeFilesAtomically(targets.map((t) => ({ path: t.path, bytes: new TextEncoder().encode(render[t.f]!()) })));
      io.stdout(opts.json ? render.json!() : audit.formatAuditTable(report, tr));
      for (const x of targets) io.stdout(opts.json ? '' : `${say.t('build.wrote', { file: rel(x.path) })}\n`);
      if (report.failing) throw new Exit(1);
    });

  const policyCmd = program.command('policy').description(t('help.policy'));
  policyCmd
    .command('lint')
    .description(t('help.policy.lint'))
    .argument('<file>', t('help.policy.lint.file'))
    .option('--library <dir>', t('help.opt.library'), collect, [])
    .option('--json', t('help.policy.lint.json'))
    .action(async (file: string, opts: { library: string[]; json?: boolean }) => {
      const { loadContext, readPolicy } = await import('./pipeline.js');
      const { lintPolicy, policyContradictions } = await import('../assemble/policy.js');
      const { parseYamlSource } = await import('../library/yaml-source.js');
      const loaded = await readPolicy(file);
      const ctx = await loadContext(opts.library);
      const src = parseYamlSource(readFileSync(file, 'utf8'), file);
      const withLine = (p: Problem): Problem => {
        const m = /^rules\[(\d+)\](?:\.(.+))?$/.exec(p.field ?? '');
        if (!m) return p;
        const keys: Array<string | number> = ['rules', Number(m[1]), ...(m[2] ? m[2].split('.') : [])];
        for (let k = keys.length; k >= 2; k--) {
          const line = src.lineOf(keys.slice(0, k));
          if (line) return { ...p, line };
        }
        return p;
      };
      const problems = [...lintPolicy(loaded.policy, ctx.library, file), ...policyContradictions(loaded.policy, ctx.library, file)].map(withLine);
      const errors = problems.filter((p) => p.severity === 'error').length;
      if (opts.json) io.stdout(`${JSON.stringify({ ok: errors === 0, problems }, null, 2)}\n`);
      else {
        printProblems(io, problems);
        (errors ? io.stderr : io.stdout)(`${say.t('policyLint.summary', { file, policy: `${loaded.policy.name} ${loaded.policy.version}`, rules: loaded.policy.rules.length, errors })}\n`);
      }
      if (errors) throw new Exit(1);
    });
}

function parseAuditFormats(value: string): Array<'md' | 'html' | 'json' | 'csv'> {
  const list = [...new Set(value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const bad = list.filter((f) => !['md', 'html', 'json', 'csv'].includes(f));
  if (bad.length || !list.length) throw new UsageError(msg('audit.badFormat', { bad: bad.map((b) => `"${b}"`).join(', ') || '(—)' }));
  return list as Array<'md' | 'html' | 'json' | 'csv'>;
}

/** Reads a built appendix's JSON (the document model) for `redline`. */
async function readModel(file: string) {
  const { decodeText, readInputFile } = await import('../library/limits.js');
  if (!existsSync(file)) throw new UserError(msg('redline.notFound', { file }));
  // Regular files only, within the input size limit (--max-file-size).
  const text = decodeText(readInputFile(file, 'table'), file);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UserError(msg('redline.notJson', { file }));
  }
  const m = v as Record<string, unknown> | null;
  const ok =
    m && typeof m === 'object' && m.modelVersion !== undefined && typeof m.lang === 'string' && m.title && typeof m.title === 'object' && (Array.isArray(m.parts) || (m.requirements && typeof m.requirements === 'object')) && m.provenance && m.labels;
  if (!ok) throw new UserError(msg('redline.notModel', { file }));
  return v as import('../assemble/model.js').DocumentModel;
}
