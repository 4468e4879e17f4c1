import type { TocEntry } from './blocks.js';
import { TEXT_WIDTH } from './styles.js';
import { TAB_RUN, esc, paragraph, run } from './xml.js';

/** Approximate widths in twips of digits and full stops in Aptos 12 pt, which Word measures the number's tab stop in. */
const DIGIT = 133;
const STOP = 60;

/**
 * The left tab stop after a heading's number in its entry, as Word places it, in twips: past the number, as wide as
 * Word measures it, by 240 twips, and 240 more for each level below the first, at the next multiple of 240 up to
 * 1920, and where it falls past that. Word goes by its Normal template's 12 points here, not the document's font.
 */
export function numberTabStop(level: number, number: string): number {
  const stops = number.split('.').length - 1;
  const width = (number.length - stops) * DIGIT + stops * STOP;
  const end = 240 * (level - 1) + width + 240;
  return end <= 1920 ? Math.ceil(end / 240) * 240 : Math.round(end);
}

const field = (instruction: string, end: boolean) =>
  `<w:fldChar w:fldCharType="begin"/><w:instrText xml:space="preserve">${esc(instruction)}</w:instrText><w:fldChar w:fldCharType="separate"/>${end ? '<w:fldChar w:fldCharType="end"/>' : ''}`;

/**
 * The table of contents: a TOC field over Heading 1–3 whose result is already filled in, entry by entry, as Word
 * writes it — each heading's number (the model's, checked against Word's counting) and a tab before its text, a
 * hyperlink to the heading's bookmark, and a PAGEREF field for the page. Page numbers are left for Word to fill in
 * when it updates the fields on opening the document.
 */
export function tableOfContents(alias: string, entries: readonly TocEntry[]): string {
  const items = entries.map((e, i) => {
    const tabs = `<w:tabs>${e.number ? `<w:tab w:val="left" w:pos="${numberTabStop(e.level, e.number)}"/>` : ''}<w:tab w:val="right" w:pos="${TEXT_WIDTH}" w:leader="dot"/></w:tabs>`;
    const content =
      (e.number ? run(e.number) + TAB_RUN : '') +
      run(e.title.replace(/\t/g, ' ').replace(/\n/g, ' ')) +
      TAB_RUN +
      `<w:r>${field(`PAGEREF ${e.bookmark} \\h`, true)}</w:r>`;
    return paragraph({ style: `TOC${e.level}`, tabs }, (i === 0 ? `<w:r>${field('TOC \\h \\o "1-3"', false)}</w:r>` : '') + `<w:hyperlink w:history="1" w:anchor="${e.bookmark}">${content}</w:hyperlink>`);
  });
  // A document without headings still gets a well-formed field, for Word to fill in.
  if (!items.length) items.push(`<w:p><w:r>${field('TOC \\h \\o "1-3"', false)}</w:r></w:p>`);
  const end = '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>';
  return `<w:sdt><w:sdtPr><w:alias w:val="${esc(alias)}"/><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>${items.join('')}${end}</w:sdtContent></w:sdt>`;
}
