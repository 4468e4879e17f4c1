#!/usr/bin/env node
/**
 * `npm run build` (after tsc): bundles the CLI into one CommonJS file, dist/dataklausul.cjs, and
 * the batch render worker into dist/batch-worker.cjs, which bin/dataklausul.js runs through V8's
 * code cache (src/cli/boot.ts). Inquirer stays outside (the interview loads it from node_modules);
 * everything else our modules import is inside. Modules that our code imports lazily stay lazy:
 * esbuild wraps them in init functions that run on first use.
 *
 * Beside the bundle, `dataklausul.cjs.digest` holds the SHA-256 of its code; the same digest is
 * compiled into the bundle (src/core/build-info.ts) so that the compiled-library cache follows any
 * change of the code. The digest is taken over the output with a fixed placeholder in its place,
 * then put in; the same sources always give the same bytes.
 *
 * Tests need to see which modules a command loaded; in one file, Node's loader cannot tell them.
 * So the two esbuild helpers that run a lazily loaded module for the first time report the
 * module's path to `globalThis.__dataklausulTrace` when something installed it (the tests'
 * test/support/trace-imports.mjs does); otherwise the check is one `typeof`.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const PLACEHOLDER = 'd'.repeat(64);

/** The esbuild helpers as esbuild 0.28 writes them, each with the line that gets the trace call. */
const HELPERS = [
  { use: '__esm({', re: /^var __esm = \((\w+), (\w+)(?:, \w+)?\) => function __init\(\) \{\n/m, trace: (fn) => `  if (${fn} && __dkTrace) __dkTrace(__getOwnPropNames(${fn})[0]);\n` },
  { use: '__commonJS({', re: /^var __commonJS = \((\w+), (\w+)\) => function __require\(\) \{\n/m, trace: (cb, mod) => `  if (!${mod} && __dkTrace) __dkTrace(__getOwnPropNames(${cb})[0]);\n` },
];

/**
 * Adds the trace calls to the helpers the bundle uses; a used helper that esbuild writes
 * differently stops the build, so the tests never silently trace nothing.
 */
function addTrace(code, name) {
  let out = code;
  for (const h of HELPERS) {
    if (!out.includes(h.use)) continue;
    const m = h.re.exec(out);
    if (!m) throw new Error(`bundle ${name}: esbuild's ${h.re.source.slice(5, 20)} helper is not where scripts/bundle.mjs expects it (esbuild updated?)`);
    out = out.slice(0, m.index + m[0].length) + h.trace(m[1], m[2]) + out.slice(m.index + m[0].length);
  }
  return out;
}

/**
 * esbuild escapes non-ASCII characters in strings and identifiers but leaves them in comments and
 * regular-expression literals. One such character makes the whole 2 MB source a two-byte string,
 * which Node decodes from UTF-8 several times slower than plain ASCII (~6 ms against ~1 ms on every
 * run). In a comment a `\\uXXXX` escape is as good as the character, and in a regular expression
 * (with or without the u flag, inside a class or not) it matches the same: the rest is escaped
 * here, so boot.ts can read the file as Latin-1. Tested by the whole suite running on the bundle.
 */
function asciiOnly(code, name) {
  const out = code.replace(/[^\x00-\x7f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (!/^[\x00-\x7f]*$/.test(out)) throw new Error(`bundle ${name}: non-ASCII left after escaping`);
  return out;
}

async function bundle(entry, outName) {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    outfile: path.join(DIST, outName),
    external: ['@inquirer/*'],
    // Every module's import.meta.url is the bundle's own URL (the paths our code builds from it are
    // found from the package root, see src/library/package-root.ts).
    define: { 'import.meta.url': '__dkImportMetaUrl', __DATAKLAUSUL_CODE_DIGEST__: JSON.stringify(PLACEHOLDER) },
    banner: {
      js: 'var __dkImportMetaUrl = require("node:url").pathToFileURL(__filename).href;\nvar __dkTrace = typeof globalThis.__dataklausulTrace === "function" ? globalThis.__dataklausulTrace : undefined;',
    },
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'warning',
    // Source paths in the helpers' names stay relative to the package (the trace reads them).
    absWorkingDir: ROOT,
  });
  const [file] = result.outputFiles;
  const code = asciiOnly(addTrace(file.text, outName), outName);
  if (code.split(PLACEHOLDER).length > 2) throw new Error(`bundle ${outName}: the digest placeholder occurs more than once`);
  const digest = createHash('sha256').update(code).digest('hex');
  const final = code.replace(PLACEHOLDER, digest);
  const out = path.join(DIST, outName);
  // Written whole and renamed, so a running CLI never reads half a bundle.
  writeFileSync(`${out}.tmp`, final);
  renameSync(`${out}.tmp`, out);
  writeFileSync(`${out}.digest.tmp`, `${digest}\n`);
  renameSync(`${out}.digest.tmp`, `${out}.digest`);
  return { outName, bytes: Buffer.byteLength(final), digest };
}

const built = await Promise.all([bundle('src/cli/main.ts', 'dataklausul.cjs'), bundle('src/cli/batch-worker.ts', 'batch-worker.cjs')]);
for (const b of built) console.log(`bundle: dist/${b.outName} ${(b.bytes / 1024).toFixed(0)} KiB, sha256 ${b.digest.slice(0, 12)}…`);
// The bundle is read as a whole by every run: make sure it really is what was digested.
for (const b of built) if (createHash('sha256').update(readFileSync(path.join(DIST, b.outName), 'utf8').replace(b.digest, PLACEHOLDER)).digest('hex') !== b.digest) throw new Error(`bundle ${b.outName}: digest check failed`);
