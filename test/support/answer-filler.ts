import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { unzipSync, zipSync } from 'fflate';

/**
 * Our own filler for answered appendices, for tests: fills the answer column of a built DOCX the way a supplier would
 * in Word — real XML edits with a DOM, not text patterns — and can also change a requirement's wording, delete a row,
 * leave tracked changes, add a comment, split runs and add paragraphs to a cell.
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export interface Filling {
  /** Answer per requirement id; `*` for every row not named. */
  answers: Record<string, string>;
  /** New requirement text (the text cell) per id. */
  edit?: Record<string, string>;
  /** Requirement ids whose rows are removed. */
  remove?: string[];
  /** Ids whose answer is written as a tracked insertion, with the given text shown as a tracked deletion before it. */
  tracked?: Record<string, string>;
  /** Write each answer as one run per character and as two paragraphs (the comment in the second). */
  splitRuns?: boolean;
  /** Splits the requirements table in two before this id's row, with a paragraph between and the heading row repeated. */
  splitBefore?: string;
  /** A Word comment anchored on the answer, per id (adds word/comments.xml with its relationship and content type). */
  comment?: Record<string, string>;
  /** A row added at the end of the first requirements table: [id, text, level, answer]. */
  addRow?: [string, string, string, string];
}

const el = (doc: Document, name: string) => doc.createElementNS(W, `w:${name}`);

function para(doc: Document, text: string, split: boolean): Element {
  const p = el(doc, 'p');
  const pieces = split ? [...text] : [text];
  for (const piece of pieces) {
    const r = el(doc, 'r');
    const t = el(doc, 't');
    t.setAttribute('xml:space', 'preserve');
    t.appendChild(doc.createTextNode(piece));
    r.appendChild(t);
    p.appendChild(r);
  }
  return p as unknown as Element;
}

function cellText(tc: Element): string {
  return Array.from(tc.getElementsByTagNameNS(W, 't'))
    .map((t) => t.textContent)
    .join('');
}

function setCell(doc: Document, tc: Element, paragraphs: Element[]): void {
  for (const p of Array.from(tc.childNodes)) if ((p as Element).localName === 'p') tc.removeChild(p);
  for (const p of paragraphs) tc.appendChild(p);
}

type Document = ReturnType<DOMParser['parseFromString']>;

export function fillDocx(bytes: Uint8Array, f: Filling): Uint8Array {
  const files = unzipSync(bytes);
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(files['word/document.xml']), 'application/xml');
  let rev = 900;
  const stamp = '2027-03-02T00:00:00Z';
  let firstTable: Element | null = null;
  const comments: Array<[string, string]> = [];
  for (const tr of Array.from(doc.getElementsByTagNameNS(W, 'tr')) as Element[]) {
    const cells = Array.from(tr.childNodes).filter((c) => (c as Element).localName === 'tc') as Element[];
    const id = cells[0] ? cellText(cells[0]).trim() : '';
    if (!/^DK-/.test(id) || cells.length < 4) continue;
    firstTable ??= tr.parentNode as Element;
    if (f.remove?.includes(id)) {
      tr.parentNode!.removeChild(tr);
      continue;
    }
    if (f.edit?.[id] !== undefined) setCell(doc, cells[1]!, [para(doc, f.edit[id]!, false)]);
    const answer = f.answers[id] ?? f.answers['*'];
    if (answer === undefined) continue;
    if (f.tracked?.[id] !== undefined) {
      const p = el(doc, 'p');
      const del = el(doc, 'del');
      del.setAttribute('w:id', String(rev++));
      del.setAttribute('w:author', 'Leverandør');
      del.setAttribute('w:date', stamp);
      const dr = el(doc, 'r');
      const dt = el(doc, 'delText');
      dt.setAttribute('xml:space', 'preserve');
      dt.appendChild(doc.createTextNode(f.tracked[id]!));
      dr.appendChild(dt);
      del.appendChild(dr);
      const ins = el(doc, 'ins');
      ins.setAttribute('w:id', String(rev++));
      ins.setAttribute('w:author', 'Leverandør');
      ins.setAttribute('w:date', stamp);
      for (const r of Array.from(para(doc, answer, false).childNodes)) ins.appendChild(r);
      p.appendChild(del);
      p.appendChild(ins);
      setCell(doc, cells[3]!, [p as unknown as Element]);
    } else if (f.splitRuns) {
      const [word, ...rest] = answer.split(' ');
      setCell(doc, cells[3]!, [para(doc, word!, true), ...(rest.length ? [para(doc, rest.join(' '), true)] : [])]);
    } else setCell(doc, cells[3]!, [para(doc, answer, false)]);
    if (f.comment?.[id] !== undefined) {
      const cid = String(comments.length);
      comments.push([cid, f.comment[id]!]);
      const p = Array.from(cells[3]!.childNodes).find((c) => (c as Element).localName === 'p') as Element;
      const start = el(doc, 'commentRangeStart');
      start.setAttribute('w:id', cid);
      const end = el(doc, 'commentRangeEnd');
      end.setAttribute('w:id', cid);
      const ref = el(doc, 'r');
      const cr = el(doc, 'commentReference');
      cr.setAttribute('w:id', cid);
      ref.appendChild(cr);
      p.insertBefore(start, p.firstChild);
      p.appendChild(end);
      p.appendChild(ref);
    }
  }
  if (comments.length) {
    const c = new DOMParser().parseFromString(`<w:comments xmlns:w="${W}"/>`, 'application/xml');
    for (const [cid, text] of comments) {
      const ce = el(c, 'comment');
      ce.setAttribute('w:id', cid);
      ce.setAttribute('w:author', 'Leverandør');
      ce.setAttribute('w:date', stamp);
      ce.appendChild(para(c, text, false));
      c.documentElement!.appendChild(ce);
    }
    files['word/comments.xml'] = new TextEncoder().encode(new XMLSerializer().serializeToString(c));
    const dec = (n: string) => new TextDecoder().decode(files[n]);
    const types = new DOMParser().parseFromString(dec('[Content_Types].xml'), 'application/xml');
    const o = types.createElementNS(types.documentElement!.namespaceURI, 'Override');
    o.setAttribute('PartName', '/word/comments.xml');
    o.setAttribute('ContentType', 'application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml');
    types.documentElement!.appendChild(o);
    files['[Content_Types].xml'] = new TextEncoder().encode(new XMLSerializer().serializeToString(types));
    const rels = new DOMParser().parseFromString(dec('word/_rels/document.xml.rels'), 'application/xml');
    const rel = rels.createElementNS(rels.documentElement!.namespaceURI, 'Relationship');
    rel.setAttribute('Id', 'rIdComments');
    rel.setAttribute('Type', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments');
    rel.setAttribute('Target', 'comments.xml');
    rels.documentElement!.appendChild(rel);
    files['word/_rels/document.xml.rels'] = new TextEncoder().encode(new XMLSerializer().serializeToString(rels));
  }
  if (f.addRow && firstTable) {
    const tr = el(doc, 'tr');
    for (const text of f.addRow) {
      const tc = el(doc, 'tc');
      tc.appendChild(para(doc, text, false));
      tr.appendChild(tc);
    }
    firstTable.appendChild(tr);
  }
  if (f.splitBefore) {
    const tr = (Array.from(doc.getElementsByTagNameNS(W, 'tr')) as Element[]).find((r) => cellText(r.getElementsByTagNameNS(W, 'tc')[0] as Element).trim() === f.splitBefore);
    if (!tr) throw new Error(`no row ${f.splitBefore}`);
    const tbl = tr.parentNode as Element;
    const copy = tbl.cloneNode(false) as Element;
    for (const c of Array.from(tbl.childNodes) as Element[]) {
      if (c.localName === 'tblPr' || c.localName === 'tblGrid') copy.appendChild(c.cloneNode(true));
    }
    const heading = (Array.from(tbl.childNodes) as Element[]).find((c) => c.localName === 'tr')!;
    copy.appendChild(heading.cloneNode(true));
    for (let r: Element | null = tr; r; ) {
      const next = r.nextSibling as Element | null;
      copy.appendChild(r);
      r = next;
    }
    const between = para(doc, 'Tabellen fortsetter.', false);
    tbl.parentNode!.insertBefore(copy, tbl.nextSibling);
    tbl.parentNode!.insertBefore(between, copy);
  }
  files['word/document.xml'] = new TextEncoder().encode(new XMLSerializer().serializeToString(doc));
  return zipSync(files);
}
