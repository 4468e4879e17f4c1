import type { DocumentModel } from '../../assemble/model.js';
import { documentBody } from './content.js';
import { answerSheetParts } from './answer-sheet.js';
import {
  CONTENT_TYPE,
  ENDNOTES_XML,
  FONT_TABLE_XML,
  FOOTNOTES_XML,
  PACKAGE_RELS,
  REL,
  SETTINGS_XML,
  THEME_XML,
  packageDocx,
  propertyParts,
  relationshipsXml,
  type DocxPart,
  type Relationship,
} from './package.js';
import { Numbering, PAGE, TEXT_WIDTH, stylesXml } from './styles.js';
import { CHART_NAMESPACES, DOCUMENT_NAMESPACES, WORD_NAMESPACES, XML_DECLARATION, XML_DECLARATION_STANDALONE, esc, paragraph, run } from './xml.js';

const HEADER_NAMESPACES = `${WORD_NAMESPACES} ${CHART_NAMESPACES} xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex"`;

/** The same running header as the PDF's: buyer and reference on the left, the document's heading on the right. */
function headerXml(model: DocumentModel): string {
  const p = paragraph(
    { style: 'Header', tabs: `<w:tabs><w:tab w:val="right" w:pos="${TEXT_WIDTH}"/></w:tabs>`, align: 'left' },
    run(model.header) + `<w:r><w:tab/><w:t xml:space="preserve">${esc(model.title.heading)}</w:t></w:r>`,
  );
  return `${XML_DECLARATION}<w:hdr ${HEADER_NAMESPACES}>${p}</w:hdr>`;
}

const simpleField = (name: string) =>
  `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">${name}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`;

/** "Side X av Y": the page number and the number of pages as fields, which Word and LibreOffice fill in. */
function footerXml(model: DocumentModel): string {
  const L = model.labels;
  const p = paragraph({ style: 'Footer' }, run(`${L.page} `) + simpleField('PAGE') + run(` ${L.of} `) + simpleField('NUMPAGES'));
  return `${XML_DECLARATION}<w:ftr ${WORD_NAMESPACES}>${p}</w:ftr>`;
}

/** A4 portrait with the margins of PAGE, the header and footer of the document. */
const SECTION = `<w:sectPr><w:headerReference w:type="default" r:id="rId6"/><w:footerReference w:type="default" r:id="rId7"/><w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}" w:orient="portrait"/><w:pgMar w:top="${PAGE.marginTop}" w:right="${PAGE.marginRight}" w:bottom="${PAGE.marginBottom}" w:left="${PAGE.marginLeft}" w:header="${PAGE.header}" w:footer="${PAGE.footer}" w:gutter="0"/><w:pgNumType/><w:docGrid w:linePitch="360"/></w:sectPr>`;

const EMPTY_RELS = relationshipsXml([]);

/**
 * The parts of the Word document for a model, in the order [Content_Types].xml lists them: styles defined once
 * (styles.xml), Heading 1–4 bound to a multi-level list through w:numPr with no typed numbers (numbering.xml), real
 * lists and tables, a table of contents field filled in with the headings and their numbers, a header and a "Side X
 * av Y" footer, document properties from the answers. Exported so that a caller can add a part before packaging.
 */
export function docxParts(model: DocumentModel, extra: { parts: DocxPart[]; documentRelationships: Relationship[] } = { parts: [], documentRelationships: [] }): DocxPart[] {
  const t = model.title;
  const { xml: body, ctx } = documentBody(model);
  const headingNumId = ctx.numbering.use(Numbering.HEADINGS);
  const document = `${XML_DECLARATION_STANDALONE}<w:document mc:Ignorable="w14 w15 wp14" ${DOCUMENT_NAMESPACES}><w:body>${body}${SECTION}</w:body></w:document>`;
  const documentRels: Relationship[] = [
    { id: 'rId1', type: REL.styles, target: 'styles.xml' },
    { id: 'rId2', type: REL.numbering, target: 'numbering.xml' },
    { id: 'rId3', type: REL.footnotes, target: 'footnotes.xml' },
    { id: 'rId4', type: REL.endnotes, target: 'endnotes.xml' },
    { id: 'rId5', type: REL.settings, target: 'settings.xml' },
    { id: 'rId6', type: REL.header, target: 'header1.xml' },
    { id: 'rId7', type: REL.footer, target: 'footer1.xml' },
    { id: 'rId8', type: REL.theme, target: 'theme/theme1.xml' },
    ...ctx.links.map((href, i) => ({ id: `rIdLink${i + 1}`, type: REL.hyperlink, target: href, external: true })),
    { id: `rId${9 + ctx.links.length}`, type: REL.fontTable, target: 'fontTable.xml' },
    ...extra.documentRelationships,
  ];
  return [
    { name: 'word/document.xml', content: document, contentType: CONTENT_TYPE.document },
    { name: 'word/styles.xml', content: stylesXml(model.langTag, headingNumId), contentType: CONTENT_TYPE.styles },
    ...propertyParts({
      title: `${t.appendixLabel}: ${t.heading} – ${t.procurementTitle}`,
      subject: t.procurementTitle,
      creator: t.buyer,
      keywords: model.keywords.join(', '),
      ...(t.description ? { description: t.description } : {}),
      lastModifiedBy: t.buyer || 'dataklausul',
      date: t.date,
    }),
    { name: 'word/numbering.xml', content: ctx.numbering.xml(), contentType: CONTENT_TYPE.numbering },
    { name: 'word/footnotes.xml', content: FOOTNOTES_XML, contentType: CONTENT_TYPE.footnotes },
    { name: 'word/endnotes.xml', content: ENDNOTES_XML, contentType: CONTENT_TYPE.endnotes },
    { name: 'word/settings.xml', content: SETTINGS_XML, contentType: CONTENT_TYPE.settings },
    { name: 'word/fontTable.xml', content: FONT_TABLE_XML, contentType: CONTENT_TYPE.fontTable },
    { name: 'word/theme/theme1.xml', content: THEME_XML, contentType: CONTENT_TYPE.theme },
    { name: 'word/header1.xml', content: headerXml(model), contentType: CONTENT_TYPE.header },
    { name: 'word/footer1.xml', content: footerXml(model), contentType: CONTENT_TYPE.footer },
    PACKAGE_RELS,
    { name: 'word/_rels/document.xml.rels', content: relationshipsXml(documentRels) },
    ...['endnotes', 'fontTable', 'footer1', 'footnotes', 'header1'].map((n) => ({ name: `word/_rels/${n}.xml.rels`, content: EMPTY_RELS })),
    ...extra.parts,
  ];
}

/**
 * Renders the appendix as a Word document (see docxParts), with the answer sheet (a custom XML part) that lets
 * `dataklausul evaluate` read the supplier's copy back. The same model always gives the same bytes: dates come from
 * the model, ids are sequential, the zip has fixed timestamps and entry order.
 */
export async function renderDocx(model: DocumentModel): Promise<Uint8Array> {
  return packageDocx(docxParts(model, answerSheetParts(model)), model.title.date);
}
