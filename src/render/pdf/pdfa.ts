import { deflateSync } from 'node:zlib';
import type { PDFArray as PDFArrayT, PDFDict as PDFDictT, PDFDocument, PDFFont, PDFHexString as PDFHexStringT, PDFPage, PDFRef, PDFString as PDFStringT } from 'pdf-lib';
import type { PdfLayout, PdfOutlineItem } from './layout.js';
import { pdfLib } from './lib.js';

const { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString } = pdfLib;

/** Document metadata, written identically to the Info dictionary and the XMP packet (PDF/A-1 6.7.3). */
export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  creator: string;
  producer: string;
  /** Creation and modification date (from the model, never the clock). */
  date: Date;
  langTag: string;
}

function xmlEscape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `D:YYYYMMDDHHmmSS+00'00'` for the Info dictionary. */
export function pdfDate(d: Date): string {
  return `D:${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}+00'00'`;
}
/** The same instant for XMP. */
export function xmpDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+00:00`;
}

/** A text string: PDFDocEncoding-safe ASCII as a literal, anything else as UTF-16BE. */
function textString(s: string): PDFStringT | PDFHexStringT {
  return /^[\x20-\x7e]*$/.test(s) ? PDFString.of(s.replace(/[\\()]/g, (c) => `\\${c}`)) : PDFHexString.fromText(s);
}

export function buildXmp(meta: PdfMetadata): string {
  const e = xmlEscape;
  const date = xmpDate(meta.date);
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${e(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${e(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${e(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>${e(meta.langTag)}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:MetadataDate>${date}</xmp:MetadataDate>
   <xmp:CreatorTool>${e(meta.creator)}</xmp:CreatorTool>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>${e(meta.producer)}</pdf:Producer>
   <pdf:Keywords>${e(meta.keywords)}</pdf:Keywords>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>1</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** Info dictionary, XMP metadata stream (unfiltered, as PDF/A-1 requires), /Lang. */
export function writeMetadata(doc: PDFDocument, meta: PdfMetadata): void {
  const ctx = doc.context;
  const info = ctx.obj({});
  info.set(PDFName.of('Title'), textString(meta.title));
  info.set(PDFName.of('Author'), textString(meta.author));
  info.set(PDFName.of('Subject'), textString(meta.subject));
  info.set(PDFName.of('Keywords'), textString(meta.keywords));
  info.set(PDFName.of('Creator'), textString(meta.creator));
  info.set(PDFName.of('Producer'), textString(meta.producer));
  info.set(PDFName.of('CreationDate'), PDFString.of(pdfDate(meta.date)));
  info.set(PDFName.of('ModDate'), PDFString.of(pdfDate(meta.date)));
  ctx.trailerInfo.Info = ctx.register(info);

  const xmp = ctx.stream(new TextEncoder().encode(buildXmp(meta)), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(xmp));
  doc.catalog.set(PDFName.of('Lang'), textString(meta.langTag));
  doc.catalog.set(PDFName.of('ViewerPreferences'), ctx.obj({ DisplayDocTitle: true }));
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/** The sRGB output intent (GTS_PDFA1) with the embedded ICC v2 profile. */
export function writeOutputIntent(doc: PDFDocument, icc: Uint8Array): void {
  const ctx = doc.context;
  const profile = ctx.register(ctx.stream(deflateSync(icc), { N: 3, Filter: 'FlateDecode' }));
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: profile,
  });
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]));
}

/** Trailer /ID: both halves from a digest of the content, so identical input gives identical bytes. */
export function writeId(doc: PDFDocument, hex: string): void {
  const id = PDFHexString.of(hex.slice(0, 32).toUpperCase());
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
}

function destination(pages: readonly PDFPage[], layout: PdfLayout, anchor: string): PDFArrayT | null {
  const a = layout.anchors[anchor];
  const page = a && pages[a.page];
  if (!a || !page) return null;
  return page.doc.context.obj([page.ref, PDFName.of('XYZ'), PDFNumber.of(0), PDFNumber.of(a.y), PDFNumber.of(0)]);
}

/**
 * The document outline (bookmarks). pdf-lib has no API for it, so the /Outlines tree is built
 * from dictionaries: First/Last/Next/Prev/Parent links and open /Count values.
 */
export function writeOutline(doc: PDFDocument, layout: PdfLayout): void {
  const ctx = doc.context;
  const pages = doc.getPages();
  const root = ctx.obj({ Type: 'Outlines' });
  const rootRef = ctx.register(root);

  const build = (items: readonly PdfOutlineItem[], parent: PDFDictT, parentRef: PDFRef): number => {
    const refs = items.map(() => ctx.nextRef());
    let count = 0;
    items.forEach((item, i) => {
      const dict = ctx.obj({});
      dict.set(PDFName.of('Title'), textString(item.title));
      dict.set(PDFName.of('Parent'), parentRef);
      const dest = destination(pages, layout, item.anchor);
      if (dest) dict.set(PDFName.of('Dest'), dest);
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < items.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      if (item.children.length) {
        // Sections start closed (negative count) so the outline reads as a contents list.
        const n = build(item.children, dict, refs[i]!);
        dict.set(PDFName.of('Count'), PDFNumber.of(-n));
      }
      ctx.assign(refs[i]!, dict);
      count += 1;
    });
    if (refs.length) {
      parent.set(PDFName.of('First'), refs[0]!);
      parent.set(PDFName.of('Last'), refs[refs.length - 1]!);
    }
    return count;
  };
  const visible = build(layout.outline, root, rootRef);
  root.set(PDFName.of('Count'), PDFNumber.of(visible));
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
}

/** Link annotations: external URIs and jumps to anchors (contents list). Print flag set, no border. */
export function writeLinks(doc: PDFDocument, layout: PdfLayout): void {
  const ctx = doc.context;
  const pages = doc.getPages();
  layout.pages.forEach((lp, i) => {
    const page = pages[i]!;
    for (const link of lp.links) {
      const annot = ctx.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: [link.x, link.y, link.x + link.w, link.y + link.h],
        Border: [0, 0, 0],
        F: 4,
      });
      if (link.href) {
        // URIs are 7-bit ASCII.
        annot.set(PDFName.of('A'), ctx.obj({ S: 'URI', URI: PDFString.of(encodeURI(decodeURIComponentSafe(link.href)).replace(/[\\()]/g, (c) => `\\${c}`)) }));
      } else if (link.dest) {
        const dest = destination(pages, layout, link.dest);
        if (!dest) continue;
        annot.set(PDFName.of('Dest'), dest);
      }
      page.node.addAnnot(ctx.register(annot));
    }
  });
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

/**
 * PDF/A-1 requires a /CIDSet in the FontDescriptor of every subset CIDFont. pdf-lib's subsets
 * number their glyphs 0..n with CIDToGIDMap /Identity, so the set is every CID up to the highest
 * one in the /W array. Call after `doc.flush()` so that the fonts exist.
 */
export function writeCidSets(doc: PDFDocument, fonts: readonly PDFFont[]): void {
  const ctx = doc.context;
  for (const font of fonts) {
    const type0 = ctx.lookup(font.ref, PDFDict);
    const cidFont = ctx.lookup(type0.lookup(PDFName.of('DescendantFonts'), PDFArray).get(0), PDFDict);
    const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict);
    const widths = cidFont.lookup(PDFName.of('W'), PDFArray);
    let maxCid = 0;
    for (let i = 0; i < widths.size(); i++) {
      const start = widths.lookup(i);
      const next = widths.lookup(i + 1);
      if (start instanceof PDFNumber && next instanceof PDFArray) {
        maxCid = Math.max(maxCid, start.asNumber() + next.size() - 1);
        i++;
      } else if (start instanceof PDFNumber && next instanceof PDFNumber) {
        maxCid = Math.max(maxCid, next.asNumber());
        i += 2;
      }
    }
    const bits = new Uint8Array(Math.ceil((maxCid + 1) / 8));
    for (let cid = 0; cid <= maxCid; cid++) bits[cid >> 3]! |= 0x80 >> (cid & 7);
    descriptor.set(PDFName.of('CIDSet'), ctx.register(ctx.stream(bits)));
  }
}

/**
 * pdf-lib always writes `%PDF-1.7`. The file uses nothing newer than PDF 1.4 (classic xref table,
 * no object or xref streams, no transparency), so it declares 1.4, the base of PDF/A-1. The
 * header has the same length, so no offset moves.
 */
export function declarePdf14(bytes: Uint8Array): Uint8Array {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 8));
  if (head !== '%PDF-1.7') throw new Error(`unexpected PDF header ${JSON.stringify(head)} from pdf-lib`);
  bytes[7] = 0x34;
  return bytes;
}
