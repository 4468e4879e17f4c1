import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
    throw new UserError(
      `${taken.map((t) => path.relative(process.cwd(), t) || t).join(', ')} already exist${taken.length === 1 ? 's' : ''}; nothing was written. Use --force to overwrite, or --out DIR to write elsewhere.`,
    );
  }
}

/**
 * Writes every file atomically: first all to temporary files beside their targets, then renames.
 * If any write fails, the temporary files are removed and no target is touched.
 */
export async function writeFilesAtomically(files: readonly PlannedFile[]): Promise<void> {
  const temps: Array<{ tmp: string; target: string }> = [];
  try {
    for (const f of files) {
      await mkdir(path.dirname(f.path), { recursive: true });
      const tmp = path.join(path.dirname(f.path), `.${path.basename(f.path)}.${randomBytes(6).toString('hex')}.tmp`);
      temps.push({ tmp, target: f.path });
      await writeFile(tmp, f.bytes, { flag: 'wx' });
    }
    for (const t of temps) await rename(t.tmp, t.target);
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t.tmp, { force: true })));
    throw e;
  }
}
