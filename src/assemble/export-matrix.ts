import type { Answers } from '../core/answers.js';
import { EXPORT_KINDS, isExportable, kindsOf, localName, type DerivedPath, type FormatKind } from '../core/format-kinds.js';
import type { Library } from '../library/library.js';
import type { DataKind, FormatEntry } from '../library/schema.js';
import { evaluateCondition } from './select.js';

/**
 * The export matrix: which kinds of data (the registry's `dataKinds`) are exported in which of the
 * chosen formats. Pure. Without `answers.exportMatrix` it is derived:
 *
 * 1. every data kind whose `when` holds is a row, in registry order, with the chosen formats it
 *    lists in `formats` (those of a kind it accepts);
 * 2. a chosen export format that no row has yet goes to the first row that accepts its kind, or,
 *    if no applicable row does, to the first `catchAll` data kind that does (a new row);
 * 3. a row left without formats is not shown.
 *
 * A row in `answers.exportMatrix` then replaces the derived row for its kind or adds one (an empty
 * list removes it). Format ids are as chosen; the consistency rules report unknown ids and kinds.
 */
export interface ExportRow {
  kind: string;
  formats: string[];
}

const accepts = (dk: DataKind, f: FormatEntry | undefined) => !!f && kindsOf(f).some((k) => dk.accepts.includes(k));

export function derivedExportMatrix(answers: Answers, library: Library): ExportRow[] {
  const chosen = answers.formats.filter((id) => {
    const f = library.formats.get(id);
    return f !== undefined && isExportable(f);
  });
  const kinds = [...library.dataKinds.values()];
  const rows = new Map<string, string[]>();
  for (const dk of kinds) {
    if (dk.when && !evaluateCondition(dk.when, answers).ok) continue;
    rows.set(dk.id, dk.formats.filter((id) => chosen.includes(id) && accepts(dk, library.formats.get(id))));
  }
  const placed = new Set([...rows.values()].flat());
  for (const id of chosen) {
    if (placed.has(id)) continue;
    const f = library.formats.get(id);
    const target = kinds.find((dk) => rows.has(dk.id) && accepts(dk, f)) ?? kinds.find((dk) => dk.catchAll && accepts(dk, f));
    if (!target) continue;
    if (!rows.has(target.id)) rows.set(target.id, []);
    rows.get(target.id)!.push(id);
    placed.add(id);
  }
  // Registry order, whatever order the rows were added in.
  return kinds.filter((dk) => rows.get(dk.id)?.length).map((dk) => ({ kind: dk.id, formats: rows.get(dk.id)! }));
}

/** The effective matrix: the derived rows, with the answers' `exportMatrix` rows replacing or adding to them. */
export function exportMatrix(answers: Answers, library: Library): ExportRow[] {
  const derived = derivedExportMatrix(answers, library);
  const given = answers.exportMatrix;
  if (!given) return derived;
  const rows = new Map(derived.map((r) => [r.kind, r.formats]));
  for (const [kind, formats] of Object.entries(given)) rows.set(kind, [...formats]);
  const order = [...library.dataKinds.keys()];
  const pos = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...rows.entries()]
    .filter(([, formats]) => formats.length)
    .sort((a, b) => pos(a[0]) - pos(b[0]))
    .map(([kind, formats]) => ({ kind, formats }));
}

/** The chosen formats of some kinds, in the order chosen (an entry counts with its `alsoKinds`). */
export function chosenOfKinds(answers: Pick<Answers, 'formats'>, library: Library, wanted: readonly FormatKind[]): string[] {
  return answers.formats.filter((id) => {
    const f = library.formats.get(id);
    return f !== undefined && kindsOf(f).some((k) => wanted.includes(k));
  });
}

/**
 * The values a clause template reads as `derived.*` (clauses/README.md): the chosen formats split by
 * kind, and the export matrix with each data kind's name in `lang`.
 */
export function derivedValues(answers: Answers, library: Library, lang: string): Record<DerivedPath, unknown> {
  return {
    exportFormats: chosenOfKinds(answers, library, EXPORT_KINDS),
    apiSpecs: chosenOfKinds(answers, library, ['api-spec']),
    metadataStandards: chosenOfKinds(answers, library, ['metadata-standard']),
    exportMatrix: exportMatrix(answers, library)
      .filter((r) => r.formats.every((id) => library.formats.has(id)))
      .map((r) => {
        const dk = library.dataKinds.get(r.kind);
        return { kind: r.kind, name: dk ? localName(dk.name, lang) : r.kind, formats: r.formats };
      }),
  };
}
