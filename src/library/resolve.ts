import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './problems.js';

/**
 * Where a `--library` argument points: a folder, or an npm package whose package.json has a
 * `dataklausul` field naming the folder (relative to the package) that holds `library.yaml`.
 * Packages are found the way Node finds them: `node_modules/<name>` in the working folder or any
 * parent. `name@version` picks an installed copy with exactly that version, so two versions can be
 * compared when they are installed side by side (e.g. `npm install old@npm:@scope/lib@0.1.0`).
 */
export interface ResolvedLibrary {
  /** The library folder. */
  dir: string;
  /** The spec as the user gave it. */
  spec: string;
  package?: { name: string; version: string; root: string };
}

const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** True when the spec reads as a package name (optionally with @version), not as a path. */
export function looksLikePackage(spec: string): boolean {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.includes('\\')) return false;
  const { name } = splitSpec(spec);
  return PACKAGE_NAME.test(name);
}

function splitSpec(spec: string): { name: string; version?: string } {
  const at = spec.lastIndexOf('@');
  if (at > 0) return { name: spec.slice(0, at), version: spec.slice(at + 1) };
  return { name: spec };
}

function readPackageJson(file: string): { name?: unknown; version?: unknown; dataklausul?: unknown } | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Every `node_modules` folder from `cwd` up to the root, nearest first. */
function nodeModulesDirs(cwd: string): string[] {
  const out: string[] = [];
  let cur = path.resolve(cwd);
  for (;;) {
    const nm = path.join(cur, 'node_modules');
    if (existsSync(nm)) out.push(nm);
    const parent = path.dirname(cur);
    if (parent === cur) return out;
    cur = parent;
  }
}

/** Package roots directly under one node_modules folder (scoped ones included). */
function packagesIn(nm: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(nm);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    if (e.startsWith('.')) continue;
    const full = path.join(nm, e);
    if (e.startsWith('@')) {
      try {
        for (const s of readdirSync(full).sort()) out.push(path.join(full, s));
      } catch {
        /* not a folder */
      }
    } else out.push(full);
  }
  return out;
}

function libraryDirOf(root: string, pkg: { name?: unknown; dataklausul?: unknown }, spec: string): string {
  const field = pkg.dataklausul;
  const rel = typeof field === 'string' ? field : field && typeof field === 'object' && typeof (field as { library?: unknown }).library === 'string' ? (field as { library: string }).library : undefined;
  if (rel === undefined) {
    throw new UserError(
      `--library ${spec}: the package ${String(pkg.name)} (${root}) is not a clause library: its package.json has no "dataklausul" field. Add "dataklausul": "." (or the folder that holds library.yaml).`,
    );
  }
  const dir = path.resolve(root, rel);
  if (path.relative(root, dir).startsWith('..')) {
    throw new UserError(`--library ${spec}: the "dataklausul" field of ${root}/package.json points outside the package (${rel}). Name a folder inside it.`);
  }
  return dir;
}

/**
 * Resolves a `--library` spec. A path that exists is a folder; otherwise a package name is looked
 * up in node_modules. Errors name the spec and what to do.
 */
export function resolveLibrary(spec: string, cwd: string = process.cwd()): ResolvedLibrary {
  const asPath = path.resolve(cwd, spec);
  if (!looksLikePackage(spec) || existsSync(asPath)) return { dir: spec, spec };
  const { name, version } = splitSpec(spec);
  const dirs = nodeModulesDirs(cwd);
  for (const nm of dirs) {
    if (version === undefined) {
      const root = path.join(nm, ...name.split('/'));
      const pkg = readPackageJson(path.join(root, 'package.json'));
      if (pkg) return { dir: libraryDirOf(root, pkg, spec), spec, package: { name, version: String(pkg.version ?? ''), root } };
    } else {
      // name@version: any installed package (aliases included) with that name and version.
      for (const root of packagesIn(nm)) {
        const pkg = readPackageJson(path.join(root, 'package.json'));
        if (pkg && pkg.name === name && pkg.version === version) return { dir: libraryDirOf(root, pkg, spec), spec, package: { name, version, root } };
      }
    }
  }
  const installed = version !== undefined ? dirs.flatMap((nm) => packagesIn(nm)).map((r) => readPackageJson(path.join(r, 'package.json'))).filter((p) => p?.name === name).map((p) => String(p!.version)) : [];
  throw new UserError(
    version !== undefined && installed.length
      ? `--library ${spec}: ${name} is installed, but not at version ${version} (found ${installed.join(', ')}). Install it side by side, e.g. npm install ${name.replace(/^@[^/]+\//, '')}-${version}@npm:${name}@${version}.`
      : `--library ${spec}: no folder and no installed package of that name (looked in ${dirs.length ? dirs.join(', ') : 'no node_modules folder'}). Give a folder that holds library.yaml, or run npm install ${name}.`,
  );
}

/** True when the path is a folder (used to tell a library folder from a file argument). */
export function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
