import { DOMParser, onErrorStopParsing, type Document as XmlDocument, type Element, type Node as XmlNode } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';
import { ANSWER_SHEET_NS } from '../core/answer-sheet.js';
import type { ReadResponse, ReadRow, SheetIdentity, SheetRequirement } from './response.js';
import { ResponseError } from './response.js';

/**
 * Reads a supplier's answered DOCX: the answer sheet part we wrote (identity and requirement rows) and the
 * requirements tables as the supplier left them, in their accepted state — text inserted with tracked changes counts,
 * deleted text does not, and the pending changes are counted so the report can say so. Split runs, extra paragraphs
 * in a cell, content controls, hyperlinks and fields, a table split in two, and styles renamed by another editor do
 * not matter: only the table structure and the text are read. A real zip reader (fflate) and a real XML parser
 * (xmldom), never patterns over the XML.
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

/** Guards against zip bombs: what one entry, and all entries read, may inflate to, and the ratio of a large entry. */
export const ZIP_LIMITS = Object.freeze({ maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 128 * 1024 * 1024, maxRatio: 100, ratioFrom: 1024 * 1024, maxEntries: 10_000 });

/** The entries a response is read from; nothing else is inflated. */
const WANTED = /^(word\/document\.xml|word\/comments\.xml|customXml\/item\d+\.xml)$/;

function unzipResponse(bytes: Uint8Array): Record<string, Uint8Array> {
  let total = 0;
  let count = 0;
  try {
    return unzipSync(bytes, {
      filter: (f) => {
        if (++count > ZIP_LIMITS.maxEntries) throw new ResponseError('zipBomb', { detail: `more than ${ZIP_LIMITS.maxEntries} entries` });
        if (!WANTED.test(f.name)) return false;
        // fflate inflates into a buffer of the declared size, so a false size cannot make it use more memory than this.
        if (f.originalSize > ZIP_LIMITS.maxEntryBytes) throw new ResponseError('zipBomb', { detail: `${f.name} inflates to ${f.originalSize} bytes` });
        if (f.originalSize > ZIP_LIMITS.ratioFrom && f.originalSize > ZIP_LIMITS.maxRatio * Math.max(f.size, 1))
          throw new ResponseError('zipBomb', { detail: `${f.name} inflates ${Math.round(f.originalSize / Math.max(f.size, 1))} times` });
        total += f.originalSize;
        if (total > ZIP_LIMITS.maxTotalBytes) throw new ResponseError('zipBomb', { detail: `the parts inflate to more than ${ZIP_LIMITS.maxTotalBytes} bytes` });
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    throw new ResponseError('notDocx', { detail: e instanceof Error ? e.message : String(e) });
  }
}

function parseXml(bytes: Uint8Array, part: string): XmlDocument {
  let doc: XmlDocument;
  try {
    doc = new DOMParser({ onError: onErrorStopParsing }).parseFromString(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'application/xml');
  } catch (e) {
    throw new ResponseError('badXml', { part, detail: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
  }
  // OOXML has no document type declarations; one in a response can only be an attempt at entity expansion.
  if (doc.doctype) throw new ResponseError('badXml', { part, detail: 'a DOCTYPE declaration' });
  return doc;
}

const children = (n: XmlNode): Element[] => {
  const out: Element[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
};
const isW = (e: Element, name: string) => e.namespaceURI === W && e.localName === name;
const attrW = (e: Element, name: string) => e.getAttributeNS(W, name) ?? e.getAttribute(`w:${name}`) ?? '';

/** Elements that mark a pending tracked change. */
const CHANGES = new Set(['ins', 'del', 'moveFrom', 'moveTo', 'rPrChange', 'pPrChange', 'tblPrChange', 'trPrChange', 'tcPrChange', 'sectPrChange', 'numberingChange', 'cellIns', 'cellDel', 'cellMerge']);

function countChanges(n: Element): number {
  let count = 0;
  const walk = (e: Element) => {
    if (e.namespaceURI === W && CHANGES.has(e.localName ?? '')) count++;
    for (const c of children(e)) walk(c);
  };
  walk(n);
  return count;
}

/**
 * The text of a cell (or any part of the body) in its accepted state: paragraphs become lines; deleted and moved-away
 * text, field codes and properties are left out; content controls, hyperlinks, smart tags and inserted text are read
 * through. Comment ids met on the way are collected.
 */
function acceptedText(root: Element, commentIds: string[]): string {
  const lines: string[] = [];
  let line = '';
  const walk = (e: Element) => {
    if (e.namespaceURI === MC && e.localName === 'AlternateContent') {
      const choice = children(e).find((c) => c.namespaceURI === MC && c.localName === 'Choice');
      if (choice) walk(choice);
      return;
    }
    if (e.namespaceURI === W) {
      switch (e.localName) {
        case 'del':
        case 'moveFrom':
        case 'delText':
        case 'instrText':
        case 'delInstrText':
        case 'pPr':
        case 'rPr':
        case 'tblPr':
        case 'trPr':
        case 'tcPr':
        case 'sectPr':
        case 'footnoteReference':
        case 'endnoteReference':
          return;
        case 't':
          line += e.textContent ?? '';
          return;
        case 'tab':
        case 'ptab':
          line += '\t';
          return;
        case 'br':
        case 'cr':
          line += '\n';
          return;
        case 'noBreakHyphen':
          line += '-';
          return;
        case 'commentReference':
          commentIds.push(attrW(e, 'id'));
          return;
        case 'p': {
          for (const c of children(e)) walk(c);
          // A paragraph mark deleted with tracked changes joins the paragraph with the next.
          const markDeleted = children(e)
            .filter((c) => isW(c, 'pPr'))
            .flatMap((p) => children(p).filter((c) => isW(c, 'rPr')))
            .some((r) => children(r).some((c) => isW(c, 'del')));
          if (markDeleted) line += ' ';
          else {
            lines.push(line);
            line = '';
          }
          return;
        }
      }
    }
    for (const c of children(e)) walk(c);
  };
  walk(root);
  if (line) lines.push(line);
  return lines.join('\n');
}

/** The cells of a row, also those wrapped in content controls or custom XML. */
function rowCells(tr: Element): Element[] {
  const out: Element[] = [];
  const walk = (e: Element) => {
    for (const c of children(e)) {
      if (isW(c, 'tc')) out.push(c);
      else if (isW(c, 'sdt') || isW(c, 'sdtContent') || isW(c, 'customXml')) walk(c);
    }
  };
  walk(tr);
  return out;
}

/** True when a row was deleted with tracked changes (so is not in the accepted state). */
const rowDeleted = (tr: Element) => children(tr).some((c) => isW(c, 'trPr') && children(c).some((d) => isW(d, 'del')));

function readSheet(doc: XmlDocument): { identity: SheetIdentity; requirements: SheetRequirement[] } | null {
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== ANSWER_SHEET_NS || root.localName !== 'answerSheet') return null;
  const kids = children(root);
  const one = (name: string) => kids.find((k) => k.localName === name);
  const appendix = one('appendix');
  const tool = one('tool');
  const get = (e: Element | undefined, name: string) => e?.getAttribute(name) ?? '';
  return {
    identity: {
      lang: get(root, 'lang'),
      date: get(root, 'date'),
      answersFile: get(appendix, 'answersFile'),
      answersDigest: get(appendix, 'answersDigest'),
      tool: { name: get(tool, 'name'), version: get(tool, 'version') },
      libraries: kids.filter((k) => k.localName === 'library').map((l) => ({ name: get(l, 'name'), version: get(l, 'version'), digest: get(l, 'digest') })),
    },
    requirements: kids
      .filter((k) => k.localName === 'requirement')
      .map((r) => ({
        id: get(r, 'id'),
        clause: get(r, 'clause'),
        number: get(r, 'number'),
        level: get(r, 'level') === 'bør' ? ('bør' as const) : ('skal' as const),
        digests: Object.fromEntries(children(r).filter((t) => t.localName === 'text').map((t) => [get(t, 'lang'), get(t, 'digest')])),
      })),
  };
}

/** Reads an answered DOCX. Throws a ResponseError (with a message key) for anything that is not our answer sheet. */
export function readDocxResponse(bytes: Uint8Array): ReadResponse {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new ResponseError('notDocx', { detail: 'not a zip package' });
  const parts = unzipResponse(bytes);
  const main = parts['word/document.xml'];
  if (!main) throw new ResponseError('notDocx', { detail: 'no word/document.xml' });
  let sheet: ReturnType<typeof readSheet> = null;
  for (const name of Object.keys(parts).filter((n) => n.startsWith('customXml/')).sort()) {
    sheet = readSheet(parseXml(parts[name]!, name));
    if (sheet) break;
  }
  if (!sheet) throw new ResponseError('noSheet', {});
  const doc = parseXml(main, 'word/document.xml');
  const body = doc.documentElement ? children(doc.documentElement).find((e) => isW(e, 'body')) : undefined;
  if (!body) throw new ResponseError('notDocx', { detail: 'word/document.xml has no body' });

  const comments = new Map<string, string>();
  if (parts['word/comments.xml']) {
    const c = parseXml(parts['word/comments.xml'], 'word/comments.xml');
    for (const e of c.documentElement ? children(c.documentElement).filter((x) => isW(x, 'comment')) : []) {
      comments.set(attrW(e, 'id'), `${attrW(e, 'author') ? `${attrW(e, 'author')}: ` : ''}${acceptedText(e, []).replace(/\s+/g, ' ').trim()}`);
    }
  }

  const known = new Set(sheet.requirements.map((r) => r.id));
  const rows: ReadRow[] = [];
  const added: ReadRow[] = [];
  // Every table row in the body, nested tables too, in document order; a table split in two is just more rows.
  const trs = Array.from(body.getElementsByTagNameNS(W, 'tr')) as Element[];
  const tablesWithRequirements = new Set<Element>();
  const read = trs.map((tr) => {
    const cells = rowCells(tr).map((tc) => {
      const ids: string[] = [];
      return { text: acceptedText(tc, ids), ids };
    });
    return { tr, cells, id: (cells[0]?.text ?? '').replace(/\s+/g, ''), deleted: rowDeleted(tr) };
  });
  for (const r of read) if (known.has(r.id) && !r.deleted) tablesWithRequirements.add(r.tr.parentNode as Element);
  for (const r of read) {
    const inTable = tablesWithRequirements.has(r.tr.parentNode as Element);
    if (!inTable || r.deleted) continue;
    const commentTexts = r.cells.flatMap((c) => c.ids).map((id) => comments.get(id) ?? '').filter(Boolean);
    const row: ReadRow = {
      id: r.id,
      text: r.cells[1]?.text ?? '',
      levelText: r.cells.length >= 4 ? (r.cells[2]?.text ?? '') : '',
      answer: r.cells.length >= 3 ? (r.cells[r.cells.length - 1]?.text ?? '') : '',
      comments: commentTexts,
      pendingChanges: countChanges(r.tr),
    };
    if (known.has(r.id) && !rows.some((x) => x.id === r.id)) rows.push(row);
    else if (r.tr === firstRowOf(r.tr)) continue; // the heading row of a requirements table (or of its continuation)
    else if (r.cells.some((c) => c.text.trim())) added.push(row);
  }
  return { format: 'docx', identity: sheet.identity, requirements: sheet.requirements, rows, added, pendingChanges: countChanges(body), comments: comments.size };
}

function firstRowOf(tr: Element): Element | undefined {
  const table = tr.parentNode as Element | null;
  return table ? children(table).find((c) => isW(c, 'tr')) : undefined;
}
