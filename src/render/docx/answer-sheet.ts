import { ANSWER_SHEET_NS } from '../../core/answer-sheet.js';
import type { DocumentModel } from '../../assemble/model.js';
import type { DocxPart, Relationship } from './package.js';

/**
 * The answer sheet as a custom XML part of the DOCX (`customXml/item1.xml`): the appendix's identity (answers digest,
 * libraries, tool) and, for each row of its requirements tables, the DK id, clause, level and the digest of the
 * requirement's text in each language. Word and LibreOffice keep such a part when they save the document again, so
 * `dataklausul evaluate` can tell what the supplier was sent from what the supplier sent back.
 *
 * Added as parts of their own at the packaging stage (`renderDocx`), so it does not depend on how the document body is
 * written.
 */

export const ANSWER_SHEET_PART = 'customXml/item1.xml';
const PROPS_PART = 'customXml/itemProps1.xml';
const ITEM_RELS = 'customXml/_rels/item1.xml.rels';
/** The relationship from the main document to the part (its id cannot clash with the writer's own `rIdN`). */
const REL_ID = 'rIdAnswerSheet';
/** A fixed datastore id: the same model gives the same bytes. */
const ITEM_ID = '{3F6C2B1D-7A4E-4C1B-9D2F-DA7A4B1A0001}';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const attrs = (a: Record<string, string>) =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');

/** The XML of the answer sheet for a model. */
export function answerSheetXml(model: DocumentModel): string {
  const p = model.provenance;
  const out = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    `<answerSheet xmlns="${ANSWER_SHEET_NS}"${attrs({ version: '1', lang: model.lang, date: model.title.date })}>`,
    `<appendix${attrs({ answersFile: p.answers.file, answersDigest: p.answers.digest, buyer: model.title.buyer, reference: model.title.reference, title: model.title.procurementTitle })}/>`,
    `<tool${attrs({ name: p.tool.name, version: p.tool.version })}/>`,
    ...p.libraries.map((l) => `<library${attrs({ name: l.name, version: l.version, digest: l.digest })}/>`),
  ];
  for (const part of model.parts) {
    if (!part.requirements) continue;
    for (const r of part.requirements.rows) {
      out.push(`<requirement${attrs({ id: r.id, clause: r.clauseId, number: r.clauseNumber, level: r.level, part: part.slug })}>`);
      for (const [lang, digest] of Object.entries(r.digests)) out.push(`<text${attrs({ lang, digest })}/>`);
      out.push('</requirement>');
    }
  }
  out.push('</answerSheet>');
  return out.join('');
}

/** The parts the answer sheet adds to the package, and the relationship from the main document to it. */
export function answerSheetParts(model: DocumentModel): { parts: DocxPart[]; documentRelationships: Relationship[] } {
  return {
    parts: [
      { name: ANSWER_SHEET_PART, content: answerSheetXml(model) },
      {
        name: PROPS_PART,
        content: `<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem ds:itemID="${ITEM_ID}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="${ANSWER_SHEET_NS}"/></ds:schemaRefs></ds:datastoreItem>`,
        contentType: 'application/vnd.openxmlformats-officedocument.customXmlProperties+xml',
      },
      {
        name: ITEM_RELS,
        content:
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>',
      },
    ],
    documentRelationships: [{ id: REL_ID, type: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml', target: `../${ANSWER_SHEET_PART}` }],
  };
}
