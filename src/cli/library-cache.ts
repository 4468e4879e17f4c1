import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_CODE_DIGEST } from '../core/build-info.js';
import type { Templates } from '../core/i18n.js';
import { handlebarsVersion } from '../library/handlebars.js';
import { getMaxFileBytes } from '../library/limits.js';
import type { LoadedLibrary } from '../library/load.js';
import type { Problem } from '../library/problems.js';
import { storedTemplate, useStoredTemplates } from '../library/template-vars.js';
import { parseYamlSource } from '../library/yaml-source.js';
import { cacheDir } from './cache-dir.js';

export { cacheDir };

/**
 * The compiled library: the loaded, validated and linted clause libraries and templates, kept as
 * JSON under a key that is the digest of every byte they were made from — every file in every
 * library folder, the templates they need, the code that loads and lints them, the working folder
 * (file names in messages are relative to it) and the tool version. Any change gives a new key, so
 * a cache is never stale; a file whose own digest does not match, or that does not parse, is
 * ignored and rebuilt, never trusted. A library with lint errors is never cached. It also keeps the
 * clause templates parsed (their Handlebars syntax trees, by source), so that a build neither loads
 * Handlebars nor parses a template again.
 *
 * It lives in `$DATAKLAUSUL_CACHE_DIR`, else `$XDG_CACHE_HOME/dataklausul`, else
 * `~/.cache/dataklausul` — never inside the installed package, which may be read-only.
 * `DATAKLAUSUL_CACHE=off` turns it off. Any failure to read or write it only costs time.
 */

export interface CompiledLibrary {
  libraries: LoadedLibrary[];
  templates: Templates;
  warnings: Problem[];
}

const FORMAT = 'dataklausul-library-cache 3';
const KEEP = 8;
const here = path.dirname(fileURLToPath(import.meta.url));

/** Every file below a folder, as the loader walks it (dot files and node_modules left out), sorted. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else if (e.isFile()) out.push(full);
  }
  return out.sort();
}

/**
 * How long a file must have been left alone before its status alone may stand for its bytes: the
 * kernel stamps change times from a coarse clock (a few milliseconds, seconds on some file
 * systems), so two writes in one tick can leave the same stamp. A file changed less than this
 * before its status was recorded is always read again.
 */
export const SETTLE_MS = 5_000;
const INDEX = 'dataklausul-stat-index 1';

export interface CacheKeyOptions {
  /** The cache folder, where the status index is kept; without one every file is read. */
  indexDir?: string | null;
  /** For tests: see SETTLE_MS. */
  settleMs?: number;
}

/**
 * The key for these library folders and templates; null if a folder cannot be read (the loader
 * then reports it). The key is the SHA-256 of every byte of every input file (and of the code,
 * tool version, working folder and limits). Reading ~450 small files is most of a cached build's
 * library cost, so a status index in the cache folder maps the status of every file (path, size,
 * modification and change time in nanoseconds, inode, device) to the key those bytes gave: when no
 * file's status changed since, and every file had settled (SETTLE_MS) when the index was written,
 * the key is taken from the index without reading the files. Writing a file always sets its change
 * time, which no tool can set back, so any edit gives another status and the files are read.
 */
export function cacheKey(libraryDirs: readonly string[], templatesDir: string, toolVersion: string, options: CacheKeyOptions = {}): string | null {
  const header = `${FORMAT}\0${toolVersion}\0${process.cwd()}\0${getMaxFileBytes()}\0handlebars ${handlebarsVersion()}\0`;
  const inputs: Array<{ label: string; file: string } | { text: string }> = [];
  try {
    // The code that turns files into the compiled library: a change to it changes what is cached.
    // The bundle carries the digest of its own code; run from dist/ or src/, the modules are read.
    if (BUNDLE_CODE_DIGEST) inputs.push({ text: `code:bundle\0${BUNDLE_CODE_DIGEST}\0` });
    else {
      for (const layer of ['library', 'core']) for (const f of walk(path.join(here, '..', layer))) inputs.push({ label: `code:${layer}/${path.basename(f)}`, file: f });
      inputs.push({ label: 'code:cache', file: fileURLToPath(import.meta.url) });
    }
    for (const dir of libraryDirs) {
      inputs.push({ text: `library\0${dir}\0` });
      for (const f of walk(dir)) inputs.push({ label: path.relative(dir, f), file: f });
    }
    const i18n = path.join(templatesDir, 'i18n');
    for (const n of readdirSync(i18n).filter((n) => n.endsWith('.yaml')).sort()) inputs.push({ label: `i18n/${n}`, file: path.join(i18n, n) });
    inputs.push({ label: 'contract-types.yaml', file: path.join(templatesDir, 'contract-types.yaml') });

    // The status of every file; a file over the input limit gives no key, so the loader refuses it with its message.
    const status = createHash('sha256').update(header);
    let newest = 0n;
    for (const input of inputs) {
      if ('text' in input) {
        status.update(input.text);
        continue;
      }
      const st = statSync(input.file, { bigint: true });
      if (st.size > BigInt(getMaxFileBytes())) return null;
      if (st.ctimeNs > newest) newest = st.ctimeNs;
      status.update(`${input.label}\0${input.file}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}\0${st.ino}\0${st.dev}\0`);
    }
    const indexFile = options.indexDir ? path.join(options.indexDir, `stat-${status.digest('hex')}.txt`) : null;
    const settle = BigInt(options.settleMs ?? SETTLE_MS) * 1_000_000n;
    if (indexFile) {
      const known = readIndex(indexFile);
      if (known && newest < known.recordedAt - settle) return known.key;
    }

    const hash = createHash('sha256').update(header);
    for (const input of inputs) {
      if ('text' in input) {
        hash.update(input.text);
        continue;
      }
      const bytes = readFileSync(input.file);
      if (bytes.length > getMaxFileBytes()) return null;
      hash.update(`${input.label}\0${bytes.length}\0`);
      hash.update(bytes);
    }
    const key = hash.digest('hex');
    if (indexFile && options.indexDir) writeIndex(options.indexDir, indexFile, key);
    return key;
  } catch {
    return null;
  }
}

/** A status index entry: the content key and when it was recorded (ns since the epoch), or null when missing or damaged. */
function readIndex(file: string): { key: string; recordedAt: bigint } | null {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return null;
  }
  const m = /^(\S+ \d+) ([0-9a-f]{64}) (\d{1,25}) ([0-9a-f]{64})\n$/.exec(text);
  if (!m || m[1] !== INDEX || createHash('sha256').update(`${m[2]} ${m[3]}`).digest('hex') !== m[4]) return null;
  return { key: m[2]!, recordedAt: BigInt(m[3]!) };
}

/** Records the key for a status (atomically), with the time it was read; keeps the newest few. Failures are ignored. */
function writeIndex(dir: string, file: string, key: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const body = `${key} ${BigInt(Date.now()) * 1_000_000n}`;
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, `${INDEX} ${body} ${createHash('sha256').update(body).digest('hex')}\n`, { mode: 0o600 });
    renameSync(tmp, file);
    prune(dir, /^stat-[0-9a-f]{64}\.txt$/, KEEP);
  } catch {
    // Without an index the next run reads the files again.
  }
}

/** Removes all but the newest `keep` files whose names match. */
function prune(dir: string, names: RegExp, keep: number): void {
  const old = readdirSync(dir)
    .filter((n) => names.test(n))
    .map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .slice(keep);
  for (const o of old) rmSync(path.join(dir, o.n), { force: true });
}

/** Puts back what JSON cannot hold: each clause's `lineOf`, found again from its file when a message needs it. */
function revive(data: CompiledLibrary): CompiledLibrary {
  for (const lib of data.libraries) {
    for (const c of lib.clauses) {
      let lineOf: ((p: ReadonlyArray<PropertyKey>) => number | undefined) | undefined;
      c.lineOf = (p) => {
        try {
          lineOf ??= parseYamlSource(readFileSync(c.file, 'utf8'), c.file).lineOf;
        } catch {
          return undefined;
        }
        return lineOf(p);
      };
    }
  }
  return data;
}

function looksCompiled(v: unknown): v is CompiledLibrary & { key: string } {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  const t = o.templates as Record<string, unknown> | undefined;
  return (
    typeof o.key === 'string' &&
    Array.isArray(o.libraries) &&
    o.libraries.every((l) => l && typeof l === 'object' && Array.isArray((l as LoadedLibrary).clauses) && typeof (l as LoadedLibrary).manifest === 'object') &&
    Array.isArray(o.warnings) &&
    !!t &&
    typeof t.i18n === 'object' &&
    typeof t.contractTypes === 'object'
  );
}

/** The template sources a build renders, in a fixed order: every clause text's body and requirement line. */
function templateSources(libraries: readonly LoadedLibrary[]): string[] {
  const sources = new Set<string>();
  for (const lib of libraries) for (const c of lib.clauses) for (const t of Object.values(c.texts)) for (const src of [t.body, t.requirement]) if (src !== undefined) sources.add(src);
  return [...sources];
}

/**
 * The file: one header line, `<FORMAT> <SHA-256 of the rest> <bytes of the JSON>`, then the JSON
 * (the libraries, templates and warnings, and where each parsed template lies in the part after
 * it), then the parsed templates, one JSON text after another. A build reads the JSON and decodes
 * only the templates of the clauses it renders: they are three quarters of the file.
 */
const HEADER = /^(\S+ \d+) ([0-9a-f]{64}) (\d+)$/;

/** The compiled library for a key, or null when there is none or it cannot be trusted. */
export function readCompiled(dir: string, key: string): CompiledLibrary | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dir, `library-${key}.bin`));
  } catch {
    return null;
  }
  const nl = bytes.indexOf(10);
  const head = HEADER.exec(bytes.toString('latin1', 0, Math.max(nl, 0)));
  if (nl < 0 || !head || head[1] !== FORMAT) return null;
  const rest = bytes.subarray(nl + 1);
  const jsonBytes = Number(head[3]);
  if (jsonBytes > rest.length || head[2] !== createHash('sha256').update(rest).digest('hex')) return null;
  let value: unknown;
  try {
    value = JSON.parse(rest.toString('utf8', 0, jsonBytes));
  } catch {
    return null;
  }
  if (!looksCompiled(value) || value.key !== key) return null;
  const trees = rest.subarray(jsonBytes);
  const { asts } = value as { asts?: unknown };
  const sources = templateSources(value.libraries);
  const fits = (e: unknown): e is [number, number] => Array.isArray(e) && e.length === 2 && e.every((n) => Number.isSafeInteger(n) && n >= 0) && e[0] + e[1] <= trees.length;
  if (!Array.isArray(asts) || asts.length !== sources.length || !asts.every(fits)) return null;
  useStoredTemplates(sources.map((src, i) => [src, () => trees.toString('utf8', asts[i]![0], asts[i]![0] + asts[i]![1])] as const));
  delete (value as { asts?: unknown }).asts;
  return revive(value);
}

/** Stores a compiled library (atomically) and keeps only the newest few. Failures are ignored. */
export function writeCompiled(dir: string, key: string, data: CompiledLibrary): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The templates a build renders, parsed already by the lint.
    const trees = templateSources(data.libraries).map((src) => Buffer.from(storedTemplate(src), 'utf8'));
    let at = 0;
    const asts = trees.map((t) => [at, ((at += t.length), t.length)]);
    const json = Buffer.from(JSON.stringify({ key, ...data, asts }, (k, v: unknown) => (k === 'lineOf' ? undefined : v)), 'utf8');
    const rest = Buffer.concat([json, ...trees]);
    const file = path.join(dir, `library-${key}.bin`);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${FORMAT} ${createHash('sha256').update(rest).digest('hex')} ${json.length}\n`, 'latin1'), rest]), { mode: 0o600 });
    renameSync(tmp, file);
    prune(dir, /^library-[0-9a-f]{64}\.(bin|json)$/, KEEP);
  } catch {
    // A cache that cannot be written only means the next run loads the library again.
  }
}
