import { dosDateTime, writeZip } from './zip.js';
import { THEME_XML } from './theme.js';
import { WORD_NAMESPACES, XML_DECLARATION, XML_DECLARATION_STANDALONE, esc } from './xml.js';

/**
 * The packaging stage of the DOCX writer: a list of parts in, zip bytes out. A part that carries a content type is
 * listed in [Content_Types].xml as an override, in the order of the list; the rest are covered by the defaults
 * (`.xml`, `.rels`). Entries are written [Content_Types].xml first and the package relationships next, as Office
 * writes them, then by name, all with the document's date as their timestamp, so the same parts give the same bytes.
 * A caller that adds a part (a custom XML part, say) appends it to the list with its relationship part.
 */
export interface DocxPart {
  name: string;
  content: string | Uint8Array;
  contentType?: string;
}

const DEFAULT_CONTENT_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['image/png', 'png'],
  ['image/jpeg', 'jpeg'],
  ['image/jpeg', 'jpg'],
  ['image/bmp', 'bmp'],
  ['image/gif', 'gif'],
  ['image/svg+xml', 'svg'],
  ['application/vnd.openxmlformats-package.relationships+xml', 'rels'],
  ['application/xml', 'xml'],
  ['application/vnd.openxmlformats-officedocument.obfuscatedFont', 'odttf'],
];

export function contentTypesXml(parts: readonly DocxPart[]): string {
  const defaults = DEFAULT_CONTENT_TYPES.map(([type, ext]) => `<Default ContentType="${type}" Extension="${ext}"/>`).join('');
  const overrides = parts
    .filter((p) => p.contentType)
    .map((p) => `<Override ContentType="${esc(p.contentType!)}" PartName="/${esc(p.name)}"/>`)
    .join('');
  return `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${defaults}${overrides}</Types>`;
}

const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const REL = {
  officeDocument: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
  coreProperties: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
  extendedProperties: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties',
  customProperties: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties',
  styles: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles',
  numbering: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering',
  footnotes: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes',
  endnotes: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes',
  settings: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings',
  header: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/header',
  footer: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer',
  theme: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme',
  hyperlink: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink',
  fontTable: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable',
} as const;

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external?: boolean;
}

export function relationshipsXml(rels: readonly Relationship[]): string {
  if (!rels.length) return `${XML_DECLARATION}<Relationships xmlns="${RELS_NS}"/>`;
  const items = rels
    .map((r) => `<Relationship Id="${esc(r.id)}" Type="${r.type}" Target="${esc(r.target)}"${r.external ? ' TargetMode="External"' : ''}/>`)
    .join('');
  return `${XML_DECLARATION}<Relationships xmlns="${RELS_NS}">${items}</Relationships>`;
}

export const CONTENT_TYPE = {
  document: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  styles: 'application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml',
  core: 'application/vnd.openxmlformats-package.core-properties+xml',
  custom: 'application/vnd.openxmlformats-officedocument.custom-properties+xml',
  app: 'application/vnd.openxmlformats-officedocument.extended-properties+xml',
  numbering: 'application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml',
  footnotes: 'application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml',
  endnotes: 'application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml',
  settings: 'application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml',
  fontTable: 'application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml',
  theme: 'application/vnd.openxmlformats-officedocument.theme+xml',
  header: 'application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml',
  footer: 'application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml',
} as const;

/** Document properties: what Word shows under File › Info, dated midnight UTC of the document's date. */
export interface CoreProperties {
  title: string;
  subject: string;
  creator: string;
  keywords: string;
  description?: string;
  lastModifiedBy: string;
  date: string;
}

export function corePropertiesXml(p: CoreProperties): string {
  const el = (name: string, value: string | undefined) => (value ? `<${name}>${esc(value)}</${name}>` : '');
  const stamp = `${p.date}T00:00:00Z`;
  return (
    `${XML_DECLARATION_STANDALONE}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    el('dc:title', p.title) +
    el('dc:subject', p.subject) +
    el('dc:creator', p.creator) +
    el('cp:keywords', p.keywords) +
    el('dc:description', p.description) +
    el('cp:lastModifiedBy', p.lastModifiedBy) +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * The document properties, in the order every writer lists them: core (title, creator, date …), custom and app.
 * Together with PACKAGE_RELS, which points the package at them and at word/document.xml.
 */
export function propertyParts(core: CoreProperties): DocxPart[] {
  return [
    { name: 'docProps/core.xml', content: corePropertiesXml(core), contentType: CONTENT_TYPE.core },
    { name: 'docProps/custom.xml', content: CUSTOM_XML, contentType: CONTENT_TYPE.custom },
    { name: 'docProps/app.xml', content: APP_XML, contentType: CONTENT_TYPE.app },
  ];
}

export const APP_XML = `${XML_DECLARATION_STANDALONE}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>`;
export const CUSTOM_XML = `${XML_DECLARATION_STANDALONE}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>`;

/** The package's relationships (_rels/.rels): the main document and the three property parts of propertyParts. */
export const PACKAGE_RELS: DocxPart = {
  name: '_rels/.rels',
  content: relationshipsXml([
    { id: 'rId1', type: REL.officeDocument, target: 'word/document.xml' },
    { id: 'rId2', type: REL.coreProperties, target: 'docProps/core.xml' },
    { id: 'rId3', type: REL.extendedProperties, target: 'docProps/app.xml' },
    { id: 'rId4', type: REL.customProperties, target: 'docProps/custom.xml' },
  ]),
};

export const FONT_TABLE_XML = `${XML_DECLARATION_STANDALONE}<w:fonts xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex" xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" xmlns:w16="http://schemas.microsoft.com/office/word/2018/wordml" xmlns:w16sdtdh="http://schemas.microsoft.com/office/word/2020/wordml/sdtdatahash" xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex" mc:Ignorable="w14 w15 w16se w16cid w16 w16cex w16sdtdh"/>`;

/** Settings: fields (the table of contents, page numbers) are updated when Word opens the document. */
export const SETTINGS_XML = `${XML_DECLARATION_STANDALONE}<w:settings ${WORD_NAMESPACES} mc:Ignorable="w14 w15 wp14"><w:displayBackgroundShape/><w:defaultTabStop w:val="720"/><w:evenAndOddHeaders w:val="false"/><w:updateFields/><w:compat><w:compatSetting w:val="15" w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"/></w:compat></w:settings>`;

/** The separator notes Word expects in the footnote and endnote parts (the document has no notes of its own). */
function notesXml(kind: 'footnote' | 'endnote', declaration: string): string {
  const ref = kind === 'footnote' ? 'FootnoteReference' : 'EndnoteReference';
  const note = (type: string, id: number, mark: string) =>
    `<w:${kind} w:type="${type}" w:id="${id}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:rPr><w:rStyle w:val="${ref}"/></w:rPr><w:${kind}Ref/></w:r><w:r><w:${mark}/></w:r></w:p></w:${kind}>`;
  return `${declaration}<w:${kind}s ${WORD_NAMESPACES} mc:Ignorable="w14 w15 wp14">${note('separator', -1, 'separator')}${note('continuationSeparator', 0, 'continuationSeparator')}</w:${kind}s>`;
}
export const FOOTNOTES_XML = notesXml('footnote', XML_DECLARATION_STANDALONE);
export const ENDNOTES_XML = notesXml('endnote', XML_DECLARATION);

export { THEME_XML };

/** [Content_Types].xml first and the package relationships next, as Office writes them; then by name. */
function rank(name: string): number {
  if (name === '[Content_Types].xml') return 0;
  if (name === '_rels/.rels') return 1;
  return 2;
}

/** Zips the parts, with [Content_Types].xml made from them, deterministically (see DocxPart). */
export function packageDocx(parts: readonly DocxPart[], isoDate: string): Uint8Array {
  const encoder = new TextEncoder();
  const all: DocxPart[] = [{ name: '[Content_Types].xml', content: contentTypesXml(parts) }, ...parts];
  const names = new Set<string>();
  for (const p of all) {
    if (names.has(p.name)) throw new Error(`DOCX package: two parts named ${p.name}`);
    names.add(p.name);
  }
  all.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return writeZip(
    all.map((p) => [p.name, typeof p.content === 'string' ? encoder.encode(p.content) : p.content] as const),
    dosDateTime(isoDate),
  );
}
