import type { DiffPart } from '../../library/word-diff.js';
import {
  CONTENT_TYPE,
  ENDNOTES_XML,
  FONT_TABLE_XML,
  FOOTNOTES_XML,
  PACKAGE_RELS,
  REL,
  THEME_XML,
  packageDocx,
  propertyParts,
  relationshipsXml,
  type DocxPart,
} from './package.js';
import { REDLINE_STYLES } from './redline-styles.js';
import { numberingXml } from './styles.js';
import { DOCUMENT_NAMESPACES, WORD_NAMESPACES, XML_DECLARATION_STANDALONE, esc, paragraph } from './xml.js';

/** A paragraph of the redline: Word's Title or Heading 1–3, an indented list item, or body text (rows and notes smaller). */
export interface RedlineParagraph {
  style?: 'Title' | 'Heading1' | 'Heading2' | 'Heading3';
  indent?: boolean;
  small?: boolean;
  parts: readonly DiffPart[];
}

/** A4 portrait with Word's default 2.54 cm margins. */
const SECTION =
  '<w:sectPr><w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/><w:pgNumType/><w:docGrid w:linePitch="360"/></w:sectPr>';

/** Settings: track changes stays on, so what the reader edits is tracked too. */
const SETTINGS_XML = `${XML_DECLARATION_STANDALONE}<w:settings ${WORD_NAMESPACES} mc:Ignorable="w14 w15 wp14"><w:displayBackgroundShape/><w:trackRevisions/><w:defaultTabStop w:val="720"/><w:evenAndOddHeaders w:val="false"/><w:compat><w:compatSetting w:val="15" w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"/></w:compat></w:settings>`;

const STYLES_XML = `${XML_DECLARATION_STANDALONE}<w:styles mc:Ignorable="w14 w15" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="DejaVu Sans" w:cs="DejaVu Sans" w:eastAsia="DejaVu Sans" w:hAnsi="DejaVu Sans"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>${REDLINE_STYLES}</w:styles>`;

/**
 * The redline as a Word document with real tracked changes: each insertion a `w:ins` and each deletion a `w:del` by
 * "dataklausul", dated midnight UTC of `date` (the newer appendix's), numbered in document order.
 */
export function renderRedlineDocxParts(paras: readonly RedlineParagraph[], meta: { title: string; date: string }): DocxPart[] {
  const stamp = `${meta.date}T00:00:00Z`;
  let id = 1;
  const change = (tag: 'ins' | 'del', text: string) => {
    const t = tag === 'ins' ? 'w:t' : 'w:delText';
    return `<w:${tag} w:id="${id++}" w:author="dataklausul" w:date="${stamp}"><w:r><${t} xml:space="preserve">${esc(text)}</${t}></w:r></w:${tag}>`;
  };
  const body = paras
    .map((p) =>
      paragraph(
        { ...(p.style ? { style: p.style } : {}), ...(p.indent ? { indentLeft: 360 } : {}) },
        p.parts
          .map((x) =>
            x.op === 'same'
              ? `<w:r>${p.small ? '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>' : ''}<w:t xml:space="preserve">${esc(x.text)}</w:t></w:r>`
              : change(x.op, x.text),
          )
          .join(''),
      ),
    )
    .join('');
  const document = `${XML_DECLARATION_STANDALONE}<w:document mc:Ignorable="w14 w15 wp14" ${DOCUMENT_NAMESPACES}><w:body>${body}${SECTION}</w:body></w:document>`;
  const emptyRels = relationshipsXml([]);
  return [
    { name: 'word/document.xml', content: document, contentType: CONTENT_TYPE.document },
    { name: 'word/styles.xml', content: STYLES_XML, contentType: CONTENT_TYPE.styles },
    ...propertyParts({ title: meta.title, subject: '', creator: 'dataklausul', keywords: '', lastModifiedBy: 'dataklausul', date: meta.date }),
    { name: 'word/numbering.xml', content: numberingXml(), contentType: CONTENT_TYPE.numbering },
    { name: 'word/footnotes.xml', content: FOOTNOTES_XML, contentType: CONTENT_TYPE.footnotes },
    { name: 'word/endnotes.xml', content: ENDNOTES_XML, contentType: CONTENT_TYPE.endnotes },
    { name: 'word/settings.xml', content: SETTINGS_XML, contentType: CONTENT_TYPE.settings },
    { name: 'word/fontTable.xml', content: FONT_TABLE_XML, contentType: CONTENT_TYPE.fontTable },
    { name: 'word/theme/theme1.xml', content: THEME_XML, contentType: CONTENT_TYPE.theme },
    PACKAGE_RELS,
    {
      name: 'word/_rels/document.xml.rels',
      content: relationshipsXml([
        { id: 'rId1', type: REL.styles, target: 'styles.xml' },
        { id: 'rId2', type: REL.numbering, target: 'numbering.xml' },
        { id: 'rId3', type: REL.footnotes, target: 'footnotes.xml' },
        { id: 'rId4', type: REL.endnotes, target: 'endnotes.xml' },
        { id: 'rId5', type: REL.settings, target: 'settings.xml' },
        { id: 'rId6', type: REL.theme, target: 'theme/theme1.xml' },
        { id: 'rId7', type: REL.fontTable, target: 'fontTable.xml' },
      ]),
    },
    ...['endnotes', 'fontTable', 'footnotes'].map((n) => ({ name: `word/_rels/${n}.xml.rels`, content: emptyRels })),
  ];
}

export function renderRedlineDocxBytes(paras: readonly RedlineParagraph[], meta: { title: string; date: string }): Uint8Array {
  return packageDocx(renderRedlineDocxParts(paras, meta), meta.date);
}
