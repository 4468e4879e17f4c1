import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import vm from 'node:vm';
import { cacheDir } from './cache-dir.js';
import { fileCodeCache } from './code-cache.js';

/**
 * How bin/dataklausul.js starts the CLI: from one CommonJS file that scripts/bundle.mjs makes of
 * all our modules and the small libraries they need (dist/dataklausul.cjs), compiled by V8 with
 * the code a previous run of the same kind left in the cache folder. A one-off `build` spends most
 * of its time parsing and compiling JavaScript, not building: resolving and compiling ~300 ES
 * modules one by one costs more than the whole DOCX writer, and Node 20 has no compile cache for ES
 * modules. `vm.Script` with `cachedData` is V8's own code cache: it checks the code against the
 * source and its flags and refuses what does not fit, and then the source is simply compiled.
 *
 * The key holds the bundle's digest (written beside it by scripts/bundle.mjs), its size and time,
 * V8's version tag and the kind of run (command and formats): V8 keeps in the cache the functions
 * a run compiled, so a `lint` would leave code that lacks the PDF writer. A cache miss, a rejected
 * cache or `DATAKLAUSUL_CACHE=off` costs only time; this module never fails because of the cache.
 */

export interface Bundle {
  /** The bundle's path. */
  file: string;
  /** The SHA-256 of its code, from `<file>.digest`. */
  digest: string;
}

/** The bundle next to tsc's output, or an error that says how to make it. */
export function findBundle(distDir: string): Bundle {
  const file = path.join(distDir, 'dataklausul.cjs');
  let digest: string;
  try {
    digest = readFileSync(`${file}.digest`, 'utf8').trim();
  } catch {
    throw new Error(`dataklausul: ${file} (or its .digest) is missing: run \`npm run build\` in the package folder`);
  }
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error(`dataklausul: ${file}.digest is damaged: run \`npm run build\` in the package folder`);
  return { file, digest };
}

/** The kind of run, for the cache key: the command and the formats asked for (`build:docx,pdf`). */
export function runKind(args: readonly string[]): string {
  const command = args.find((a) => !a.startsWith('-')) ?? '-';
  let format = '';
  args.forEach((a, i) => {
    if (a === '--format' || a === '-f') format = args[i + 1] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
  });
  return `${command}:${format}`.replace(/[^a-z0-9:,-]/gi, '_').slice(0, 80);
}

interface CliExports {
  main(args: string[]): Promise<number>;
}

/** Compiles and runs the bundle, then hands `args` to its `main`; stores fresh compiled code after the run. */
export async function runBundle(bundle: Bundle, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // scripts/bundle.mjs writes only ASCII: Latin-1 reads it exactly, and several times faster than UTF-8.
  const source = readFileSync(bundle.file, 'latin1');
  const store = fileCodeCache(cacheDir(env));
  let key = '';
  let cachedData: Buffer | undefined;
  if (store) {
    const st = statSync(bundle.file);
    key = createHash('sha256')
      .update(`dataklausul-bundle\0${bundle.digest}\0${st.size}\0${st.mtimeMs}\0${cachedDataVersionTag()}\0${runKind(args)}`)
      .digest('hex');
    const bytes = store.read(key);
    if (bytes) cachedData = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle.file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as CliExports };
  const run = script.runInThisContext() as (this: unknown, ...a: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(bundle.file), module, bundle.file, path.dirname(bundle.file));
  const code = await module.exports.main(args);
  // After the run, so the code of every function it compiled is kept, not only the top level.
  if (store && (!cachedData || script.cachedDataRejected)) store.write(key, script.createCachedData());
  return code;
}
