import { WORD_NAMESPACES, XML_DECLARATION_STANDALONE, esc, spacing } from './xml.js';

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

const FONT = 'Arial';
const MONO = 'Courier New';
const ACCENT = '1F3864';
const MUTED = '595959';

/** Indent of a list level: each level moves one centimetre in, the number hangs 0.7 cm. */
export function listIndent(level: number): { left: number; hanging: number } {
  return { left: 567 * (level + 1), hanging: 397 };
}

/** One level of a list definition (w:lvl). */
export interface ListLevel {
  level: number;
  format: 'none' | 'decimal' | 'bullet';
  /** The level's number text, `%2.%3`; empty for none. */
  text: string;
  start: number;
  suffix: 'nothing' | 'tab';
  /** Heading levels: the paragraph style the level is bound to, and legal numbering (1.1, not 1.a). */
  style?: string;
  legal?: boolean;
  indent: { left: number; hanging: number };
  font?: string;
}

const HEADING_STYLES = ['Heading1', 'Heading2', 'Heading3', 'Heading4'] as const;

/**
 * The clause numbering: level n is bound to Heading n+1 (w:pStyle in the level, w:numPr in the style), so Word
 * numbers the headings itself and a clause inserted by hand renumbers everything after it. Heading 1 is the
 * heading of a part of the appendix: its level shows no number, but as the list's top level it makes Word restart
 * the numbers below it, so every part is numbered 1, 1.1, 1.1.1 from the start.
 */
export function headingLevels(): ListLevel[] {
  return HEADING_STYLES.map((style, level) => ({
    level,
    format: level === 0 ? 'none' : 'decimal',
    text: level === 0 ? '' : Array.from({ length: level }, (_, i) => `%${i + 2}`).join('.'),
    start: 1,
    suffix: level === 0 ? 'nothing' : 'tab',
    style,
    legal: true,
    indent: level === 0 ? { left: 0, hanging: 0 } : { left: 851, hanging: 851 },
  }));
}

const BULLETS = ['\u2022', '\u2013', '\u25aa'] as const;

export function bulletLevels(): ListLevel[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: 'bullet',
    text: BULLETS[level % BULLETS.length]!,
    start: 1,
    suffix: 'tab',
    indent: listIndent(level),
    font: FONT,
  }));
}

/**
 * Levels of one ordered list. Every ordered list gets its own definition, so that it restarts at its own `start`
 * (Markdown's `3.` starts at 3) wherever it is, and a nested ordered list at `depth` counts from its own start too.
 */
export function orderedLevels(depth: number, start: number): ListLevel[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: 'decimal',
    text: `%${level + 1}.`,
    start: level === depth ? start : 1,
    suffix: 'tab',
    indent: listIndent(level),
  }));
}

const fonts = (font: string) => `<w:rFonts w:ascii="${font}" w:cs="${font}" w:eastAsia="${font}" w:hAnsi="${font}"/>`;

function levelXml(l: ListLevel): string {
  return (
    `<w:lvl w:ilvl="${l.level}" w:tentative="1"><w:start w:val="${l.start}"/><w:numFmt w:val="${l.format}"/>` +
    (l.style ? `<w:pStyle w:val="${l.style}"/>` : '') +
    (l.legal ? '<w:isLgl/>' : '') +
    `<w:suff w:val="${l.suffix}"/>` +
    (l.text ? `<w:lvlText w:val="${esc(l.text)}"/>` : '') +
    `<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="${l.indent.left}" w:hanging="${l.indent.hanging}"/></w:pPr>` +
    (l.font ? `<w:rPr>${fonts(l.font)}</w:rPr>` : '') +
    '</w:lvl>'
  );
}

/**
 * The numbering part. Definitions (w:abstractNum): 1 is the plain bullet list Word falls back on, 2 the headings,
 * 3 the document's bullets, then one per ordered list. Instances (w:num): 1 for the fallback, then one per list in
 * the order the body first uses it, the headings' last (they are used by the styles).
 */
export class Numbering {
  private readonly definitions: ListLevel[][] = [headingLevels(), bulletLevels()];
  private readonly instances: number[] = [];

  /** A new ordered list's definition; returns its definition index for `use`. */
  addOrdered(depth: number, start: number): number {
    this.definitions.push(orderedLevels(depth, start));
    return this.definitions.length - 1;
  }

  /** The w:numId of a definition (0 headings, 1 bullets, 2… ordered lists), numbered on first use. */
  use(definition: number): number {
    let i = this.instances.indexOf(definition);
    if (i < 0) i = this.instances.push(definition) - 1;
    return i + 2;
  }

  static readonly HEADINGS = 0;
  static readonly BULLETS = 1;

  xml(): string {
    const abstract = this.definitions
      .map((levels, i) => `<w:abstractNum w:abstractNumId="${i + 2}" w15:restartNumberingAfterBreak="0"><w:multiLevelType w:val="hybridMultilevel"/>${levels.map(levelXml).join('')}</w:abstractNum>`)
      .join('');
    const num = (numId: number, abstractId: number, levels: readonly ListLevel[]) =>
      `<w:num w:numId="${numId}"><w:abstractNumId w:val="${abstractId}"/>${levels.map((l) => `<w:lvlOverride w:ilvl="${l.level}"><w:startOverride w:val="${l.start}"/></w:lvlOverride>`).join('')}</w:num>`;
    const nums = this.instances.map((d, i) => num(i + 2, d + 2, this.definitions[d]!)).join('');
    return numberingXml(abstract, nums);
  }
}

/** The numbering part: the fallback bullet list (definition and instance 1), then the given definitions and instances. */
export function numberingXml(abstract = '', nums = ''): string {
  return `${XML_DECLARATION_STANDALONE}<w:numbering mc:Ignorable="w14 w15 wp14" ${WORD_NAMESPACES}>${BASE_BULLETS}${abstract}<w:num w:numId="1"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>${nums}</w:numbering>`;
}

interface StyleDef {
  type?: 'paragraph' | 'character';
  id: string;
  name: string;
  basedOn?: string;
  next?: string;
  /** Character styles: shown in Word's gallery when used. */
  ui?: boolean;
  quickFormat?: boolean;
  pPr?: string;
  rPr?: string;
}

function styleXml(s: StyleDef): string {
  const type = s.type ?? 'paragraph';
  return (
    `<w:style w:type="${type}" w:styleId="${s.id}"${s.id === 'Normal' ? ' w:default="1"' : ''}><w:name w:val="${s.name}"/>` +
    (s.basedOn ? `<w:basedOn w:val="${s.basedOn}"/>` : '') +
    (s.next ? `<w:next w:val="${s.next}"/>` : '') +
    (s.ui ? '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>' : '') +
    (s.quickFormat ? '<w:qFormat/>' : '') +
    (s.pPr ? `<w:pPr>${s.pPr}</w:pPr>` : '') +
    (s.rPr ? `<w:rPr>${s.rPr}</w:rPr>` : '') +
    '</w:style>'
  );
}

interface RunStyle {
  font?: string;
  bold?: boolean;
  italics?: boolean;
  color?: string;
  size?: number;
  underline?: boolean;
  lang?: string;
}

function runStyle(r: RunStyle): string {
  const onOff = (tag: string, v: boolean | undefined) => (v === undefined ? '' : v ? `<w:${tag}/><w:${tag}Cs/>` : `<w:${tag} w:val="false"/><w:${tag}Cs w:val="false"/>`);
  return (
    (r.font ? fonts(r.font) : '') +
    onOff('b', r.bold) +
    onOff('i', r.italics) +
    (r.color ? `<w:color w:val="${r.color}"/>` : '') +
    (r.size ? `<w:sz w:val="${r.size}"/><w:szCs w:val="${r.size}"/>` : '') +
    (r.underline ? '<w:u w:val="single"/>' : '') +
    (r.lang ? `<w:lang w:val="${esc(r.lang)}" w:eastAsia="${esc(r.lang)}" w:bidi="${esc(r.lang)}"/>` : '')
  );
}

/** The document's paragraph and character styles, defined once; every paragraph refers to them by id. */
export function stylesXml(langTag: string, headingNumId: number): string {
  const base = runStyle({ font: FONT, size: 21, lang: langTag });
  const normalSpacing = spacing({ after: 120, line: 276, lineRule: 'auto' });
  const keep = '<w:keepNext/>';
  const styles: StyleDef[] = [
    { id: 'Normal', name: 'Normal', quickFormat: true, pPr: normalSpacing, rPr: base },
    { id: 'Title', name: 'Title', basedOn: 'Normal', next: 'Normal', quickFormat: true, pPr: keep + spacing({ after: 240, before: 0 }), rPr: runStyle({ bold: true, color: ACCENT, size: 48 }) },
    { id: 'AppendixLabel', name: 'Appendix Label', basedOn: 'Normal', next: 'Title', quickFormat: true, pPr: keep + spacing({ after: 60, before: 0 }), rPr: runStyle({ color: MUTED, size: 24 }) },
    ...HEADING_STYLES.map((id, level) => ({
      id,
      name: `Heading ${level + 1}`,
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      pPr:
        `<w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val="${level}"/><w:numId w:val="${headingNumId}"/></w:numPr>` +
        (level === 0 ? `<w:pBdr><w:bottom w:val="single" w:color="${ACCENT}" w:sz="8" w:space="4"/></w:pBdr>` : '') +
        spacing({ after: [160, 120, 80, 60][level]!, before: [0, 360, 240, 180][level]! }) +
        `<w:outlineLvl w:val="${level}"/>`,
      rPr: runStyle({ bold: true, italics: level === 3, color: ACCENT, size: [32, 28, 24, 21][level]! }),
    })),
    { id: 'Amends', name: 'Amended Point', basedOn: 'Normal', next: 'Normal', quickFormat: true, pPr: keep + spacing({ after: 120, before: 0 }), rPr: runStyle({ bold: true, color: MUTED, size: 19 }) },
    { id: 'TOCHeading', name: 'TOC Heading', basedOn: 'Normal', next: 'Normal', quickFormat: true, pPr: keep + spacing({ after: 120, before: 480 }), rPr: runStyle({ bold: true, color: ACCENT, size: 28 }) },
    { id: 'TOC1', name: 'toc 1', basedOn: 'Normal', next: 'Normal', pPr: spacing({ after: 0, before: 60 }) + '<w:ind w:left="0"/>', rPr: runStyle({ bold: true }) },
    { id: 'TOC2', name: 'toc 2', basedOn: 'Normal', next: 'Normal', pPr: spacing({ after: 0 }) + '<w:ind w:left="284"/>' },
    { id: 'TOC3', name: 'toc 3', basedOn: 'Normal', next: 'Normal', pPr: spacing({ after: 0 }) + '<w:ind w:left="567"/>' },
    { id: 'ListParagraph', name: 'List Paragraph', basedOn: 'Normal', quickFormat: true, pPr: spacing({ after: 60 }) + '<w:contextualSpacing w:val="false"/>' },
    { id: 'ClauseNote', name: 'Clause Note', basedOn: 'Normal', next: 'Normal', quickFormat: true, pPr: spacing({ after: 160, before: 0 }), rPr: runStyle({ italics: true, color: MUTED, size: 17 }) },
    { id: 'TableText', name: 'Table Text', basedOn: 'Normal', quickFormat: true, pPr: spacing({ after: 40, before: 40, line: 240, lineRule: 'auto' }), rPr: runStyle({ size: 18 }) },
    { id: 'TableHeading', name: 'Table Heading', basedOn: 'TableText', quickFormat: true, pPr: keep, rPr: runStyle({ bold: true }) },
    { id: 'Header', name: 'header', basedOn: 'Normal', pPr: spacing({ after: 0 }) + '<w:jc w:val="right"/>', rPr: runStyle({ color: MUTED, size: 16 }) },
    { id: 'Footer', name: 'footer', basedOn: 'Normal', pPr: spacing({ after: 0 }) + '<w:jc w:val="center"/>', rPr: runStyle({ color: MUTED, size: 16 }) },
    { type: 'character', id: 'InlineCode', name: 'Inline Code', basedOn: 'DefaultParagraphFont', ui: true, rPr: runStyle({ font: MONO, size: 18 }) },
    { type: 'character', id: 'Hyperlink', name: 'Hyperlink', basedOn: 'DefaultParagraphFont', ui: true, rPr: runStyle({ color: '0563C1', underline: true }) },
  ];
  return (
    `${XML_DECLARATION_STANDALONE}<w:styles mc:Ignorable="w14 w15" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">` +
    `<w:docDefaults><w:rPrDefault><w:rPr>${base}</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>${normalSpacing}</w:pPr></w:pPrDefault></w:docDefaults>` +
    BASE_STYLES +
    styles.map(styleXml).join('') +
    '</w:styles>'
  );
}

/**
 * Styles Word's own documents carry and the package's notes refer to (footnote and endnote references, the table
 * default, toc 4–9, headings 5–6), written before the document's own.
 */
const BASE_STYLES = [
  '<w:style w:type="table" w:styleId="TableNormal" w:default="true"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:type="dxa" w:w="0"/><w:tblCellMar><w:top w:type="dxa" w:w="0"/><w:left w:type="dxa" w:w="108"/><w:bottom w:type="dxa" w:w="0"/><w:right w:type="dxa" w:w="108"/></w:tblCellMar></w:tblPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="Heading5"><w:name w:val="Heading 5"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="2E74B5"/></w:rPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="Heading6"><w:name w:val="Heading 6"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="1F4D78"/></w:rPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="Strong"><w:name w:val="Strong"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="35"/><w:semiHidden/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:spacing w:after="200"/></w:pPr><w:rPr><w:i/><w:iCs/><w:color w:val="44546A" w:themeColor="dark2"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="Bibliography"><w:name w:val="Bibliography"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="37"/><w:unhideWhenUsed/></w:style>',
  '<w:style w:type="paragraph" w:styleId="TOC4"><w:name w:val="toc 4"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/><w:ind w:left="630"/></w:pPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="TOC5"><w:name w:val="toc 5"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/><w:ind w:left="840"/></w:pPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="TOC6"><w:name w:val="toc 6"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/><w:ind w:left="1050"/></w:pPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="TOC7"><w:name w:val="toc 7"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/><w:ind w:left="1260"/></w:pPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="TOC8"><w:name w:val="toc 8"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/><w:ind w:left="1470"/></w:pPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="TOC9"><w:name w:val="toc 9"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/><w:ind w:left="1680"/></w:pPr></w:style>',
  '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:link w:val="FootnoteTextChar"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
  '<w:style w:type="character" w:styleId="FootnoteTextChar"><w:name w:val="Footnote Text Char"/><w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="FootnoteText"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
  '<w:style w:type="character" w:styleId="EndnoteReference"><w:name w:val="endnote reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
  '<w:style w:type="paragraph" w:styleId="EndnoteText"><w:name w:val="endnote text"/><w:basedOn w:val="Normal"/><w:link w:val="EndnoteTextChar"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
  '<w:style w:type="character" w:styleId="EndnoteTextChar"><w:name w:val="Endnote Text Char"/><w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="EndnoteText"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
  '<w:style w:type="character" w:styleId="LineNumber"><w:name w:val="line number"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
].join('');

/** The plain bullet list (definition 1) Word falls back on for a list without a definition of its own. */
const BASE_BULLETS = [
  '<w:abstractNum w:abstractNumId="1" w15:restartNumberingAfterBreak="0"><w:multiLevelType w:val="hybridMultilevel"/>',
  '<w:lvl w:ilvl="0" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>',
  '<w:lvl w:ilvl="1" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="○"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>',
  '<w:lvl w:ilvl="2" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="■"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="2160" w:hanging="360"/></w:pPr></w:lvl>',
  '<w:lvl w:ilvl="3" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="2880" w:hanging="360"/></w:pPr></w:lvl>',
  '<w:lvl w:ilvl="4" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="○"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="3600" w:hanging="360"/></w:pPr></w:lvl>',
  '<w:lvl w:ilvl="5" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="■"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="4320" w:hanging="360"/></w:pPr></w:lvl>',
  '<w:lvl w:ilvl="6" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="5040" w:hanging="360"/></w:pPr></w:lvl>',
  '<w:lvl w:ilvl="7" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="5760" w:hanging="360"/></w:pPr></w:lvl>',
  '<w:lvl w:ilvl="8" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="6480" w:hanging="360"/></w:pPr></w:lvl>',
  '</w:abstractNum>',
].join('');
