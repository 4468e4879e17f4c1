import { randomBytes } from 'node:crypto';
// Synchronous calls: a CLI writes a few files and waits for them anyway, and node:fs/promises
// would load Node's readline and stream modules into every build (~2 ms).
import { linkSync, lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { msg } from '../core/messages.js';
import { Speaker } from '../library/messages.js';
import { UserError } from '../library/problems.js';

export interface PlannedFile {
  path: string;
  bytes: Uint8Array;
}

const shown = (p: string) => path.relative(process.cwd(), p) || p;

/** What is at a path, without following a final symlink: a dangling symlink exists too. */
function kindAt(p: string): 'none' | 'folder' | 'other' {
  try {
    return lstatSync(p).isDirectory() ? 'folder' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'none';
    throw new UserError(msg('error.notAccessible', { dir: shown(p), path: shown(p), code: code ?? '' }));
  }
}

export async function exists(p: string): Promise<boolean> {
  return kindAt(p) !== 'none';
}

/**
 * Checks every target before anything is written: an existing path (a file, a folder, or a
 * symlink even if it points nowhere) is refused without `force`; a folder is refused always,
 * since no file can replace it.
 */
export async function assertWritable(paths: readonly string[], force: boolean): Promise<void> {
  const taken: string[] = [];
  const folders: string[] = [];
  for (const p of paths) {
    const kind = kindAt(p);
    if (kind === 'folder') folders.push(p);
    else if (kind === 'other') taken.push(p);
  }
  if (folders.length) {
    throw new UserError(msg('error.targetIsFolder', { files: folders.map(shown).join(', '), n: folders.length }));
  }
  if (taken.length && !force) {
    throw new UserError(msg('error.exists', { files: taken.map(shown).join(', '), n: taken.length }));
  }
}

/**
 * Creates a folder and its missing parents one level at a time, so that every failure names the
 * folder and its reason (`mkdir -p` semantics; Node's recursive mkdir can spin on special file
 * systems such as /proc).
 */
async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  for (;;) {
    try {
      const st = statSync(cur);
      if (!st.isDirectory()) throw new UserError(msg('error.notAFolder', { dir, path: cur }));
      break;
    } catch (e) {
      if (e instanceof UserError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UserError(msg('error.notAccessible', { dir, path: cur, code: code ?? '' }));
      missing.unshift(cur);
      const parent = path.dirname(cur);
      if (parent === cur) break;
      cur = parent;
    }
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new UserError(msg('error.mkdir', { dir: d, code: code ?? String(e) }));
    }
  }
}

/** Test seams: a pause once every temporary file is written, and the rename that commits a file. */
export interface WriteHooks {
  afterTempsWritten?: () => void | Promise<void>;
  rename?: (from: string, to: string) => void;
}

const tempName = (target: string, tag: string) => path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.${tag}`);

/**
 * Writes every file all-or-nothing:
 * 1. every target is checked first (`assertWritable`);
 * 2. every file is written to a temporary name in its target folder;
 * 3. only when all are written, each target is replaced by a rename; an existing target is first
 *    kept under a backup name (a hard link, so the target never disappears);
 * 4. if any rename fails, the targets already replaced are put back from their backups;
 * 5. temporary files and backups are removed on every error and on SIGINT/SIGTERM.
 * The commit (3–4) is synchronous, so a signal cannot arrive half-way through it.
 */
export async function writeFilesAtomically(files: readonly PlannedFile[], opts: { force?: boolean; hooks?: WriteHooks } = {}): Promise<void> {
  const hooks = opts.hooks ?? {};
  await assertWritable(
    files.map((f) => f.path),
    opts.force ?? true,
  );
  const temps: Array<{ tmp: string; target: string }> = [];
  const removeTemps = () => {
    for (const t of temps) rmSync(t.tmp, { force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    removeTemps();
    // The signal may come at any moment: the language is the one asked for in the environment.
    process.stderr.write(`dataklausul: ${new Speaker(process.env.DATAKLAUSUL_LANG || undefined).t('error.interrupted', { signal })}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    try {
      for (const dir of new Set(files.map((f) => path.dirname(f.path)))) await ensureDir(dir);
      for (const f of files) {
        const tmp = tempName(f.path, 'tmp');
        temps.push({ tmp, target: f.path });
        writeFileSync(tmp, f.bytes, { flag: 'wx' });
      }
      await hooks.afterTempsWritten?.();
    } catch (e) {
      removeTemps();
      if (e instanceof UserError) throw e;
      const err = e as NodeJS.ErrnoException;
      throw new UserError(msg('error.writeFailed', { path: err.path ? shown(err.path) : '…', code: err.code ?? err.message }));
    }
    commit(temps, hooks.rename ?? renameSync);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function commit(temps: ReadonlyArray<{ tmp: string; target: string }>, rename: (from: string, to: string) => void): void {
  const done: Array<{ target: string; backup: string | null; moved: boolean }> = [];
  let i = 0;
  try {
    for (; i < temps.length; i++) {
      const { tmp, target } = temps[i]!;
      let backup: string | null = null;
      let moved = false;
      if (kindAt(target) !== 'none') {
        backup = tempName(target, 'bak');
        try {
          linkSync(target, backup);
        } catch {
          // No hard links on this file system: move the old file aside instead.
          renameSync(target, backup);
          moved = true;
        }
      }
      done.push({ target, backup, moved });
      rename(tmp, target);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const failed = temps[i]!.target;
    const notRestored: string[] = [];
    for (const d of done.reverse()) {
      try {
        const replaced = d.target !== failed;
        // The failed target still holds its old file unless it was moved aside for the backup.
        if (d.backup && (replaced || d.moved)) renameSync(d.backup, d.target);
        else if (d.backup) rmSync(d.backup, { force: true });
        else if (replaced) rmSync(d.target, { force: true });
      } catch {
        notRestored.push(d.backup ? `${shown(d.target)} (← ${shown(d.backup)})` : shown(d.target));
      }
    }
    for (const t of temps) rmSync(t.tmp, { force: true });
    const already = done.filter((d) => d.target !== failed).length;
    const code = err.code ?? err.message;
    throw new UserError(
      notRestored.length
        ? msg('error.writeNotRestored', { path: shown(failed), code, files: notRestored.join(', ') })
        : already > 0
          ? msg('error.writeRolledBack', { path: shown(failed), code, n: already })
          : msg('error.writeFailed', { path: shown(failed), code }),
    );
  }
  for (const d of done) if (d.backup) rmSync(d.backup, { force: true });
}
