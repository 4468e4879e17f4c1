import type { FormatEntry } from './schema.js';
import { TOPICS } from './schema.js';
import type { LoadedClause, LoadedLibrary } from './load.js';

/** Several libraries layered into one: later layers replace clauses and formats with the same id. */
export interface Library {
  layers: LoadedLibrary[];
  /** Every effective clause, in document order (topic, then `order`, then id). */
  clauses: LoadedClause[];
  byId: ReadonlyMap<string, LoadedClause>;
  formats: ReadonlyMap<string, FormatEntry>;
  /** Languages every layer provides. */
  languages: string[];
}

const topicIndex = new Map<string, number>(TOPICS.map((t, i) => [t, i]));

export function compareClauses(a: LoadedClause, b: LoadedClause): number {
  return (
    (topicIndex.get(a.meta.topic) ?? 99) - (topicIndex.get(b.meta.topic) ?? 99) ||
    a.meta.order - b.meta.order ||
    (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0)
  );
}

/** Layers libraries, base first. Pure. */
export function mergeLibraries(layers: readonly LoadedLibrary[]): Library {
  const byId = new Map<string, LoadedClause>();
  const formats = new Map<string, FormatEntry>();
  for (const layer of layers) {
    for (const f of layer.formats) formats.set(f.id, f);
    for (const c of layer.clauses) byId.set(c.meta.id, c);
  }
  const languages = layers.length
    ? layers.map((l) => l.manifest.languages).reduce((acc, langs) => acc.filter((x) => langs.includes(x)))
    : [];
  return { layers: [...layers], clauses: [...byId.values()].sort(compareClauses), byId, formats, languages };
}
