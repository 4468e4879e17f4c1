import type { PackageAddition } from './answer-sheet.js';
import { dosDateTime, readZip, writeZip } from './zip.js';

/**
 * Makes the package the docx library wrote the same bytes for the same model. The library stamps the clock into
 * docProps/core.xml and into every zip entry, gives hyperlink relationships random ids (nanoid), and numbers the
 * table of contents bookmarks from a counter that lives as long as the process. This rewrites all of it from the
 * model: the document date, ids in order of appearance, a fixed entry order and timestamp. `addition` (the answer
 * sheet) is added after the renumbering, so its own ids stay as they are.
 */
export function pinPackage(packed: Uint8Array, isoDate: string, addition?: PackageAddition): Uint8Array {
  const entries = readZip(packed);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const text = new Map<string, string>();
  for (const [name, data] of entries) if (/\.(xml|rels)$/.test(name)) text.set(name, decoder.decode(data));

  const core = text.get('docProps/core.xml');
  if (core !== undefined) text.set('docProps/core.xml', pinCoreDates(core, isoDate));

  const relIds = randomRelationshipIds(text);
  const bookmarks = bookmarkRenumbering(text.get('word/document.xml') ?? '');
  for (const [name, xml] of text) {
    let out = xml;
    if (relIds.size) out = out.replace(/"(rId[^"]*)"/g, (m, id: string) => (relIds.has(id) ? `"${relIds.get(id)}"` : m));
    if (bookmarks.names.size) out = out.replace(/_Toc\d+\b/g, (m) => bookmarks.names.get(m) ?? m);
    if (bookmarks.ids.size)
      out = out.replace(/<w:bookmark(Start|End)\b[^>]*>/g, (tag) => tag.replace(/w:id="(\d+)"/, (m, id: string) => (bookmarks.ids.has(id) ? `w:id="${bookmarks.ids.get(id)}"` : m)));
    text.set(name, out);
  }
  if (addition) {
    const append = (name: string, closing: string, lines: readonly string[]) => {
      const xml = text.get(name);
      if (!lines.length) return;
      if (xml === undefined || !xml.includes(closing)) throw new Error(`cannot add to ${name}: the package has no ${closing}`);
      text.set(name, xml.replace(closing, `${lines.join('')}${closing}`));
    };
    append('[Content_Types].xml', '</Types>', addition.contentTypes);
    append('word/_rels/document.xml.rels', '</Relationships>', addition.documentRelationships);
    for (const [name, bytes] of addition.parts) entries.set(name, bytes);
  }

  const names = [...entries.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return writeZip(
    names.map((name) => [name, text.has(name) ? encoder.encode(text.get(name)!) : entries.get(name)!] as const),
    dosDateTime(isoDate),
  );
}

/** [Content_Types].xml first and the package relationships next, as Office writes them; then by name. */
function rank(name: string): number {
  if (name === '[Content_Types].xml') return 0;
  if (name === '_rels/.rels') return 1;
  return 2;
}

/** Both timestamps become midnight UTC of the document's date, the date the document is issued on. */
export function pinCoreDates(core: string, isoDate: string): string {
  const stamp = `${isoDate}T00:00:00Z`;
  return core.replace(/(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g, (_m, open: string, _n, close: string) => `${open}${stamp}${close}`);
}

/**
 * Relationship ids that are not the library's sequential `rIdN`, renamed `rIdLinkN` in the order they appear in the
 * relationship parts (sorted by part name), which follows the order of the links in the document.
 */
function randomRelationshipIds(text: Map<string, string>): Map<string, string> {
  const ids = new Map<string, string>();
  const rels = [...text.keys()].filter((n) => n.endsWith('.rels')).sort();
  for (const name of rels) {
    for (const m of text.get(name)!.matchAll(/\bId="([^"]+)"/g)) {
      const id = m[1]!;
      if (!/^rId\d+$/.test(id) && !ids.has(id)) ids.set(id, `rIdLink${ids.size + 1}`);
    }
  }
  return ids;
}

/** Table of contents bookmarks numbered 1, 2, … in document order, names and ids alike. */
function bookmarkRenumbering(document: string): { names: Map<string, string>; ids: Map<string, string> } {
  const names = new Map<string, string>();
  const ids = new Map<string, string>();
  for (const m of document.matchAll(/<w:bookmarkStart\b[^>]*>/g)) {
    const tag = m[0];
    const id = /w:id="(\d+)"/.exec(tag)?.[1];
    const name = /w:name="(_Toc\d+)"/.exec(tag)?.[1];
    const n = ids.size + 1;
    if (id !== undefined && !ids.has(id)) ids.set(id, String(n));
    if (name !== undefined && !names.has(name)) names.set(name, `_Toc${n}`);
  }
  return { names, ids };
}
