import type { ReportNode, Span } from './report.js';

/**
 * The evaluation report as a Word document, from the same content as the Markdown and HTML reports: headings, lists,
 * the comparison table; removed words struck through in red, added words underlined in green. Written with the
 * appendix's own DOCX writer (its styles, list numbering and packaging; headings unnumbered). Deterministic: the
 * package is dated `isoDate` like the appendix.
 */
export async function renderEvaluationDocx(nodes: readonly ReportNode[], title: string, langTag: string, isoDate: string): Promise<Uint8Array> {
  const [{ CONTENT_TYPE, FONT_TABLE_XML, PACKAGE_RELS, REL, SETTINGS_XML, THEME_XML, packageDocx, propertyParts, relationshipsXml }, { Numbering, TEXT_WIDTH, stylesXml }, { DOCUMENT_NAMESPACES, XML_DECLARATION_STANDALONE, esc, paragraph }] =
    await Promise.all([import('../render/docx/package.js'), import('../render/docx/styles.js'), import('../render/docx/xml.js')]);
  const numbering = new Numbering();
  const bullets = numbering.use(Numbering.BULLETS);
  // Run properties in the schema's order (b, strike, color, sz, u). esc drops the characters XML cannot carry, such as
  // control characters a supplier typed into a CSV; U+FFFE and U+FFFF are dropped here as well.
  const runs = (spans: readonly Span[], size?: number) =>
    spans
      .map((s) => {
        const props =
          (s.bold ? '<w:b/><w:bCs/>' : '') +
          (s.del ? '<w:strike/><w:color w:val="A0001A"/>' : s.ins ? '<w:color w:val="0B6B1F"/>' : '') +
          (size ? `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>` : '') +
          (s.ins && !s.del ? '<w:u w:val="single"/>' : '');
        return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(s.text.replace(/[\ufffe\uffff]/g, ''))}</w:t></w:r>`;
      })
      .join('');
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="B8BEC8"/>`;
  const borders = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>`;
  const body = nodes
    .map((n) => {
      if (n.type === 'heading') return paragraph({ style: `Heading${n.level}` }, runs([{ text: n.text }]));
      if (n.type === 'paragraph') return paragraph({}, runs(n.spans));
      if (n.type === 'list') return n.items.map((i) => paragraph({ style: 'ListParagraph', numbering: { numId: bullets, level: 0 } }, runs(i))).join('');
      const columns = Math.max(1, n.header.length);
      const width = Math.floor(TEXT_WIDTH / columns);
      const cell = (spans: readonly Span[], head: boolean) =>
        `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${head ? '<w:shd w:val="clear" w:color="auto" w:fill="E7E9EE"/>' : ''}</w:tcPr>${paragraph({ spacing: { after: 0 } }, runs(head ? spans.map((s) => ({ ...s, bold: true })) : spans, 18))}</w:tc>`;
      const header = `<w:tr><w:trPr><w:tblHeader/></w:trPr>${n.header.map((h) => cell([{ text: h }], true)).join('')}</w:tr>`;
      const rows = n.rows.map((r) => `<w:tr><w:trPr><w:cantSplit/></w:trPr>${r.map((c) => cell(c, false)).join('')}</w:tr>`).join('');
      return `<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/>${borders}<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>${`<w:gridCol w:w="${width}"/>`.repeat(columns)}</w:tblGrid>${header}${rows}</w:tbl>${paragraph({ spacing: { after: 0 } }, '')}`;
    })
    .join('');
  const document = `${XML_DECLARATION_STANDALONE}<w:document mc:Ignorable="w14 w15 wp14" ${DOCUMENT_NAMESPACES}><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`;
  return packageDocx(
    [
      { name: 'word/document.xml', content: document, contentType: CONTENT_TYPE.document },
      // Headings use the appendix's styles without its clause numbering (w:numId 0 is "no list").
      { name: 'word/styles.xml', content: stylesXml(langTag, 0), contentType: CONTENT_TYPE.styles },
      { name: 'word/numbering.xml', content: numbering.xml(), contentType: CONTENT_TYPE.numbering },
      ...propertyParts({ title, subject: title, creator: 'dataklausul', keywords: '', lastModifiedBy: 'dataklausul', date: isoDate }),
      { name: 'word/settings.xml', content: SETTINGS_XML, contentType: CONTENT_TYPE.settings },
      { name: 'word/fontTable.xml', content: FONT_TABLE_XML, contentType: CONTENT_TYPE.fontTable },
      { name: 'word/theme/theme1.xml', content: THEME_XML, contentType: CONTENT_TYPE.theme },
      PACKAGE_RELS,
      {
        name: 'word/_rels/document.xml.rels',
        content: relationshipsXml([
          { id: 'rId1', type: REL.styles, target: 'styles.xml' },
          { id: 'rId2', type: REL.numbering, target: 'numbering.xml' },
          { id: 'rId3', type: REL.settings, target: 'settings.xml' },
          { id: 'rId4', type: REL.fontTable, target: 'fontTable.xml' },
          { id: 'rId5', type: REL.theme, target: 'theme/theme1.xml' },
        ]),
      },
    ],
    isoDate,
  );
}
