import { AlignmentType, Document, Footer, Header, Packer, PageNumber, Paragraph, Tab, TabStopType, TextRun } from 'docx';
import type { DocumentModel } from '../../assemble/model.js';
import { documentBody, headingNumbers } from './content.js';
import { answerSheetAddition } from './answer-sheet.js';
import { pinPackage } from './deterministic.js';
import { tocNumbering } from './toc.js';
import { BULLET_NUMBERING, HEADING_NUMBERING, PAGE, TEXT_WIDTH, bulletLevels, documentStyles, headingLevels } from './styles.js';

/** Builds the docx library's Document for a model (exported for tests that inspect it before packing). */
export function buildDocx(model: DocumentModel): Document {
  const L = model.labels;
  const t = model.title;
  const numbers = headingNumbers(model);
  const { children, ctx } = documentBody(model);
  return new Document({
    title: `${t.appendixLabel}: ${t.heading} – ${t.procurementTitle}`,
    subject: t.procurementTitle,
    creator: t.buyer,
    lastModifiedBy: t.buyer || 'dataklausul',
    keywords: model.keywords.join(', '),
    ...(t.description ? { description: t.description } : {}),
    revision: 1,
    features: { updateFields: true },
    // The table of contents is written with the headings' numbers, so it reads right before Word updates it;
    // Word adds the page numbers when it updates the fields on opening.
    pageNumbers: tocNumbering(numbers),
    styles: documentStyles(model.langTag),
    numbering: {
      config: [
        { reference: HEADING_NUMBERING, levels: headingLevels() },
        { reference: BULLET_NUMBERING, levels: bulletLevels() },
        ...ctx.orderedLists,
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: {
              top: PAGE.marginTop,
              bottom: PAGE.marginBottom,
              left: PAGE.marginLeft,
              right: PAGE.marginRight,
              header: PAGE.header,
              footer: PAGE.footer,
            },
          },
        },
        // The same running header as the PDF's: buyer and reference on the left, the document's heading on the right.
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                style: 'Header',
                alignment: AlignmentType.LEFT,
                tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
                children: [new TextRun(model.header), new TextRun({ children: [new Tab(), t.heading] })],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                style: 'Footer',
                children: [new TextRun({ children: [`${L.page} `, PageNumber.CURRENT, ` ${L.of} `, PageNumber.TOTAL_PAGES] })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
}

/**
 * Renders the appendix as a Word document: styles defined once, clause numbers from Word's own multi-level list
 * bound to Heading 1–3, real lists and tables, a table of contents field, page header and "Page X of Y" footer.
 * The same model always gives the same bytes: dates come from the model, ids are sequential, the zip is rewritten
 * with fixed timestamps. The answer sheet (a custom XML part) lets `dataklausul evaluate` read the supplier's copy back.
 */
export async function renderDocx(model: DocumentModel): Promise<Uint8Array> {
  const packed = await Packer.pack(buildDocx(model), 'uint8array');
  return pinPackage(packed, model.title.date, answerSheetAddition(model));
}
