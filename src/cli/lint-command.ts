import { lintLibraries } from '../library/lint.js';
import { loadLibraries } from '../library/load.js';
import { formatProblem } from '../library/problems.js';
import { speakerOf, type Io } from './io.js';
import { loadTemplates } from '../library/templates.js';
import { BASE_LIBRARY_DIR, TEMPLATES_DIR } from './paths.js';

/** `dataklausul lint`: loads the baseline and every --library, reports every problem. Exit 0 or 1. */
export async function runLint(extra: readonly string[], json: boolean, io: Io, against?: string): Promise<number> {
  const { resolveLibrary } = await import('../library/resolve.js');
  const { libraries, problems } = await loadLibraries([BASE_LIBRARY_DIR, ...extra.map((s) => resolveLibrary(s).dir)]);
  const templates = await loadTemplates(TEMPLATES_DIR);
  const all = [...problems, ...lintLibraries(libraries, templates.contractTypes)];
  if (against !== undefined && libraries.length) {
    // The last library given (the one being released) against its older version.
    const { loadOneLibrary } = await import('./org-commands.js');
    const { checkVersionBumps, diffLibraries } = await import('../library/diff.js');
    const newest = libraries[libraries.length - 1]!;
    all.push(...checkVersionBumps(diffLibraries(await loadOneLibrary(against), newest), newest));
  }
  const errors = all.filter((p) => p.severity === 'error');
  if (json) {
    io.stdout(`${JSON.stringify({ ok: errors.length === 0, libraries: libraries.map((l) => ({ name: l.manifest.name, version: l.manifest.version, dir: l.dir, clauses: l.clauses.length, digest: l.digest })), problems: all }, null, 2)}\n`);
  } else {
    const say = speakerOf(io);
    for (const p of all) io.stderr(`${formatProblem(p, say.lang)}\n`);
    const count = libraries.reduce((n, l) => n + l.clauses.length, 0);
    const summary = say.t('lint.summary', {
      libraries: libraries.map((l) => `${l.manifest.name} ${l.manifest.version}`).join(' + ') || say.t('lint.noLibrary'),
      clauses: count,
      errors: errors.length,
      warnings: all.length - errors.length,
    });
    (errors.length ? io.stderr : io.stdout)(`${summary}\n`);
  }
  return errors.length ? 1 : 0;
}
