import type { PdfLayout, PdfOutlineItem } from './layout.js';
import { array, dict, literal, num, ref, textString, type PdfWriter } from './writer.js';

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

/** The Info dictionary and the XMP metadata stream (unfiltered, as PDF/A-1 requires), with the same values. */
export function writeMetadata(w: PdfWriter, meta: PdfMetadata): { info: number; metadata: number } {
  const info = w.add(
    dict({
      Title: textString(meta.title),
      Author: textString(meta.author),
      Subject: textString(meta.subject),
      Keywords: textString(meta.keywords),
      Creator: textString(meta.creator),
      Producer: textString(meta.producer),
      CreationDate: literal(pdfDate(meta.date)),
      ModDate: literal(pdfDate(meta.date)),
    }),
  );
  const metadata = w.stream({ Type: '/Metadata', Subtype: '/XML' }, new TextEncoder().encode(buildXmp(meta)), { compress: false });
  return { info, metadata };
}

/**
 * The sRGB output intent (GTS_PDFA1) with the embedded ICC v2 profile, given already deflated
 * (it is the same for every document). Returns the intent's object number.
 */
export function writeOutputIntent(w: PdfWriter, deflatedIcc: Uint8Array): number {
  const profile = w.stream({ N: '3' }, deflatedIcc, { deflated: true });
  return w.add(
    dict({
      Type: '/OutputIntent',
      S: '/GTS_PDFA1',
      OutputConditionIdentifier: literal('sRGB IEC61966-2.1'),
      RegistryName: literal('http://www.color.org'),
      Info: literal('sRGB IEC61966-2.1'),
      DestOutputProfile: ref(profile),
    }),
  );
}

function destination(pageRefs: readonly number[], layout: PdfLayout, anchor: string): string | undefined {
  const a = layout.anchors[anchor];
  const page = a && pageRefs[a.page];
  if (!a || page === undefined) return undefined;
  return array([ref(page), '/XYZ', '0', num(a.y), '0']);
}

/**
 * The document outline (bookmarks): the /Outlines tree with First/Last/Next/Prev/Parent links
 * and /Count values. Returns the root's object number.
 */
export function writeOutline(w: PdfWriter, layout: PdfLayout, pageRefs: readonly number[]): number {
  const root = w.alloc();
  const build = (items: readonly PdfOutlineItem[], parent: number): { first?: number; last?: number; count: number } => {
    const nums = items.map(() => w.alloc());
    items.forEach((item, i) => {
      const entries: Record<string, string | undefined> = {
        Title: textString(item.title),
        Parent: ref(parent),
        Dest: destination(pageRefs, layout, item.anchor),
        Prev: i > 0 ? ref(nums[i - 1]!) : undefined,
        Next: i < items.length - 1 ? ref(nums[i + 1]!) : undefined,
      };
      if (item.children.length) {
        const kids = build(item.children, nums[i]!);
        entries.First = ref(kids.first!);
        entries.Last = ref(kids.last!);
        // Sections start closed (negative count) so the outline reads as a contents list.
        entries.Count = String(-kids.count);
      }
      w.set(nums[i]!, dict(entries));
    });
    return { first: nums[0], last: nums[nums.length - 1], count: items.length };
  };
  const top = build(layout.outline, root);
  w.set(root, dict({ Type: '/Outlines', First: top.first === undefined ? undefined : ref(top.first), Last: top.last === undefined ? undefined : ref(top.last), Count: String(top.count) }));
  return root;
}

/**
 * Link annotations of each page: external URIs and jumps to anchors (contents list), print flag
 * set, no border. Returns the annotations' object numbers per page.
 */
export function writeLinks(w: PdfWriter, layout: PdfLayout, pageRefs: readonly number[]): number[][] {
  return layout.pages.map((lp) => {
    const annots: number[] = [];
    for (const link of lp.links) {
      let target: Record<string, string | undefined>;
      if (link.href) {
        // URIs are 7-bit ASCII.
        target = { A: dict({ S: '/URI', URI: literal(encodeURI(decodeURISafe(link.href))) }) };
      } else if (link.dest) {
        const dest = destination(pageRefs, layout, link.dest);
        if (!dest) continue;
        target = { Dest: dest };
      } else continue;
      annots.push(
        w.add(
          dict({
            Type: '/Annot',
            Subtype: '/Link',
            Rect: array([link.x, link.y, link.x + link.w, link.y + link.h].map(num)),
            Border: '[0 0 0]',
            F: '4',
            ...target,
          }),
        ),
      );
    }
    return annots;
  });
}

function decodeURISafe(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

/**
 * The /CIDSet of a subset CIDFont (PDF/A-1 6.3.5: it identifies every CID present in the font
 * program). The subsets number their glyphs 0..n-1 with CIDToGIDMap /Identity, so all n bits are set.
 */
export function cidSet(count: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(count / 8));
  for (let cid = 0; cid < count; cid++) bits[cid >> 3]! |= 0x80 >> (cid & 7);
  return bits;
}
