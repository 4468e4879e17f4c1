import type { DataKind, FormatEntry, ModalWords, Term } from './schema.js';
import { TOPICS } from '../core/topics.js';
import type { LoadedClause, LoadedLibrary } from './load.js';

/** Several libraries layered into one: later layers replace clauses and formats with the same id. */
export interface Library {
  layers: LoadedLibrary[];
  /** Every effective clause, in document order (topic, then `order`, then id). */
  clauses: LoadedClause[];
  byId: ReadonlyMap<string, LoadedClause>;
  formats: ReadonlyMap<string, FormatEntry>;
  /** The kinds of data of the export matrix, in registry order (a later layer replaces one with the same id, in place). */
  dataKinds: ReadonlyMap<string, DataKind>;
  /** Languages every layer provides. */
  languages: string[];
  /** The word `{{shall}}` writes per language and level (`terms.yaml`; later layers override per language). */
  modal: ReadonlyMap<string, ModalWords>;
  /** House terms with their avoided variants (`terms.yaml`; later layers replace a term with the same id). */
  terms: readonly Term[];
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
  const dataKinds = new Map<string, DataKind>();
  const modal = new Map<string, ModalWords>();
  const terms = new Map<string, Term>();
  for (const layer of layers) {
    for (const f of layer.formats) formats.set(f.id, f);
    for (const k of layer.dataKinds ?? []) dataKinds.set(k.id, k);
    for (const [lang, words] of Object.entries(layer.terms?.modal ?? {})) modal.set(lang, words);
    for (const t of layer.terms?.terms ?? []) terms.set(t.id, t);
    for (const c of layer.clauses) byId.set(c.meta.id, c);
  }
  const languages = layers.length
    ? layers.map((l) => l.manifest.languages).reduce((acc, langs) => acc.filter((x) => langs.includes(x)))
    : [];
  return { layers: [...layers], clauses: [...byId.values()].sort(compareClauses), byId, formats, dataKinds, languages, modal, terms: [...terms.values()] };
}
