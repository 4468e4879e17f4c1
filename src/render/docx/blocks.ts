import type { Block, Inline, TableBlock } from '../../assemble/model.js';
import { Numbering, TEXT_WIDTH, listIndent } from './styles.js';
import { BREAK_RUN, paragraph, textRuns, type RunProps } from './xml.js';

/** A heading the table of contents lists: its level (1–3), text, bookmark and, for numbered ones, Word's number. */
export interface TocEntry {
  level: number;
  title: string;
  bookmark: string;
  number: string;
}

/**
 * What writing the body collects besides its XML: the list definitions and instances (one definition per ordered
 * list, so that each counts from its own start), the external links (relationship ids in document order) and the
 * headings the table of contents lists (bookmarks numbered in document order). The same model gives the same ids.
 */
export class BodyContext {
  readonly numbering = new Numbering();
  readonly links: string[] = [];
  readonly toc: TocEntry[] = [];

  /** The relationship id of an external link. */
  link(href: string): string {
    this.links.push(href);
    return `rIdLink${this.links.length}`;
  }

  /** A bookmark around a heading's runs, listed in the table of contents at `level`. */
  bookmark(level: number, title: string, number: string, runs: string): string {
    if (title.trim() === '') return runs;
    const id = this.toc.length + 1;
    const name = `_Toc${id}`;
    this.toc.push({ level, title, bookmark: name, number });
    return `<w:bookmarkStart w:name="${name}" w:id="${id}"/>${runs}<w:bookmarkEnd w:id="${id}"/>`;
  }
}

export type RunFormat = { bold?: boolean; italics?: boolean };

/** Converts inline runs: bold, italic, code (a monospace character style), links (real hyperlinks) and breaks. */
export function inlines(runs: readonly Inline[], ctx: BodyContext, format: RunFormat = {}): string {
  let out = '';
  for (const r of runs) {
    if (r.type === 'break') {
      out += BREAK_RUN;
      continue;
    }
    const opts: RunProps = {
      ...(r.bold || format.bold ? { bold: true } : {}),
      ...(r.italic || format.italics ? { italics: true } : {}),
    };
    if (r.type === 'link') {
      out += `<w:hyperlink w:history="1" r:id="${ctx.link(r.href)}">${textRuns(r.text, { ...opts, style: 'Hyperlink' })}</w:hyperlink>`;
    } else {
      out += textRuns(r.text, r.code ? { ...opts, style: 'InlineCode' } : opts);
    }
  }
  return out;
}

export interface TableSpec {
  /** Column widths in twips; they sum to the width the table may use. */
  widths: readonly number[];
  /** Cells as runs (XML); an empty header is no header row. */
  header: string[];
  rows: string[][];
  align?: ReadonlyArray<'left' | 'center' | 'right' | null>;
  indent?: number;
}

const BORDER = 'w:val="single" w:color="8C8C8C" w:sz="4"';
const BORDERS = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((side) => `<w:${side} ${BORDER}/>`).join('')}</w:tblBorders>`;
const CELL_MARGINS = '<w:tblCellMar><w:top w:type="dxa" w:w="20"/><w:left w:type="dxa" w:w="85"/><w:bottom w:type="dxa" w:w="20"/><w:right w:type="dxa" w:w="85"/></w:tblCellMar>';
const HEAD_SHADING = '<w:shd w:fill="E7E9EE" w:color="auto" w:val="clear"/>';

/**
 * A bordered table with fixed layout: the widths are written both in the grid and on every cell, so Word and
 * LibreOffice lay it out alike. The header row repeats on every page; no row splits across pages.
 */
export function table(spec: TableSpec): string {
  const cell = (runs: string, i: number, head: boolean) =>
    `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${spec.widths[i] ?? 0}"/>${head ? HEAD_SHADING : ''}</w:tcPr>` +
    paragraph({ style: head ? 'TableHeading' : 'TableText', ...(spec.align?.[i] ? { align: spec.align[i]! } : {}) }, runs) +
    '</w:tc>';
  const row = (cells: readonly string[], head: boolean) =>
    `<w:tr><w:trPr><w:cantSplit/>${head ? '<w:tblHeader/>' : ''}</w:trPr>${cells.map((c, i) => cell(c, i, head)).join('')}</w:tr>`;
  const width = spec.widths.reduce((a, b) => a + b, 0);
  return (
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${width}"/>` +
    (spec.indent ? `<w:tblInd w:type="dxa" w:w="${spec.indent}"/>` : '') +
    `${BORDERS}<w:tblLayout w:type="fixed"/>${CELL_MARGINS}</w:tblPr>` +
    `<w:tblGrid>${spec.widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>` +
    (spec.header.length ? row(spec.header, true) : '') +
    spec.rows.map((r) => row(r, false)).join('') +
    '</w:tbl>'
  );
}

/** Equal columns over the available width; the last column takes the rounding remainder. */
function equalWidths(columns: number, available: number): number[] {
  const each = Math.floor(available / columns);
  return Array.from({ length: columns }, (_, i) => (i === columns - 1 ? available - each * (columns - 1) : each));
}

function tableBlock(b: TableBlock, indent: number, ctx: BodyContext): string {
  const columns = Math.max(b.header.length, ...b.rows.map((r) => r.length), 1);
  const pad = (cells: Inline[][]) => Array.from({ length: columns }, (_, i) => inlines(cells[i] ?? [], ctx));
  return table({
    widths: equalWidths(columns, TEXT_WIDTH - indent),
    header: b.header.length ? pad(b.header) : [],
    rows: b.rows.map(pad),
    align: b.align,
    indent,
  });
}

/**
 * Converts clause body blocks. `depth` is the list level the blocks are inside (-1 outside any list), so that
 * nested list items and the later paragraphs of an item line up under their item's text.
 */
export function blocks(items: readonly Block[], ctx: BodyContext, depth = -1): string {
  let out = '';
  const indentLeft = depth >= 0 ? listIndent(depth).left : 0;
  for (const b of items) {
    switch (b.type) {
      case 'paragraph':
        out += paragraph(depth >= 0 ? { style: 'ListParagraph', indentLeft } : {}, inlines(b.content, ctx));
        break;
      case 'heading':
        // Word numbers Heading 4 (1.1.1) through the style, so the model's number is not typed in.
        out += paragraph({ style: 'Heading4' }, inlines(b.content, ctx));
        break;
      case 'list':
        out += list(b, ctx, depth + 1);
        break;
      case 'table':
        // Word puts no space after a table; an empty paragraph keeps the next block off its bottom border.
        out += tableBlock(b, indentLeft, ctx) + paragraph({ spacing: { after: 0, before: 0 } }, '');
        break;
    }
  }
  return out;
}

function list(b: Extract<Block, { type: 'list' }>, ctx: BodyContext, level: number): string {
  const lvl = Math.min(level, 8);
  const definition = b.ordered ? ctx.numbering.addOrdered(lvl, b.start) : Numbering.BULLETS;
  let out = '';
  for (const item of b.items) {
    const [first, ...rest] = item;
    const numbering = { numId: ctx.numbering.use(definition), level: lvl };
    if (first?.type === 'paragraph') {
      out += paragraph({ style: 'ListParagraph', numbering }, inlines(first.content, ctx));
      out += blocks(rest, ctx, lvl);
    } else {
      // An item that starts with a nested list, table or heading still gets its number, on an empty paragraph.
      out += paragraph({ style: 'ListParagraph', numbering }, '');
      out += blocks(item, ctx, lvl);
    }
  }
  return out;
}
