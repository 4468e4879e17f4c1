import type { Block, DocumentModel, Inline, RequirementRow } from '../../assemble/model.js';
import { titleBlockRows } from '../title-rows.js';

/**
 * The pure PDF layout: DocumentModel + font metrics → pages of positioned lines (plain JSON).
 * Nothing here writes PDF syntax or touches the filesystem; `renderPdf` only draws what this returns.
 * Coordinates are PDF points with the origin at the bottom left of the page; `y` of a text line is
 * its baseline.
 */

export type FontFace = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';
export const FONT_FACES = ['regular', 'bold', 'italic', 'boldItalic', 'mono'] as const satisfies readonly FontFace[];

/** Real font metrics, passed in so that the layout stays pure. */
export interface FontMetrics {
  /** Advance width of `text` at `size`, in points (no kerning, no ligatures: as drawn). */
  widthOf(face: FontFace, text: string, size: number): number;
  /** Ascent and descent (negative) per em, shared by all faces. */
  ascent: number;
  descent: number;
}

export type Colour = 'text' | 'muted' | 'heading' | 'link' | 'rule' | 'border' | 'headerFill';

export interface PdfTextLine {
  x: number;
  y: number;
  font: FontFace;
  size: number;
  text: string;
  colour: Colour;
}
export interface PdfRect {
  x: number;
  y: number;
  w: number;
  h: number;
  kind: 'fill' | 'stroke';
  colour: Colour;
  lineWidth?: number;
}
/** A clickable area: an external URI or a named anchor inside the document. */
export interface PdfLink {
  x: number;
  y: number;
  w: number;
  h: number;
  href?: string;
  dest?: string;
}
export interface PdfPage {
  lines: PdfTextLine[];
  rects: PdfRect[];
  links: PdfLink[];
}
/** An outline (bookmark) target: 0-based page index and the y of the top of the heading. */
export interface PdfAnchor {
  page: number;
  y: number;
}
export interface PdfOutlineItem {
  title: string;
  anchor: string;
  children: PdfOutlineItem[];
}
export interface PdfLayout {
  width: number;
  height: number;
  pages: PdfPage[];
  anchors: Record<string, PdfAnchor>;
  outline: PdfOutlineItem[];
}

/** A4 portrait, 22 mm side margins. */
export const PAGE = { width: 595.28, height: 841.89, left: 62, right: 62, top: 76, bottom: 66 } as const;
const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
const TOP = PAGE.height - PAGE.top;

const BODY = { size: 10, lineHeight: 14.2 } as const;
const TABLE = { size: 8.6, lineHeight: 11.6, padX: 4, padY: 3.2 } as const;
const META = { size: 8.4, lineHeight: 11.4 } as const;

// ---------------------------------------------------------------------------------------------
// Inline text: runs → fragments → wrapped lines

interface Style {
  face: FontFace;
  size: number;
  colour: Colour;
  href: string | undefined;
  /** The space fragment of this style, made on first use (fragments are never changed, so it is shared). */
  space: Frag | undefined;
}
const makeStyle = (face: FontFace, size: number, colour: Colour, href?: string): Style => ({ face, size, colour, href, space: undefined });

/**
 * A word (text without white space), the white space between words, or a line break; words and
 * spaces carry their measured width (one space object per style), so wrapping one paragraph twice
 * (a table measures its cells, then wraps them) measures once. Words and spaces also serve as the
 * parts of a wrapped line: one object shape for all, which keeps the property loads of the
 * wrapping loop monomorphic.
 */
interface Frag {
  kind: 'text' | 'space' | 'break';
  text: string;
  style: Style;
  width: number;
}

/**
 * A laid-out line before it is placed on a page; `dx` is relative to the line's left edge.
 * `width` is measured as a whole for links (their annotation is as wide as the text); other
 * segments keep the sum of their parts, which nothing reads.
 */
interface Seg {
  dx: number;
  text: string;
  style: Style;
  width: number;
}
interface LineBox {
  segs: Seg[];
  width: number;
}

function faceOf(bold: boolean, italic: boolean): FontFace {
  return bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular';
}

function sameStyle(a: Style, b: Style): boolean {
  return a === b || (a.face === b.face && a.size === b.size && a.colour === b.colour && a.href === b.href);
}

const BREAK_STYLE = makeStyle('regular', 0, 'text');
const BREAK: Frag = { kind: 'break', text: '', style: BREAK_STYLE, width: 0 };
/** Ordinary white space, captured: the parts at odd indices of a split are the runs of white space. */
const WHITE = /([ \t\r\n]+)/;

/** The style of a text or link run in a paragraph of style `base`. */
function runStyle(r: Exclude<Inline, { type: 'break' }>, base: Style): Style {
  const baseBold = base.face === 'bold' || base.face === 'boldItalic';
  const baseItalic = base.face === 'italic' || base.face === 'boldItalic';
  const code = r.type === 'text' && !!r.code;
  return makeStyle(
    code ? 'mono' : faceOf(baseBold || !!r.bold, baseItalic || !!r.italic),
    code ? Math.round(base.size * 0.9 * 100) / 100 : base.size,
    r.type === 'link' ? 'link' : base.colour,
    r.type === 'link' ? r.href : base.href,
  );
}

/** Splits runs into words and spaces; only ordinary whitespace breaks (a no-break space does not). */
function fragments(runs: readonly Inline[], base: Style, m: FontMetrics): Frag[] {
  const out: Frag[] = [];
  for (const r of runs) {
    if (r.type === 'break') {
      out.push(BREAK);
      continue;
    }
    const st = runStyle(r, base);
    const parts = r.text.split(WHITE);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i & 1) out.push((st.space ??= { kind: 'space', text: ' ', style: st, width: m.widthOf(st.face, ' ', st.size) }));
      else if (part) out.push({ kind: 'text', text: part, style: st, width: m.widthOf(st.face, part, st.size) });
    }
  }
  return out;
}

/** A line of parts merged into segments: neighbouring parts of one style are drawn as one. */
function lineOf(parts: readonly Frag[], m: FontMetrics): LineBox {
  const segs: Seg[] = [];
  let dx = 0;
  let last: Seg | undefined;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (last !== undefined && sameStyle(last.style, p.style)) {
      last.text += p.text;
      last.width += p.width;
    } else segs.push((last = { dx, text: p.text, style: p.style, width: p.width }));
    dx += p.width;
  }
  for (const s of segs) if (s.style.href) s.width = m.widthOf(s.style.face, s.text, s.style.size);
  return { segs, width: dx };
}

/** The line being filled while wrapping, and the lines done. */
interface WrapState {
  lines: LineBox[];
  cur: Frag[];
  curWidth: number;
}

/**
 * Greedy word wrapping with real advance widths; a word wider than the line breaks between characters.
 * A word is a run of text fragments with no space between them (styles may change inside a word).
 */
function wrap(frags: readonly Frag[], width: number, m: FontMetrics): LineBox[] {
  const limit = width + 0.001;
  const lines: LineBox[] = [];
  let cur: Frag[] = [];
  let curWidth = 0;
  let pending: Frag | null = null;
  const n = frags.length;
  let i = 0;
  while (i < n) {
    const f = frags[i]!;
    if (f.kind === 'space') {
      if (cur.length) pending = f;
      i++;
      continue;
    }
    if (f.kind === 'break') {
      lines.push(lineOf(cur, m));
      cur = [];
      curWidth = 0;
      pending = null;
      i++;
      continue;
    }
    let j = i + 1;
    let wordWidth = f.width;
    while (j < n && frags[j]!.kind === 'text') wordWidth += frags[j++]!.width;
    const spaceWidth = cur.length && pending ? pending.width : 0;
    if (cur.length && curWidth + spaceWidth + wordWidth > limit) {
      lines.push(lineOf(cur, m));
      cur = [];
      curWidth = 0;
      pending = null;
    }
    if (cur.length && pending) {
      cur.push(pending);
      curWidth += pending.width;
    }
    pending = null;
    if (curWidth + wordWidth <= limit) {
      for (let k = i; k < j; k++) cur.push(frags[k]!);
      curWidth += wordWidth;
    } else {
      const st: WrapState = { lines, cur, curWidth };
      breakWord(st, frags.slice(i, j), width, m);
      cur = st.cur;
      curWidth = st.curWidth;
    }
    i = j;
  }
  if (cur.length || !lines.length) lines.push(lineOf(cur, m));
  return lines;
}

/**
 * Wraps runs: `wrap(fragments(…))`, with a shorter way for the usual paragraph, one plain text
 * run (no link) whose words all fit a line. Its lines are one segment each, whose text is its
 * words joined by single spaces, and the widths are summed in the same order as `wrap` and
 * `lineOf` sum them (word, space, word, …), so the lines are the same to the last bit.
 * White space at either end of the run changes nothing there either: a space before the first
 * word of a line is never placed, and one after the last word has no word to go before.
 */
function wrapRuns(runs: readonly Inline[], base: Style, width: number, m: FontMetrics): LineBox[] {
  const r = runs[0];
  if (runs.length !== 1 || r === undefined || r.type !== 'text') return wrap(fragments(runs, base, m), width, m);
  const st = runStyle(r, base);
  const limit = width + 0.001;
  const parts = r.text.split(WHITE);
  const words: string[] = [];
  const widths: number[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i]!;
    if (!word) continue;
    const w = m.widthOf(st.face, word, st.size);
    // A word wider than the line is broken inside: that is `wrap`'s work.
    if (!(w <= limit)) return wrap(fragments(runs, base, m), width, m);
    words.push(word);
    widths.push(w);
  }
  const space = words.length > 1 ? m.widthOf(st.face, ' ', st.size) : 0;
  const lines: LineBox[] = [];
  const line = (from: number, to: number, w: number): LineBox =>
    to > from ? { segs: [{ dx: 0, text: to - from === 1 ? words[from]! : words.slice(from, to).join(' '), style: st, width: w }], width: w } : { segs: [], width: 0 };
  let from = 0;
  let curWidth = 0;
  for (let i = 0; i < words.length; i++) {
    const w = widths[i]!;
    if (i === from) curWidth += w;
    else if (curWidth + space + w > limit) {
      lines.push(line(from, i, curWidth));
      from = i;
      curWidth = 0 + w;
    } else {
      curWidth += space;
      curWidth += w;
    }
  }
  if (words.length > from || !lines.length) lines.push(line(from, words.length, curWidth));
  return lines;
}

/**
 * Places a word too wide even on a line of its own (a clause id, a long URL, a digest): breaks after
 * a "/", "-", "_" or "." inside the word where one fits; otherwise between letters with a hyphen
 * added, so that no word is cut without a mark. Code (a digest) is cut without a hyphen, which
 * would change it. Parts already on the line are replaced, never changed: they may be shared.
 */
function breakWord(st: WrapState, word: readonly Frag[], width: number, m: FontMetrics): void {
  const part = (text: string, s: Style, w: number): Frag => ({ kind: 'text', text, style: s, width: w });
  const chars = word.flatMap((p) => [...p.text].map((ch) => ({ ch, style: p.style, w: m.widthOf(p.style.face, ch, p.style.size) })));
  const emit = (piece: typeof chars, hyphen: boolean) => {
    const cur = st.cur;
    for (const c of piece) {
      const last = cur[cur.length - 1];
      if (last && sameStyle(last.style, c.style)) {
        const t = last.text + c.ch;
        cur[cur.length - 1] = part(t, last.style, m.widthOf(c.style.face, t, c.style.size));
      } else {
        cur.push(part(c.ch, c.style, c.w));
      }
    }
    if (hyphen && piece.length) {
      const s = piece[piece.length - 1]!.style;
      cur.push(part('-', s, m.widthOf(s.face, '-', s.size)));
    }
    st.curWidth = cur.reduce((sum, q) => sum + q.width, 0);
  };
  let rest = chars;
  while (rest.length && rest.reduce((sum, c) => sum + c.w, 0) > width + 0.001) {
    let fit = 0;
    let acc = 0;
    while (fit < rest.length && acc + rest[fit]!.w <= width + 0.001) acc += rest[fit++]!.w;
    let at = -1;
    for (let k = fit; k >= 3; k--) if ('/-_.'.includes(rest[k - 1]!.ch)) { at = k; break; }
    if (at > 0) {
      emit(rest.slice(0, at), false);
    } else {
      const code = rest[0]!.style.face === 'mono';
      const hyphenWidth = code ? 0 : m.widthOf(rest[0]!.style.face, '-', rest[0]!.style.size);
      let k = fit;
      while (k > 1 && rest.slice(0, k).reduce((sum, c) => sum + c.w, 0) + hyphenWidth > width + 0.001) k--;
      at = Math.max(1, k);
      emit(rest.slice(0, at), !code);
    }
    rest = rest.slice(at);
    st.lines.push(lineOf(st.cur, m));
    st.cur = [];
    st.curWidth = 0;
  }
  emit(rest, false);
}

function shift(lines: LineBox[], dx: number): LineBox[] {
  return lines.map((l) => ({ width: l.width + dx, segs: l.segs.map((s) => ({ ...s, dx: s.dx + dx })) }));
}

// ---------------------------------------------------------------------------------------------
// Flow items: what the paginator places

interface TextItem {
  kind: 'text';
  x: number;
  lines: LineBox[];
  size: number;
  lineHeight: number;
  before: number;
  after: number;
  keepWithNext: boolean;
  pageBreakBefore: boolean;
  anchor: string | undefined;
  /** A rule under the last line (section headings). */
  rule: boolean;
  /** List marker drawn on the first line, at an absolute x. */
  marker: { x: number; seg: Seg } | undefined;
}

/** A text item; every field is set, so that all text items have one shape. */
function textItem(x: number, lines: LineBox[], size: number, lineHeight: number, before: number, after: number, keepWithNext: boolean, pageBreakBefore: boolean, anchor: string | undefined, rule: boolean): TextItem {
  return { kind: 'text', x, lines, size, lineHeight, before, after, keepWithNext, pageBreakBefore, anchor, rule, marker: undefined };
}
interface Cell {
  lines: LineBox[];
}
interface Row {
  cells: Cell[];
  fill?: Colour;
}
interface TableItem {
  kind: 'table';
  cols: Array<{ x: number; w: number; align: 'left' | 'center' | 'right' }>;
  header: Row | null;
  rows: Row[];
  grid: 'full' | 'rows';
  before: number;
  after: number;
}
interface TocItem {
  kind: 'toc';
  entries: Array<{ number: string; title: string; anchor: string }>;
  before: number;
  after: number;
}
type Item = TextItem | TableItem | TocItem;

function rowHeight(row: Row): number {
  return Math.max(1, ...row.cells.map((c) => c.lines.length)) * TABLE.lineHeight + 2 * TABLE.padY;
}

// ---------------------------------------------------------------------------------------------
// Model → flow items

interface ParagraphOptions {
  style?: Style;
  lineHeight?: number;
  before?: number;
  after?: number;
  keepWithNext?: boolean;
}
const BODY_STYLE = makeStyle('regular', BODY.size, 'text');

class FlowBuilder {
  readonly items: Item[] = [];
  constructor(private readonly m: FontMetrics) {}

  paragraph(runs: readonly Inline[], x: number, width: number, opts: ParagraphOptions = {}): TextItem {
    const style = opts.style ?? BODY_STYLE;
    const item = textItem(
      x,
      wrapRuns(runs, style, width, this.m),
      style.size,
      opts.lineHeight ?? BODY.lineHeight,
      opts.before ?? 0,
      opts.after ?? 6,
      opts.keepWithNext === true,
      false,
      undefined,
      false,
    );
    this.items.push(item);
    return item;
  }

  /** The heading of a part of the appendix (or of the provenance annex): unnumbered, on a new page, with a rule. */
  partHeading(runs: readonly Inline[], anchor: string): void {
    const style: Style = makeStyle('bold', 16, 'heading');
    this.items.push(textItem(PAGE.left, wrapRuns(runs, style, CONTENT_WIDTH, this.m), style.size, 21, 0, 10, true, true, anchor, true));
  }

  /** A numbered heading: the number hangs, the title wraps at its own indent. */
  heading(number: string, runs: readonly Inline[], level: 1 | 2 | 3, anchor?: string, pageBreakBefore = false): void {
    const spec = {
      1: { size: 14, lineHeight: 18, before: 18, after: 8, indent: 26, colour: 'heading' as Colour },
      2: { size: 11.2, lineHeight: 15, before: 12, after: 4, indent: 34, colour: 'heading' as Colour },
      3: { size: 10, lineHeight: 14, before: 6, after: 3, indent: 40, colour: 'text' as Colour },
    }[level];
    const style: Style = makeStyle('bold', spec.size, spec.colour);
    const numWidth = this.m.widthOf('bold', number, spec.size);
    const indent = Math.max(spec.indent, numWidth + 8);
    const lines = shift(wrapRuns(runs, style, CONTENT_WIDTH - indent, this.m), indent);
    lines[0]!.segs.unshift({ dx: 0, text: number, style, width: numWidth });
    this.items.push(textItem(PAGE.left, lines, spec.size, spec.lineHeight, spec.before, spec.after, true, pageBreakBefore, anchor, level === 1));
  }

  blocks(blocks: readonly Block[], x: number, width: number, depth: number, tight: boolean): void {
    for (const b of blocks) this.block(b, x, width, depth, tight);
  }

  block(b: Block, x: number, width: number, depth: number, tight: boolean): void {
    switch (b.type) {
      case 'paragraph':
        this.paragraph(b.content, x, width, { after: tight ? 3 : 6 });
        return;
      case 'heading':
        this.heading(b.number, b.content, 3);
        return;
      case 'list':
        this.list(b, x, width, depth);
        return;
      case 'table':
        this.table(
          b.header,
          b.rows,
          b.align.map((a) => a ?? 'left'),
          x,
          width,
          null,
        );
        return;
    }
  }

  list(b: Extract<Block, { type: 'list' }>, x: number, width: number, depth: number): void {
    const style: Style = makeStyle('regular', BODY.size, 'text');
    const markers = b.items.map((_, i) => (b.ordered ? `${b.start + i}.` : (['•', '–', '◦'][depth % 3] as string)));
    const indent = b.ordered ? Math.max(...markers.map((t) => this.m.widthOf('regular', t, BODY.size))) + 7 : 13;
    b.items.forEach((item, i) => {
      const first = this.items.length;
      this.blocks(item, x + indent, width - indent, depth + 1, true);
      const marker = markers[i]!;
      const target = this.items[first];
      const markerWidth = this.m.widthOf('regular', marker, BODY.size);
      // Ordered markers are right-aligned so that 9. and 10. line up on the dot.
      const mx = b.ordered ? x + indent - 7 - markerWidth : x + 2;
      if (target?.kind === 'text') target.marker = { x: mx, seg: { dx: 0, text: marker, style, width: markerWidth } };
      else if (target) this.items.splice(first, 0, textItem(x, [{ width: markerWidth, segs: [{ dx: mx - x, text: marker, style, width: markerWidth }] }], BODY.size, BODY.lineHeight, 0, 0, true, false, undefined, false));
    });
    const last = this.items[this.items.length - 1];
    if (last && last.kind === 'text' && depth === 0) last.after = 6;
  }

  /**
   * A table. Column widths are given as fractions, or (null) computed from the content: each
   * column gets at least its longest word and the rest is shared in proportion to its natural width.
   */
  table(
    header: readonly Inline[][] | null,
    rows: readonly Inline[][][],
    align: ReadonlyArray<'left' | 'center' | 'right'>,
    x: number,
    width: number,
    fractions: readonly number[] | null,
    opts: { grid?: 'full' | 'rows'; keyColumn?: boolean } = {},
  ): void {
    const n = Math.max(header?.length ?? 0, ...rows.map((r) => r.length));
    const bodyStyle: Style = makeStyle('regular', TABLE.size, 'text');
    const headStyle: Style = makeStyle('bold', TABLE.size, 'text');
    const keyStyle: Style = makeStyle('regular', TABLE.size, 'muted');
    const cell = (runs: readonly Inline[] | undefined, style: Style) => ({ runs: runs ?? [], style });
    const all: Array<Array<{ runs: readonly Inline[]; style: Style }>> = [];
    if (header) all.push(Array.from({ length: n }, (_, i) => cell(header[i], headStyle)));
    for (const r of rows) all.push(Array.from({ length: n }, (_, i) => cell(r[i], opts.keyColumn && i === 0 ? keyStyle : bodyStyle)));

    let widths: number[];
    // Fragments are made once where the columns are measured from the content, and wrapped twice.
    let frags: Frag[][][] | null = null;
    if (fractions) widths = fractions.map((f) => f * width);
    else {
      frags = all.map((row) => row.map((c) => fragments(c.runs, c.style, this.m)));
      const pad = 2 * TABLE.padX;
      const natural = new Array<number>(n).fill(pad + 12);
      const minimum = new Array<number>(n).fill(pad + 12);
      for (const row of frags) {
        row.forEach((cellFrags, i) => {
          const lines = wrap(cellFrags, 1e6, this.m);
          natural[i] = Math.max(natural[i]!, ...lines.map((l) => l.width + pad));
          for (const f of cellFrags) if (f.kind === 'text') minimum[i] = Math.max(minimum[i]!, Math.min(f.width + pad, width / n));
        });
      }
      const sumNat = natural.reduce((a, b) => a + b, 0);
      const sumMin = minimum.reduce((a, b) => a + b, 0);
      if (sumNat <= width) widths = natural.map((w) => (w * width) / sumNat);
      else if (sumMin >= width) widths = minimum.map((w) => (w * width) / sumMin);
      else {
        const extra = width - sumMin;
        const want = natural.map((w, i) => w - minimum[i]!);
        const sumWant = want.reduce((a, b) => a + b, 0) || 1;
        widths = minimum.map((w, i) => w + (extra * want[i]!) / sumWant);
      }
    }
    const cols: TableItem['cols'] = [];
    let cx = x;
    for (let i = 0; i < n; i++) {
      cols.push({ x: cx, w: widths[i]!, align: align[i] ?? 'left' });
      cx += widths[i]!;
    }
    const built = all.map(
      (row, ri): Row => ({
        cells: row.map((c, i) => {
          const inner = cols[i]!.w - 2 * TABLE.padX;
          return { lines: frags ? wrap(frags[ri]![i]!, inner, this.m) : wrapRuns(c.runs, c.style, inner, this.m) };
        }),
      }),
    );
    const headerRow = header ? { ...built.shift()!, fill: 'headerFill' as Colour } : null;
    this.items.push({ kind: 'table', cols, header: headerRow, rows: built, grid: opts.grid ?? 'full', before: 2, after: 9 });
  }
}

/**
 * Requirements table columns: id and level as wide as their longest word (an id such as DK-PER-08 never breaks),
 * a wide answer column for the supplier, the requirement text gets the rest.
 */
function requirementColumns(model: DocumentModel, rows: readonly RequirementRow[], m: FontMetrics, width: number): number[] {
  const pad = 2 * TABLE.padX + 1;
  const rc = model.labels.requirementColumns;
  const longestWord = (texts: string[], face: FontFace) =>
    Math.max(0, ...texts.flatMap((s) => s.split(/[ \t\r\n]+/)).map((w) => m.widthOf(face, w, TABLE.size))) + pad;
  const id = longestWord([...rows.map((r) => r.id), rc.id], 'bold');
  const level = longestWord([...rows.map((r) => r.levelText), rc.level], 'bold');
  const answer = Math.max(width * 0.3, longestWord([rc.answer], 'bold'));
  const text = width - id - level - answer;
  return [id, text, level, answer].map((w) => w / width);
}

/** Plain text as runs. */
function t(text: string, extra: Partial<Omit<Extract<Inline, { type: 'text' }>, 'type' | 'text'>> = {}): Inline {
  return { type: 'text', text, ...extra };
}

function buildFlow(model: DocumentModel, m: FontMetrics): Item[] {
  const L = model.labels;
  const T = model.title;
  const f = new FlowBuilder(m);
  const x = PAGE.left;
  const W = CONTENT_WIDTH;

  // Title block
  f.paragraph([t(T.appendixLabel)], x, W, { style: makeStyle('regular', 11, 'muted'), lineHeight: 15, after: 4 });
  f.paragraph([t(T.heading)], x, W, { style: makeStyle('bold', 24, 'heading'), lineHeight: 30, after: 14 });
  const rows = titleBlockRows(model);
  f.table(null, rows.map(([k, v]) => [[t(k)], [t(v)]]), ['left', 'left'], x, W, [0.3, 0.7], { grid: 'rows', keyColumn: true });
  if (T.description) f.paragraph([t(T.description)], x, W, { before: 4 });

  // Contents: each part, then its sections and requirements table; anchors carry the part's index because
  // numbering restarts in every part.
  f.paragraph([t(L.contents)], x, W, { style: makeStyle('bold', 13, 'heading'), lineHeight: 17, before: 14, after: 6, keepWithNext: true });
  f.items.push({
    kind: 'toc',
    entries: [
      ...model.parts.flatMap((part, pi) => [
        { number: '', title: part.title, anchor: `p${pi + 1}` },
        ...part.sections.map((s) => ({ number: s.number, title: s.title, anchor: `p${pi + 1}-s${s.number}` })),
        ...(part.requirements ? [{ number: part.requirements.number, title: part.requirements.title, anchor: `p${pi + 1}-requirements` }] : []),
      ]),
      { number: '', title: model.provenance.title, anchor: 'provenance' },
    ],
    before: 0,
    after: 0,
  });

  const rc = L.requirementColumns;
  model.parts.forEach((part, pi) => {
    const pid = `p${pi + 1}`;
    f.partHeading([t(part.title)], pid);
    f.paragraph([t(part.intro)], x, W, { after: 8 });
    for (const s of part.sections) {
      f.heading(s.number, [t(s.title)], 1, `${pid}-s${s.number}`);
      for (const c of s.clauses) {
        f.heading(c.number, [t(c.title)], 2, `${pid}-c${c.number}`);
        if (c.amends) f.paragraph([t(c.amends, { bold: true })], x, W, { style: makeStyle('bold', META.size, 'muted'), lineHeight: META.lineHeight, after: 6 });
        f.blocks(c.blocks, x, W, 0, false);
        const meta = [c.requirementId ?? '', c.basis.length ? `${L.basis}: ${c.basis.join('; ')}` : ''].filter(Boolean).join(' · ');
        if (meta) f.paragraph([t(meta)], x, W, { style: makeStyle('italic', META.size, 'muted'), lineHeight: META.lineHeight, after: 8 });
      }
    }
    // The part's requirements table, which the supplier fills in.
    const r = part.requirements;
    if (r) {
      f.heading(r.number, [t(r.title)], 1, `${pid}-requirements`);
      if (r.intro) f.paragraph([t(r.intro)], x, W);
      f.table(
        [[t(rc.id)], [t(rc.text)], [t(rc.level)], [t(rc.answer)]],
        r.rows.map((row) => [[t(row.id, { bold: true })], [t(`${row.text} (${row.clauseNumber})`)], [t(row.levelText)], []]),
        ['left', 'left', 'left', 'left'],
        x,
        W,
        requirementColumns(model, r.rows, m, W),
      );
    }
  });

  // Provenance annex
  const p = model.provenance;
  const pf = L.provenanceFields;
  const pc = L.provenanceColumns;
  f.partHeading([t(p.title)], 'provenance');
  if (p.intro) f.paragraph([t(p.intro)], x, W);
  const sha = (d: string): Inline[] => [t(' (SHA-256 '), t(d, { code: true }), t(')')];
  const items: Block[][] = [
    [{ type: 'paragraph', content: [t(`${pf.tool}: ${p.tool.name} ${p.tool.version}`)] }],
    [{ type: 'paragraph', content: [t(`${pf.answers}: ${p.answers.file}`), ...sha(p.answers.digest)] }],
    [{ type: 'paragraph', content: [t(`${pf.libraries}: `), ...p.libraries.flatMap((l, i) => [...(i ? [t('; ')] : []), t(`${l.name} ${l.version}`), ...sha(l.digest)])] }],
    [{ type: 'paragraph', content: p.policy ? [t(`${pf.policy}: ${p.policy.name}`), ...sha(p.policy.digest)] : [t(`${pf.policy}: ${pf.none}`)] }],
    [{ type: 'paragraph', content: [t(`${pf.deviations}: ${p.deviations.length ? p.deviations.map((d) => `${d.rule}: ${d.message}`).join('; ') : pf.none}`)] }],
    ...(p.omissions?.length ? [[{ type: 'paragraph' as const, content: [t(`${pf.omissions}: ${p.omissions.map((o) => `${o.id} ${o.version} (${o.title}): ${o.reason}`).join('; ')}`)] }]] : []),
  ];
  f.list({ type: 'list', ordered: false, start: 1, items }, x, W, 0);
  f.table(
    [[t(pc.part)], [t(pc.number)], [t(pc.clause)], [t(pc.version)], [t(pc.library)]],
    p.clauses.map((c) => [[t(c.part)], [t(c.number)], [t(c.id)], [t(c.version)], [t(c.library)]]),
    ['left', 'left', 'left', 'left', 'left'],
    x,
    W,
    [0.24, 0.1, 0.38, 0.1, 0.18],
  );
  return f.items;
}

// ---------------------------------------------------------------------------------------------
// Pagination

const r2 = (v: number) => Math.round(v * 100) / 100;

class Paginator {
  readonly pages: PdfPage[] = [];
  readonly anchors: Record<string, PdfAnchor> = {};
  readonly tocSlots: Array<{ page: number; y: number; x: number; width: number; anchor: string; size: number }> = [];
  y = TOP;
  /** True while nothing has been placed on the current page. */
  fresh = true;

  constructor(private readonly m: FontMetrics) {
    this.newPage();
  }

  get page(): PdfPage {
    return this.pages[this.pages.length - 1]!;
  }
  newPage(): void {
    this.pages.push({ lines: [], rects: [], links: [] });
    this.y = TOP;
    this.fresh = true;
  }
  remaining(): number {
    return this.y - PAGE.bottom;
  }
  /** Baseline of a line of `size` centred in a line box of `lineHeight` whose top is `top`. */
  baseline(top: number, size: number, lineHeight: number): number {
    const { ascent, descent } = this.m;
    return top - (lineHeight - (ascent - descent) * size) / 2 - ascent * size;
  }
  drawLine(line: LineBox, x: number, top: number, size: number, lineHeight: number): void {
    const base = this.baseline(top, size, lineHeight);
    for (const s of line.segs) this.drawSeg(s, x, base);
  }
  drawSeg(s: Seg, x: number, base: number): void {
    let text = s.text;
    if (text.charCodeAt(text.length - 1) === 0x20) text = text.replace(/ +$/, '');
    if (!text) return;
    this.page.lines.push({ x: r2(x + s.dx), y: r2(base), font: s.style.face, size: s.style.size, text, colour: s.style.colour });
    if (s.style.href) {
      const { ascent, descent } = this.m;
      this.page.links.push({ x: r2(x + s.dx), y: r2(base + descent * s.style.size), w: r2(s.width), h: r2((ascent - descent) * s.style.size), href: s.style.href });
    }
  }
  /** Space before an item, dropped at the top of a page. */
  space(h: number): void {
    if (this.fresh) return;
    if (this.remaining() <= h) this.newPage();
    else this.y -= h;
  }

  placeText(item: TextItem, lead: number): void {
    if (item.pageBreakBefore && !this.fresh) this.newPage();
    if (!this.fresh && this.remaining() < item.before + lead) this.newPage();
    this.space(item.before);
    if (item.anchor) this.anchors[item.anchor] = { page: this.pages.length - 1, y: r2(this.y + Math.min(item.before, 6)) };
    const lh = item.lineHeight;
    const total = item.lines.length;
    item.lines.forEach((line, i) => {
      let fit = Math.floor((this.remaining() + 0.001) / lh);
      // Widows and orphans: never leave one line of a paragraph alone at the bottom or top of a page.
      if (i > 0 && fit < total - i && total - i - fit === 1 && fit > 1) fit -= 1;
      if (fit < 1 || (i > 0 && fit === 1 && total - i > 1)) this.newPage();
      if (i === 0 && item.marker) this.drawSeg(item.marker.seg, item.marker.x, this.baseline(this.y, item.size, lh));
      this.drawLine(line, item.x, this.y, item.size, lh);
      this.y -= lh;
      this.fresh = false;
    });
    if (item.rule) {
      this.page.rects.push({ x: PAGE.left, y: r2(this.y - 2), w: CONTENT_WIDTH, h: 0.6, kind: 'fill', colour: 'rule' });
      this.y -= 2;
    }
    if (this.remaining() > item.after) this.y -= item.after;
    else this.y = PAGE.bottom;
  }

  drawRow(table: TableItem, row: Row, from: number, count: number): void {
    const h = count * TABLE.lineHeight + 2 * TABLE.padY;
    const top = this.y;
    const bottom = top - h;
    const page = this.page;
    const left = table.cols[0]!.x;
    const right = table.cols[table.cols.length - 1]!.x + table.cols[table.cols.length - 1]!.w;
    if (row.fill) page.rects.push({ x: r2(left), y: r2(bottom), w: r2(right - left), h: r2(h), kind: 'fill', colour: row.fill });
    if (table.grid === 'full') {
      for (const c of table.cols) page.rects.push({ x: r2(c.x), y: r2(bottom), w: r2(c.w), h: r2(h), kind: 'stroke', colour: 'border', lineWidth: 0.5 });
    } else {
      page.rects.push({ x: r2(left), y: r2(bottom), w: r2(right - left), h: 0.4, kind: 'fill', colour: 'rule' });
    }
    row.cells.forEach((cell, ci) => {
      const col = table.cols[ci]!;
      cell.lines.slice(from, from + count).forEach((line, li) => {
        const inner = col.w - 2 * TABLE.padX;
        const off = col.align === 'right' ? inner - line.width : col.align === 'center' ? (inner - line.width) / 2 : 0;
        this.drawLine(line, col.x + TABLE.padX + off, top - TABLE.padY - li * TABLE.lineHeight, TABLE.size, TABLE.lineHeight);
      });
    });
    this.y = bottom;
    this.fresh = false;
  }

  placeTable(table: TableItem): void {
    const headH = table.header ? rowHeight(table.header) : 0;
    const firstH = table.rows[0] ? rowHeight(table.rows[0]) : 0;
    if (!this.fresh && this.remaining() < table.before + headH + Math.min(firstH, 4 * TABLE.lineHeight)) this.newPage();
    this.space(table.before);
    // The header is repeated on every page of the table unless it would leave a page less than
    // two lines of a row: then it is placed once, as the first row (split over pages if it is
    // taller than one), so that every page makes progress.
    const repeat = table.header !== null && TOP - PAGE.bottom - headH >= 2 * TABLE.lineHeight + 2 * TABLE.padY;
    const header = () => {
      if (repeat) this.drawRow(table, table.header!, 0, Math.max(1, ...table.header!.cells.map((c) => c.lines.length)));
    };
    header();
    const pageCapacity = TOP - PAGE.bottom - (repeat ? headH : 0);
    for (const row of repeat || !table.header ? table.rows : [table.header, ...table.rows]) {
      const lines = Math.max(1, ...row.cells.map((c) => c.lines.length));
      let from = 0;
      while (from < lines) {
        const fit = Math.floor((this.remaining() - 2 * TABLE.padY + 0.001) / TABLE.lineHeight);
        const left = lines - from;
        if (fit >= left) {
          this.drawRow(table, row, from, left);
          break;
        }
        // A row that fits on a fresh page moves there whole; only a row taller than a page splits.
        const wholeFitsFresh = left * TABLE.lineHeight + 2 * TABLE.padY <= pageCapacity;
        if (fit >= 2 && !wholeFitsFresh) {
          this.drawRow(table, row, from, fit);
          from += fit;
        }
        this.newPage();
        header();
      }
    }
    if (this.remaining() > table.after) this.y -= table.after;
    else this.y = PAGE.bottom;
  }

  placeToc(toc: TocItem): void {
    const size = BODY.size;
    const lh = BODY.lineHeight + 2;
    const style = makeStyle('regular', size, 'text');
    const bold = makeStyle('bold', size, 'text');
    const numIndent = 26;
    for (const e of toc.entries) {
      if (this.remaining() < lh) this.newPage();
      // A part's entry has no number: bold, flush left, a little space above.
      const part = e.number === '';
      const st = part ? bold : style;
      const indent = part ? 0 : numIndent;
      if (part && !this.fresh) this.y -= 4;
      const lines = shift(wrapRuns([{ type: 'text', text: e.title }], st, CONTENT_WIDTH - indent - 40, this.m), indent);
      if (!part) lines[0]!.segs.unshift({ dx: 0, text: e.number, style, width: this.m.widthOf('regular', e.number, size) });
      const top = this.y;
      lines.forEach((l, i) => this.drawLine(l, PAGE.left, top - i * lh, size, lh));
      const lastWidth = lines[lines.length - 1]!.width;
      this.tocSlots.push({ page: this.pages.length - 1, y: this.baseline(top - (lines.length - 1) * lh, size, lh), x: PAGE.left + lastWidth, width: CONTENT_WIDTH - lastWidth, anchor: e.anchor, size });
      this.page.links.push({ x: PAGE.left, y: r2(top - lines.length * lh), w: CONTENT_WIDTH, h: r2(lines.length * lh), dest: e.anchor });
      this.y -= lines.length * lh;
      this.fresh = false;
    }
    this.y -= toc.after;
  }
}

/** Height needed below the current position for `items[i]` and whatever it must stay with. */
function leadHeight(items: readonly Item[], i: number): number {
  const item = items[i];
  if (!item) return 0;
  if (item.kind === 'table') {
    const head = item.header ? rowHeight(item.header) : 0;
    return item.before + head + (item.rows[0] ? Math.min(rowHeight(item.rows[0]), 4 * TABLE.lineHeight) : 0);
  }
  if (item.kind === 'toc') return 3 * (BODY.lineHeight + 2);
  if (item.keepWithNext) return item.before + item.lines.length * item.lineHeight + (item.rule ? 2 : 0) + item.after + leadHeight(items, i + 1);
  return item.before + Math.min(item.lines.length, 2) * item.lineHeight;
}

/**
 * Lays out the whole appendix: title block and contents, numbered sections and clauses (numbers
 * exactly as in the model), requirements table (header repeated on every page), provenance annex,
 * running header and "Side X av Y" footer. Pure: same model and metrics → same layout.
 */
export function layoutPdf(model: DocumentModel, metrics: FontMetrics): PdfLayout {
  const items = buildFlow(model, metrics);
  const pg = new Paginator(metrics);
  items.forEach((item, i) => {
    if (item.kind === 'text') pg.placeText(item, item.keepWithNext ? leadHeight(items, i) - item.before : Math.min(item.lines.length, 2) * item.lineHeight);
    else if (item.kind === 'table') pg.placeTable(item);
    else pg.placeToc(item);
  });

  // Contents page numbers with dot leaders, now that every anchor has a page.
  for (const slot of pg.tocSlots) {
    const target = pg.anchors[slot.anchor];
    if (!target) continue;
    const num = String(target.page + 1);
    const numWidth = metrics.widthOf('regular', num, slot.size);
    const page = pg.pages[slot.page]!;
    const dot = metrics.widthOf('regular', ' .', slot.size);
    const dots = Math.max(0, Math.floor((slot.width - numWidth - 12) / dot));
    if (dots > 0) {
      const leader = ' .'.repeat(dots);
      const lw = metrics.widthOf('regular', leader, slot.size);
      page.lines.push({ x: r2(PAGE.left + CONTENT_WIDTH - numWidth - 6 - lw), y: r2(slot.y), font: 'regular', size: slot.size, text: leader, colour: 'muted' });
    }
    page.lines.push({ x: r2(PAGE.left + CONTENT_WIDTH - numWidth), y: r2(slot.y), font: 'regular', size: slot.size, text: num, colour: 'text' });
  }

  // Running header and footer.
  const total = pg.pages.length;
  const hs = 8;
  pg.pages.forEach((page, i) => {
    const headerY = PAGE.height - 42;
    page.lines.push({ x: PAGE.left, y: headerY, font: 'regular', size: hs, text: model.header, colour: 'muted' });
    const right = model.title.heading;
    page.lines.push({ x: r2(PAGE.left + CONTENT_WIDTH - metrics.widthOf('regular', right, hs)), y: headerY, font: 'regular', size: hs, text: right, colour: 'muted' });
    page.rects.push({ x: PAGE.left, y: headerY - 6, w: CONTENT_WIDTH, h: 0.5, kind: 'fill', colour: 'rule' });
    const footer = `${model.labels.page} ${i + 1} ${model.labels.of} ${total}`;
    page.lines.push({ x: r2(PAGE.left + CONTENT_WIDTH - metrics.widthOf('regular', footer, hs)), y: 38, font: 'regular', size: hs, text: footer, colour: 'muted' });
  });

  const outline: PdfOutlineItem[] = [
    ...model.parts.map((part, pi) => ({
      title: part.title,
      anchor: `p${pi + 1}`,
      children: [
        ...part.sections.map((s) => ({
          title: `${s.number} ${s.title}`,
          anchor: `p${pi + 1}-s${s.number}`,
          children: s.clauses.map((c) => ({ title: `${c.number} ${c.title}`, anchor: `p${pi + 1}-c${c.number}`, children: [] })),
        })),
        ...(part.requirements ? [{ title: `${part.requirements.number} ${part.requirements.title}`, anchor: `p${pi + 1}-requirements`, children: [] }] : []),
      ],
    })),
    { title: model.provenance.title, anchor: 'provenance', children: [] },
  ];
  return { width: PAGE.width, height: PAGE.height, pages: pg.pages, anchors: pg.anchors, outline };
}
