/**
 * The small pieces of WordprocessingML the DOCX writer builds its parts from, as strings. Text and attribute values
 * are escaped here and only here: `&`, `<`, `>`, `"` and `'` become entities, and the control characters XML 1.0
 * cannot carry are dropped.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };

/** User and library text made safe for element content and attribute values alike. */
export function esc(value: string): string {
  return value.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ENTITIES[c] ?? '');
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
export const XML_DECLARATION_STANDALONE = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** The namespaces of the WordprocessingML parts (body, notes, settings, numbering), in the order Word lists them. */
export const WORD_NAMESPACES =
  'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"';

/** The drawing and later Word namespaces the document body and the header declare besides. */
export const CHART_NAMESPACES =
  'xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex" xmlns:cx1="http://schemas.microsoft.com/office/drawing/2015/9/8/chartex" xmlns:cx2="http://schemas.microsoft.com/office/drawing/2015/10/21/chartex" xmlns:cx3="http://schemas.microsoft.com/office/drawing/2016/5/9/chartex" xmlns:cx4="http://schemas.microsoft.com/office/drawing/2016/5/10/chartex" xmlns:cx5="http://schemas.microsoft.com/office/drawing/2016/5/11/chartex" xmlns:cx6="http://schemas.microsoft.com/office/drawing/2016/5/12/chartex" xmlns:cx7="http://schemas.microsoft.com/office/drawing/2016/5/13/chartex" xmlns:cx8="http://schemas.microsoft.com/office/drawing/2016/5/14/chartex"';

/** The namespaces of a main document part (w:document): the body's, the drawing ones and the later Word ones. */
export const DOCUMENT_NAMESPACES = `${WORD_NAMESPACES} ${CHART_NAMESPACES} xmlns:aink="http://schemas.microsoft.com/office/drawing/2016/ink" xmlns:am3d="http://schemas.microsoft.com/office/drawing/2017/model3d" xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex" xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" xmlns:w16="http://schemas.microsoft.com/office/word/2018/wordml" xmlns:w16sdtdh="http://schemas.microsoft.com/office/word/2020/wordml/sdtdatahash" xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex"`;

/** Run properties, in the schema's order. */
export interface RunProps {
  style?: string;
  bold?: boolean;
  italics?: boolean;
}

export function rPr(p: RunProps): string {
  const inner = (p.style ? `<w:rStyle w:val="${esc(p.style)}"/>` : '') + (p.bold ? '<w:b/><w:bCs/>' : '') + (p.italics ? '<w:i/><w:iCs/>' : '');
  return inner ? `<w:rPr>${inner}</w:rPr>` : '';
}

/** A run of text; `breakBefore` puts a line break in front of it in the same run. */
export function run(text: string, p: RunProps = {}, breakBefore = false): string {
  return `<w:r>${rPr(p)}${breakBefore ? '<w:br/>' : ''}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
}

/** Text as runs, with a line break for each newline (Word ignores a newline inside w:t). */
export function textRuns(text: string, p: RunProps = {}): string {
  if (!text.includes('\n')) return run(text, p);
  return text
    .split('\n')
    .map((line, i) => run(line, p, i > 0))
    .join('');
}

export const BREAK_RUN = '<w:r><w:br/></w:r>';
export const TAB_RUN = '<w:r><w:tab/></w:r>';

/** Paragraph properties, written in the schema's order; `tabs` is a ready w:tabs element. */
export interface ParaProps {
  style?: string;
  pageBreakBefore?: boolean;
  numbering?: { numId: number; level: number };
  tabs?: string;
  spacing?: { after?: number; before?: number; line?: number; lineRule?: string };
  indentLeft?: number;
  align?: 'left' | 'center' | 'right';
}

export function spacing(s: NonNullable<ParaProps['spacing']>): string {
  const attrs =
    (s.after !== undefined ? ` w:after="${s.after}"` : '') +
    (s.before !== undefined ? ` w:before="${s.before}"` : '') +
    (s.line !== undefined ? ` w:line="${s.line}"` : '') +
    (s.lineRule !== undefined ? ` w:lineRule="${s.lineRule}"` : '');
  return `<w:spacing${attrs}/>`;
}

export function pPr(p: ParaProps): string {
  const inner =
    (p.style ? `<w:pStyle w:val="${esc(p.style)}"/>` : '') +
    (p.pageBreakBefore ? '<w:pageBreakBefore/>' : '') +
    (p.numbering ? `<w:numPr><w:ilvl w:val="${p.numbering.level}"/><w:numId w:val="${p.numbering.numId}"/></w:numPr>` : '') +
    (p.tabs ?? '') +
    (p.spacing ? spacing(p.spacing) : '') +
    (p.indentLeft !== undefined ? `<w:ind w:left="${p.indentLeft}"/>` : '') +
    (p.align ? `<w:jc w:val="${p.align}"/>` : '');
  return inner ? `<w:pPr>${inner}</w:pPr>` : '';
}

/** A paragraph: properties, then its content (runs, hyperlinks, bookmarks) as XML. */
export function paragraph(p: ParaProps, content: string): string {
  return `<w:p>${pPr(p)}${content}</w:p>`;
}
