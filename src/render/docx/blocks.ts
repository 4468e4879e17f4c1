import {
  AlignmentType,
  ExternalHyperlink,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type INumberingOptions,
  type ParagraphChild,
} from 'docx';
import type { Block, Inline, TableBlock } from '../../assemble/model.js';
import { BULLET_NUMBERING, CELL_BORDER, TEXT_WIDTH, listIndent, orderedLevels } from './styles.js';

type NumberingConfig = INumberingOptions['config'][number];

/**
 * What converting blocks collects besides the blocks: one numbering definition per ordered list, so that each
 * ordered list counts from its own start. Ids are sequential, so the same model gives the same document.
 */
export class BlockContext {
  readonly orderedLists: NumberingConfig[] = [];

  addOrderedList(depth: number, start: number): string {
    const reference = `dk-ordered-${this.orderedLists.length + 1}`;
    this.orderedLists.push({ reference, levels: orderedLevels(depth, start) });
    return reference;
  }
}

export type RunFormat = { bold?: boolean; italics?: boolean };

/** Text as runs, with a line break for each newline (Word ignores a newline inside w:t). */
function textRuns(text: string, options: { bold?: boolean; italics?: boolean; style?: string }): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ ...options, text: line, ...(i > 0 ? { break: 1 } : {}) }));
}

/** Converts inline runs: bold, italic, code (a monospace character style), links (real hyperlinks) and breaks. */
export function inlines(runs: readonly Inline[], format: RunFormat = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const r of runs) {
    if (r.type === 'break') {
      out.push(new TextRun({ break: 1 }));
      continue;
    }
    const opts = {
      ...(r.bold || format.bold ? { bold: true } : {}),
      ...(r.italic || format.italics ? { italics: true } : {}),
    };
    if (r.type === 'link') {
      out.push(new ExternalHyperlink({ link: r.href, children: textRuns(r.text, { ...opts, style: 'Hyperlink' }) }));
    } else {
      out.push(...textRuns(r.text, r.code ? { ...opts, style: 'InlineCode' } : opts));
    }
  }
  return out;
}

/** Plain text of runs, for places that take only a string. */
export function plainText(runs: readonly Inline[]): string {
  return runs.map((r) => (r.type === 'break' ? ' ' : r.text)).join('');
}

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

export interface TableSpec {
  /** Column widths in twips; they sum to the width the table may use. */
  widths: readonly number[];
  header: ParagraphChild[][];
  rows: ParagraphChild[][][];
  align?: ReadonlyArray<'left' | 'center' | 'right' | null>;
  indent?: number;
}

const BORDERS = { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER, insideHorizontal: CELL_BORDER, insideVertical: CELL_BORDER };

/**
 * A bordered table with fixed layout: the widths are written both in the grid and on every cell, so Word and
 * LibreOffice lay it out alike. The header row repeats on every page.
 */
export function table(spec: TableSpec): Table {
  const cell = (children: ParagraphChild[], i: number, head: boolean) =>
    new TableCell({
      width: { size: spec.widths[i] ?? 0, type: WidthType.DXA },
      ...(head ? { shading: { fill: 'E7E9EE', color: 'auto', type: 'clear' as const } } : {}),
      children: [
        new Paragraph({
          style: head ? 'TableHeading' : 'TableText',
          ...(spec.align?.[i] ? { alignment: ALIGN[spec.align[i]!] } : {}),
          children,
        }),
      ],
    });
  const width = spec.widths.reduce((a, b) => a + b, 0);
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: width, type: WidthType.DXA },
    columnWidths: [...spec.widths],
    borders: BORDERS,
    margins: { top: 20, bottom: 20, left: 85, right: 85 },
    ...(spec.indent ? { indent: { size: spec.indent, type: WidthType.DXA } } : {}),
    rows: [
      ...(spec.header.length ? [new TableRow({ tableHeader: true, cantSplit: true, children: spec.header.map((c, i) => cell(c, i, true)) })] : []),
      ...spec.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, i, false)) })),
    ],
  });
}

/** Equal columns over the available width; the last column takes the rounding remainder. */
function equalWidths(columns: number, available: number): number[] {
  const each = Math.floor(available / columns);
  return Array.from({ length: columns }, (_, i) => (i === columns - 1 ? available - each * (columns - 1) : each));
}

function tableBlock(b: TableBlock, indent: number): Table {
  const columns = Math.max(b.header.length, ...b.rows.map((r) => r.length), 1);
  const pad = (cells: Inline[][]) => Array.from({ length: columns }, (_, i) => inlines(cells[i] ?? []));
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
export function blocks(items: readonly Block[], ctx: BlockContext, depth = -1): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [];
  const indentLeft = depth >= 0 ? listIndent(depth).left : 0;
  for (const b of items) {
    switch (b.type) {
      case 'paragraph':
        out.push(
          new Paragraph({
            ...(depth >= 0 ? { style: 'ListParagraph', indent: { left: indentLeft } } : {}),
            children: inlines(b.content),
          }),
        );
        break;
      case 'heading':
        // Word numbers Heading 4 (1.1.1) through the style, so the model's number is not typed in.
        out.push(new Paragraph({ style: 'Heading4', children: inlines(b.content) }));
        break;
      case 'list':
        out.push(...list(b, ctx, depth + 1));
        break;
      case 'table':
        // Word puts no space after a table; an empty paragraph keeps the next block off its bottom border.
        out.push(tableBlock(b, indentLeft), new Paragraph({ spacing: { before: 0, after: 0 }, children: [] }));
        break;
    }
  }
  return out;
}

function list(b: Extract<Block, { type: 'list' }>, ctx: BlockContext, level: number): Array<Paragraph | Table> {
  const lvl = Math.min(level, 8);
  const reference = b.ordered ? ctx.addOrderedList(lvl, b.start) : BULLET_NUMBERING;
  const out: Array<Paragraph | Table> = [];
  for (const item of b.items) {
    const [first, ...rest] = item;
    if (first?.type === 'paragraph') {
      out.push(new Paragraph({ style: 'ListParagraph', numbering: { reference, level: lvl }, children: inlines(first.content) }));
      out.push(...blocks(rest, ctx, lvl));
    } else {
      // An item that starts with a nested list, table or heading still gets its number, on an empty paragraph.
      out.push(new Paragraph({ style: 'ListParagraph', numbering: { reference, level: lvl }, children: [] }));
      out.push(...blocks(item, ctx, lvl));
    }
  }
  return out;
}
