import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLiterals, markedBlocks, markedInlines, markdownToBlocks, plainParagraphs, simpleInlines } from '../src/assemble/markdown.js';
import { ROOT } from './support/tools.js';

/** Every clause text's body in the bundled libraries, its template syntax replaced as a build would: values by literal placeholders, blocks dropped. */
function clauseBodies(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(nb|nn|en)\.md$/.test(e.name)) {
        const text = readFileSync(full, 'utf8');
        const body = text.startsWith('---\n') ? text.slice(text.indexOf('\n---\n', 4) + 5) : text;
        const { wrap } = createLiterals();
        out.push(body.replace(/\{\{[#/][^}]*\}\}\n?/g, '').replace(/\{\{[^}]*\}\}/g, (m) => wrap(m)));
      }
    }
  };
  walk(path.join(ROOT, 'clauses'));
  walk(path.join(ROOT, 'examples', 'libraries'));
  return out;
}

describe('plain paragraphs, bullet lists and tables without marked', () => {
  it('give exactly what marked gives, for every clause body of the bundled libraries they accept', () => {
    const bodies = clauseBodies();
    expect(bodies.length).toBeGreaterThan(300);
    let accepted = 0;
    for (const body of bodies) {
      const plain = plainParagraphs(body);
      if (!plain) continue;
      accepted++;
      expect(plain, body).toEqual(markedBlocks(body, '1'));
    }
    // The shortcut is really taken: nearly every clause body is plain paragraphs, lists and tables.
    expect(accepted / bodies.length).toBeGreaterThan(0.9);
  });

  it('give exactly what marked gives for any text they accept, and refuse Markdown syntax', () => {
    const piece = fc.oneof(
      fc.constantFrom('Leverandøren', 'skal', 'data', 'æøå', 'ÆØÅ', '2023/2854', '(EU)', 'art. 25', '§ 14', '30 dager', '«sitat»', '–', 'ca.', '1.', '12)', 'a.b', 'x:y', 'e-post', 'http', 'NOK 5 000', '\u00a0', '\uFDD00\uFDD1'),
      fc.constantFrom(' ', '  ', '\n', '\n\n', '\n \n', '\n\n\n', ' \n', '\t', '\n- ', '\n\n- ', '- ', '\n-  ', '\n  - ', '\n-'),
      fc.constantFrom('*', '_', '`', '#', '>', '-', '+', '=', '|', '<', '&', '[', ']', '!', '~', '\\', '@', 'https://x.no', 'www.x.no', 'mailto:a', '\r'),
      // Simple spans and tables, and near misses of them.
      fc.constantFrom('**Dataformat**', '**ikke**:', '*Kundens data*', '`Content-Type`', '** x**', '**x **', '*x*y', 'a**b**', '**a*', '`a`b', '(**a**)', '**a**.', '*a b*', '`a b`', '**æ**'),
      fc.constantFrom('| A | B |\n| --- | --- |\n| x | y |', '| A |\n| :-: |\n| **b** |', '| A | B |\n| --- | ---: |', '| A | B |\n| --- |\n| x | y |', '|A|B|\n|-|-|\n|x|', '| a |', '|---|', '\n| a | b |', ' |', '| '),
      fc.string({ maxLength: 4 }),
    );
    const text = fc.array(piece, { minLength: 1, maxLength: 14 }).map((xs) => xs.join(''));
    let accepted = 0;
    fc.assert(
      fc.property(text, (t) => {
        const plain = plainParagraphs(t);
        if (plain) {
          accepted++;
          expect(plain).toEqual(markedBlocks(t, '1'));
        }
      }),
      { numRuns: 6000, seed: 20261201 },
    );
    expect(accepted).toBeGreaterThan(250);
    expect(plainParagraphs('Liste:\n\n- en\n- to\n\nSlutt.')).toEqual(markedBlocks('Liste:\n\n- en\n- to\n\nSlutt.', '1'));
    expect(plainParagraphs('Liste:\n\n- en\n- to')?.[1]?.type).toBe('list');
    for (const t of ['*a *', '**a**b', 'a\n- b', '# h', 'a  \nb', 'see https://x.no', 'a\n1. b', 'a\n===', '  a', 'a | b', 'x@y.no', 'a\\b', 'a\tb', '- a\n\n- b', '- a\nb', '- - a', '-  a', 'a\n- b']) expect(plainParagraphs(t), t).toBeNull();
  });

  it('give exactly what marked gives for generated paragraphs, lists and tables with spans, and accept many of them', () => {
    const word = fc.constantFrom('Leverandøren', 'skal', 'data', 'Kunden', '2027', 'EU', 'æøå', '(EU)', 'nr.', '§', '\uFDD07\uFDD1', 'x');
    const span = fc.oneof(word, word.map((w) => `**${w}**`), word.map((w) => `*${w}*`), word.map((w) => `\`${w}\``));
    const line = fc.array(fc.oneof(span, word), { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' ')).chain((l) => fc.constantFrom(l, `${l}:`, `${l}.`, `${l},`));
    const para = fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n'));
    const list = fc.array(line, { minLength: 1, maxLength: 4 }).map((ls) => ls.map((l) => `- ${l}`).join('\n'));
    const table = fc.integer({ min: 1, max: 3 }).chain((n) =>
      fc.tuple(fc.array(line, { minLength: n, maxLength: n }), fc.array(fc.constantFrom('---', ':--', '--:', ':-:'), { minLength: n, maxLength: n }), fc.array(fc.array(fc.oneof(line, fc.constant('')), { minLength: n, maxLength: n }), { maxLength: 3 })).map(
        ([h, d, rows]) => [h, d, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n'),
      ),
    );
    const doc = fc.array(fc.oneof(para, list, table), { minLength: 1, maxLength: 4 }).map((bs) => bs.join('\n\n'));
    // One line, as a requirement text is parsed: the same runs as marked's inline lexer.
    let inlineAccepted = 0;
    fc.assert(
      fc.property(fc.oneof(line, para), (t) => {
        const simple = simpleInlines(t);
        if (simple) {
          inlineAccepted++;
          expect(simple).toEqual(markedInlines(t));
        }
      }),
      { numRuns: 3000, seed: 20261203 },
    );
    expect(inlineAccepted).toBeGreaterThan(1000);
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(doc, (t) => {
        runs++;
        const plain = plainParagraphs(t);
        if (plain) {
          accepted++;
          expect(plain).toEqual(markedBlocks(t, '1'));
        }
      }),
      { numRuns: 3000, seed: 20261202 },
    );
    expect(accepted / runs).toBeGreaterThan(0.3);
  });

  it('are what markdownToBlocks returns, with the literal values put back', () => {
    const { wrap, restore } = createLiterals();
    const md = `Første ${wrap('*ikke kursiv* <b>')} linje\nandre linje.\n\nNytt avsnitt.`;
    expect(markdownToBlocks(md, '1', restore)).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'Første *ikke kursiv* <b> linje\nandre linje.' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'Nytt avsnitt.' }] },
    ]);
    expect(markdownToBlocks(md, '1', restore)).toEqual(markedBlocks(md, '1', restore));
  });
});
