import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root folder: the nearest folder at or above this module's file whose
 * package.json names dataklausul. The same code runs from src/ (tests), from dist/<layer>/ (tsc's
 * output) and from the single-file bundle in dist/ (scripts/bundle.mjs), at different depths, so
 * the root is found rather than counted in `..` steps.
 */
function findRoot(from: string): { root: string; version: string } {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'dataklausul' && typeof pkg.version === 'string') return { root: dir, version: pkg.version };
    } catch {
      // No package.json here (or not ours): look one folder up.
    }
    if (path.dirname(dir) === dir) throw new Error(`dataklausul: cannot find the package's own package.json above ${from}; reinstall dataklausul`);
  }
}

const found = findRoot(path.dirname(fileURLToPath(import.meta.url)));

export const PACKAGE_ROOT = found.root;
/** The version in the package's package.json. */
export const PACKAGE_VERSION = found.version;
export const TEMPLATES_ROOT = path.join(PACKAGE_ROOT, 'templates');
