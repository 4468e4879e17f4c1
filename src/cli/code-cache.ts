import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MAGIC = Buffer.from('dataklausul-code-cache 2\n');
/** One file per kind of run (command and formats, see boot.ts): the common ones all fit. */
const KEEP = 8;

/** Bytes kept under a key; reading never throws, writing never fails loudly. */
export interface CodeCacheStore {
  /** The bytes stored under `key`, or null when there are none or they cannot be trusted. */
  read(key: string): Uint8Array | null;
  /** Stores bytes under `key`; a failure only costs time next run. */
  write(key: string, bytes: Uint8Array): void;
}

/**
 * V8's compiled code of the CLI bundle on disk, next to the compiled library (same folder, same
 * off switch): one file per key, `code-<key>.bin`, holding a header, the SHA-256 of the payload
 * and V8's code. A file that is short, has another header or whose digest does not match is
 * ignored (and replaced after the run); V8 checks the code itself as well.
 */
export function fileCodeCache(dir: string | null): CodeCacheStore | null {
  if (!dir) return null;
  const fileOf = (key: string) => path.join(dir, `code-${key}.bin`);
  return {
    read(key) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(fileOf(key));
      } catch {
        return null;
      }
      const head = MAGIC.length + 32;
      if (bytes.length <= head || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
      const payload = bytes.subarray(head);
      return createHash('sha256').update(payload).digest().equals(bytes.subarray(MAGIC.length, head)) ? payload : null;
    },
    write(key, payload) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const file = fileOf(key);
        const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
        writeFileSync(tmp, Buffer.concat([MAGIC, createHash('sha256').update(payload).digest(), payload]), { mode: 0o600 });
        renameSync(tmp, file);
        const old = readdirSync(dir)
          .filter((n) => /^code-[0-9a-f]{64}\.bin$/.test(n))
          .map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs }))
          .sort((a, b) => b.t - a.t)
          .slice(KEEP);
        for (const o of old) rmSync(path.join(dir, o.n), { force: true });
      } catch {
        // A code cache that cannot be written only means the next run compiles the bundles again.
      }
    },
  };
}
