import { AlignmentType, BorderStyle, LevelFormat, LineRuleType, LevelSuffix, type ILevelsOptions, type IStylesOptions } from 'docx';

/** A4 in twips (1/20 pt), with the margins every page uses. */
export const PAGE = {
  width: 11906,
  height: 16838,
  marginTop: 1417,
  marginBottom: 1417,
  marginLeft: 1134,
  marginRight: 1134,
  header: 709,
  footer: 709,
} as const;

/** The width text and tables may use: A4 less the left and right margins. */
export const TEXT_WIDTH = PAGE.width - PAGE.marginLeft - PAGE.marginRight;

/** The reference of the multi-level list that numbers Heading 1–3 (1, 1.1, 1.1.1). */
export const HEADING_NUMBERING = 'dk-headings';
/** The reference of the list that every bullet list shares (bullets need no restart). */
export const BULLET_NUMBERING = 'dk-bullets';

const FONT = 'Arial';
const MONO = 'Courier New';
const ACCENT = '1F3864';
const MUTED = '595959';

/** Indent of a list level: each level moves one centimetre in, the number hangs 0.7 cm. */
export function listIndent(level: number): { left: number; hanging: number } {
  return { left: 567 * (level + 1), hanging: 397 };
}

const HEADING_STYLES = ['Heading1', 'Heading2', 'Heading3', 'Heading4'] as const;

/**
 * The clause numbering: level n is bound to Heading n+1 (w:pStyle in the level, w:numPr in the style), so Word
 * numbers the headings itself and a clause inserted by hand renumbers everything after it. Heading 1 is the
 * heading of a part of the appendix: its level shows no number, but as the list's top level it makes Word restart
 * the numbers below it, so every part is numbered 1, 1.1, 1.1.1 from the start.
 */
export function headingLevels(): ILevelsOptions[] {
  return HEADING_STYLES.map((style, level) => ({
    level,
    format: level === 0 ? LevelFormat.NONE : LevelFormat.DECIMAL,
    text: level === 0 ? '' : Array.from({ length: level }, (_, i) => `%${i + 2}`).join('.'),
    alignment: AlignmentType.LEFT,
    start: 1,
    suffix: level === 0 ? LevelSuffix.NOTHING : LevelSuffix.TAB,
    isLegalNumberingStyle: true,
    style: { style, paragraph: { indent: level === 0 ? { left: 0, hanging: 0 } : { left: 851, hanging: 851 } } },
  }));
}

const BULLETS = ['\u2022', '\u2013', '\u25aa'] as const;

export function bulletLevels(): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: LevelFormat.BULLET,
    text: BULLETS[level % BULLETS.length]!,
    alignment: AlignmentType.LEFT,
    suffix: LevelSuffix.TAB,
    style: { paragraph: { indent: listIndent(level) }, run: { font: FONT } },
  }));
}

/**
 * Levels of one ordered list. Every ordered list gets its own definition, so that it restarts at its own `start`
 * (Markdown's `3.` starts at 3) wherever it is, and a nested ordered list at `depth` counts from its own start too.
 */
export function orderedLevels(depth: number, start: number): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: LevelFormat.DECIMAL,
    text: `%${level + 1}.`,
    alignment: AlignmentType.LEFT,
    start: level === depth ? start : 1,
    suffix: LevelSuffix.TAB,
    style: { paragraph: { indent: listIndent(level) } },
  }));
}

export const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '8C8C8C' } as const;

/** The document's paragraph and character styles, defined once; every paragraph refers to them by id. */
export function documentStyles(langTag: string): IStylesOptions {
  const language = { value: langTag, eastAsia: langTag, bidirectional: langTag };
  return {
    default: {
      document: {
        run: { font: FONT, size: 21, language },
        paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } },
      },
    },
    paragraphStyles: [
      { id: 'Normal', name: 'Normal', quickFormat: true, run: { font: FONT, size: 21, language }, paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } } },
      {
        id: 'Title',
        name: 'Title',
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { size: 48, bold: true, color: ACCENT },
        paragraph: { spacing: { before: 0, after: 240 }, keepNext: true },
      },
      {
        id: 'AppendixLabel',
        name: 'Appendix Label',
        basedOn: 'Normal',
        next: 'Title',
        quickFormat: true,
        run: { size: 24, color: MUTED },
        paragraph: { spacing: { before: 0, after: 60 }, keepNext: true },
      },
      ...HEADING_STYLES.map((id, level) => ({
        id,
        name: `Heading ${level + 1}`,
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { bold: true, color: ACCENT, size: [32, 28, 24, 21][level]!, italics: level === 3 },
        paragraph: {
          keepNext: true,
          keepLines: true,
          outlineLevel: level,
          spacing: { before: [0, 360, 240, 180][level]!, after: [160, 120, 80, 60][level]! },
          numbering: { reference: HEADING_NUMBERING, level },
          ...(level === 0 ? { border: { bottom: { style: BorderStyle.SINGLE, size: 8, color: ACCENT, space: 4 } } } : {}),
        },
      })),
      {
        id: 'Amends',
        name: 'Amended Point',
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { bold: true, size: 19, color: MUTED },
        paragraph: { keepNext: true, spacing: { before: 0, after: 120 } },
      },
      {
        id: 'TOCHeading',
        name: 'TOC Heading',
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { bold: true, color: ACCENT, size: 28 },
        paragraph: { keepNext: true, spacing: { before: 480, after: 120 } },
      },
      { id: 'TOC1', name: 'toc 1', basedOn: 'Normal', next: 'Normal', run: { bold: true }, paragraph: { spacing: { before: 60, after: 0 }, indent: { left: 0 } } },
      { id: 'TOC2', name: 'toc 2', basedOn: 'Normal', next: 'Normal', paragraph: { spacing: { after: 0 }, indent: { left: 284 } } },
      { id: 'TOC3', name: 'toc 3', basedOn: 'Normal', next: 'Normal', paragraph: { spacing: { after: 0 }, indent: { left: 567 } } },
      {
        id: 'ListParagraph',
        name: 'List Paragraph',
        basedOn: 'Normal',
        quickFormat: true,
        paragraph: { spacing: { after: 60 }, contextualSpacing: false },
      },
      {
        id: 'ClauseNote',
        name: 'Clause Note',
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { size: 17, italics: true, color: MUTED },
        paragraph: { spacing: { before: 0, after: 160 } },
      },
      {
        id: 'TableText',
        name: 'Table Text',
        basedOn: 'Normal',
        quickFormat: true,
        run: { size: 18 },
        paragraph: { spacing: { before: 40, after: 40, line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        id: 'TableHeading',
        name: 'Table Heading',
        basedOn: 'TableText',
        quickFormat: true,
        run: { bold: true },
        paragraph: { keepNext: true },
      },
      { id: 'Header', name: 'header', basedOn: 'Normal', run: { size: 16, color: MUTED }, paragraph: { spacing: { after: 0 }, alignment: AlignmentType.RIGHT } },
      { id: 'Footer', name: 'footer', basedOn: 'Normal', run: { size: 16, color: MUTED }, paragraph: { spacing: { after: 0 }, alignment: AlignmentType.CENTER } },
    ],
    characterStyles: [
      { id: 'InlineCode', name: 'Inline Code', basedOn: 'DefaultParagraphFont', run: { font: MONO, size: 18 } },
      { id: 'Hyperlink', name: 'Hyperlink', basedOn: 'DefaultParagraphFont', run: { color: '0563C1', underline: {} } },
    ],
  };
}
