import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import vm from 'node:vm';
import type * as PdfLib from 'pdf-lib';
import type Fontkit from '@pdf-lib/fontkit';
import { codeCacheStore } from './code-cache.js';

const require = createRequire(import.meta.url);

/**
 * fontkit's bundle decompresses Brotli's 120 KB static dictionary (in JavaScript) as it loads,
 * ~25 ms of a one-off build; only WOFF2 fonts need it and we embed TrueType. In the bundle we
 * ship against (@pdf-lib/fontkit 1.1.1) the call is `$g.init(Mv);`: it is replaced by a getter
 * that runs the same call when the dictionary is first read, so WOFF2 would still work. When the
 * text is not found exactly once (another fontkit build) the bundle is loaded as it is.
 */
export const FONTKIT_EAGER_DICTIONARY = '$g.init(Mv);';
export const FONTKIT_LAZY_DICTIONARY =
  'Object.defineProperty($g,"dictionary",{configurable:!0,enumerable:!0,get:function(){delete $g.dictionary;$g.init(Mv);return $g.dictionary}});';

export function patchFontkit(source: string): string {
  const at = source.indexOf(FONTKIT_EAGER_DICTIONARY);
  if (at < 0 || source.indexOf(FONTKIT_EAGER_DICTIONARY, at + 1) >= 0) return source;
  return source.slice(0, at) + FONTKIT_LAZY_DICTIONARY + source.slice(at + FONTKIT_EAGER_DICTIONARY.length);
}

interface Compiled {
  name: string;
  key: string;
  script: vm.Script;
  /** Whether the store had usable code for it (then there is nothing to save). */
  fromCache: boolean;
}
const compiled: Compiled[] = [];

/**
 * Loads a single-file CommonJS bundle. With a code-cache store (set by the CLI), its compiled code
 * is taken from the store under a key made of the digest of the source and V8's own version tag
 * (V8 version and flags, which must match for V8 to accept the code); V8 checks the code again
 * and refuses it if it does not fit, and then the source is simply compiled.
 */
function loadBundle(name: string, id: string, patch: (source: string) => string = (s) => s): unknown {
  const file = require.resolve(id);
  const source = patch(readFileSync(file, 'utf8'));
  const store = codeCacheStore();
  const key = createHash('sha256').update(`${name}\0${cachedDataVersionTag()}\0`).update(source).digest('hex');
  const cachedData = store?.read(key) ?? undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData: Buffer.from(cachedData.buffer, cachedData.byteOffset, cachedData.byteLength) } : {}),
  });
  if (store) compiled.push({ name, key, script, fromCache: cachedData !== undefined && !script.cachedDataRejected });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (this: unknown, ...a: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/**
 * After the first render: stores the compiled code of the bundles that did not come from the
 * store, including the functions that render compiled lazily, so the next process starts with
 * them. Runs once per process.
 */
export function saveCompiledBundles(): void {
  const store = codeCacheStore();
  for (const c of compiled.splice(0)) if (store && !c.fromCache) store.write(c.key, c.script.createCachedData());
}

/**
 * pdf-lib and fontkit, loaded from their single-file bundles: `import 'pdf-lib'` resolves to
 * several hundred CommonJS modules that Node must lex for named exports, which costs more than
 * the whole layout. Only this module (lazily imported with the PDF renderer) loads them.
 */
export const pdfLib = loadBundle('pdf-lib', 'pdf-lib/dist/pdf-lib.min.js') as typeof PdfLib;
export const fontkit = loadBundle('fontkit', '@pdf-lib/fontkit/dist/fontkit.umd.min.js', patchFontkit) as typeof Fontkit;
