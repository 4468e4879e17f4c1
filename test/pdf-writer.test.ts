import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { array, dict, literal, name, num, PdfWriter, ref, textString } from '../src/render/pdf/writer.js';
import { hasCommand, requireTool } from './support/tools.js';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('PDF syntax helpers', () => {
  it('writes numbers with at most three decimals, no exponent and no "-0" (as the content streams always had)', () => {
    const before = (v: number) => {
      const s = (Math.round(v * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '');
      return s === '-0' ? '0' : s;
    };
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => num(v) === before(v)));
    expect([num(595.28), num(841.89), num(-0.0001), num(10), num(0.1 + 0.2), num(542.8900000000001)]).toEqual(['595.28', '841.89', '0', '10', '0.3', '542.89']);
  });

  it('escapes names, literal strings and text strings', () => {
    expect(name('KQWJNA+DejaVuSans')).toBe('/KQWJNA+DejaVuSans');
    expect(name('A B#(/)%')).toBe('/A#20B#23#28#2F#29#25');
    expect(literal('a(b)\\c\n\x7f')).toBe('(a\\(b\\)\\\\c\\012\\177)');
    expect(() => literal('ø€')).toThrow(/U\+00FF/);
    expect(textString('nb-NO')).toBe('(nb-NO)');
    expect(textString('Datavilkår')).toBe('<FEFF004400610074006100760069006C006B00E50072>');
    expect(textString('\u{1F600}')).toBe('<FEFFD83DDE00>');
    expect(dict({ Type: '/Page', Skipped: undefined, Kids: array([ref(3), ref(4)]) })).toBe('<< /Type /Page /Kids [3 0 R 4 0 R] >>');
  });
});

/** A one-page PDF made with the writer alone. */
function tinyPdf(): Uint8Array {
  const w = new PdfWriter();
  const catalog = w.alloc();
  const pages = w.alloc();
  const page = w.alloc();
  const content = w.stream({}, '0 0 1 rg 10 10 100 100 re f');
  const xmp = w.stream({ Type: '/Metadata', Subtype: '/XML' }, new TextEncoder().encode('<x>æ</x>'), { compress: false });
  w.set(page, dict({ Type: '/Page', Parent: ref(pages), MediaBox: '[0 0 200 200]', Resources: '<< >>', Contents: ref(content) }));
  w.set(pages, dict({ Type: '/Pages', Kids: array([ref(page)]), Count: '1' }));
  w.set(catalog, dict({ Type: '/Catalog', Pages: ref(pages), Metadata: ref(xmp) }));
  const info = w.add(dict({ Title: textString('Prøve (1)') }));
  return w.finish(catalog, info, '0123456789abcdef0123456789abcdef');
}

describe('PdfWriter', () => {
  it('writes a 1.4 header with a binary comment, an xref table whose every entry points at its object, and the trailer', () => {
    const bytes = tinyPdf();
    const text = latin1(bytes);
    expect(text.startsWith('%PDF-1.4\n%')).toBe(true);
    expect([...bytes.subarray(10, 14)].every((b) => b > 127)).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!.map(Number);
    expect(first).toBe(0);
    const entries = text.slice(startxref).split('\n').slice(2, 2 + count!);
    expect(entries[0]).toBe('0000000000 65535 f ');
    entries.slice(1).forEach((e, i) => {
      expect(e).toMatch(/^\d{10} 00000 n $/);
      expect(`${e}\n`.length).toBe(20);
      const at = Number(e.slice(0, 10));
      expect(text.slice(at, at + `${i + 1} 0 obj\n`.length)).toBe(`${i + 1} 0 obj\n`);
    });
    expect(text).toContain(`/Size ${count} /Root 1 0 R /Info 6 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]`);
    expect(text).not.toMatch(/ObjStm|XRefStm/);
  });

  it('compresses streams with Flate and /Length, except those told not to (XMP stays plain UTF-8)', () => {
    const text = latin1(tinyPdf());
    const m = /<< \/Length (\d+) \/Filter \/FlateDecode >>\nstream\n/.exec(text)!;
    const data = Buffer.from(text.slice(m.index + m[0].length, m.index + m[0].length + Number(m[1])), 'latin1');
    expect(inflateSync(data).toString('latin1')).toBe('0 0 1 rg 10 10 100 100 re f');
    expect(text.slice(m.index + m[0].length + Number(m[1]))).toMatch(/^\nendstream\nendobj\n/);
    expect(text).toContain(`<< /Type /Metadata /Subtype /XML /Length ${'<x>æ</x>'.length + 1} >>\nstream\n${Buffer.from('<x>æ</x>').toString('latin1')}\nendstream`);
  });

  it('refuses an object written twice or reserved and never written', () => {
    const w = new PdfWriter();
    const n = w.add('<< >>');
    expect(() => w.set(n, '<< >>')).toThrow(/written twice/);
    w.alloc();
    expect(() => w.finish(n, n, '00'.repeat(16))).toThrow(/never written/);
  });

  it('is read without complaint by qpdf', () => {
    if (!requireTool('qpdf', hasCommand('qpdf'))) return;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dk-pdf-writer-')), 'tiny.pdf');
    writeFileSync(file, tinyPdf());
    const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
  });
});
