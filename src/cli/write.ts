import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { msg } from '../core/messages.js';
import { UserError } from '../library/problems.js';

export interface PlannedFile {
  path: string;
  bytes: Uint8Array;
}

export async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Refuses to go on if any target exists and `force` is not set. Nothing is written. */
export async function assertWritable(paths: readonly string[], force: boolean): Promise<void> {
  if (force) return;
  const taken: string[] = [];
  for (const p of paths) if (await exists(p)) taken.push(p);
  if (taken.length) {
    throw new UserError(msg('error.exists', { files: taken.map((t) => path.relative(process.cwd(), t) || t).join(', '), n: taken.length }));
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
      const st = await stat(cur);
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
      await mkdir(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new UserError(msg('error.mkdir', { dir: d, code: code ?? String(e) }));
    }
  }
}

/**
 * Writes every file atomically: first all to temporary files beside their targets, then renames.
 * If any write fails, the temporary files are removed and no target is touched.
 */
export async function writeFilesAtomically(files: readonly PlannedFile[]): Promise<void> {
  const temps: Array<{ tmp: string; target: string }> = [];
  try {
    for (const dir of new Set(files.map((f) => path.dirname(f.path)))) await ensureDir(dir);
    for (const f of files) {
      const tmp = path.join(path.dirname(f.path), `.${path.basename(f.path)}.${randomBytes(6).toString('hex')}.tmp`);
      temps.push({ tmp, target: f.path });
      await writeFile(tmp, f.bytes, { flag: 'wx' });
    }
    for (const t of temps) await rename(t.tmp, t.target);
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t.tmp, { force: true })));
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(msg('error.writeFailed', { path: err.path ?? '…', code: err.code ?? err.message }));
  }
}
