import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The layers of src/, lowest first. A module may import from its own layer or a lower one, never
 * from a higher one. `core` is the vocabulary every layer shares (answers schema and paths,
 * template schemas, topics, requirement levels); `schema` generates JSON Schema files from core
 * and assemble for scripts/gen-schema.mjs.
 */
export const LAYERS = ['core', 'library', 'assemble', 'render', 'evaluate', 'interview', 'schema', 'cli'] as const;

export interface Edge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'"`;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

/** Every relative import in the given sources, resolved to a path relative to src/. */
export function importEdges(files: Record<string, string>): Edge[] {
  const edges: Edge[] = [];
  for (const [file, text] of Object.entries(files)) {
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[2] ?? m[3] ?? m[4]!;
      if (!spec.startsWith('.')) continue;
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
      edges.push({ from: file, to, typeOnly: !!m[1] });
    }
  }
  return edges;
}

export function layerOf(file: string): string {
  return file.split('/')[0]!;
}

/** Imports that point up the layer order, or out of src/, or into a folder not in LAYERS. */
export function upwardImports(edges: readonly Edge[], layers: readonly string[] = LAYERS): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    const from = layers.indexOf(layerOf(e.from));
    const to = layers.indexOf(layerOf(e.to));
    if (from < 0) bad.push(`${e.from}: folder "${layerOf(e.from)}" is not in the layer order`);
    else if (e.to.startsWith('..') || to < 0) bad.push(`${e.from} → ${e.to}: outside the layers`);
    else if (to > from) bad.push(`${e.from} → ${e.to}: ${layerOf(e.from)} may not import from ${layerOf(e.to)}`);
  }
  return bad;
}

/** Cycles between modules through imports that exist at run time (static or dynamic). */
export function importCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of next.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...next.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

/** Reads every .ts file under a folder: { 'cli/main.ts': text, … }. */
export function readSources(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full).split(path.sep).join('/')] = readFileSync(full, 'utf8');
  }
  return out;
}
