import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLiterals, markedBlocks, markdownToBlocks, plainParagraphs } from '../src/assemble/markdown.js';
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

describe('plain paragraphs and bullet lists without marked', () => {
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
    // The shortcut is really taken: most clause bodies are plain paragraphs and lists.
    expect(accepted / bodies.length).toBeGreaterThan(0.75);
  });

  it('give exactly what marked gives for any text they accept, and refuse Markdown syntax', () => {
    const piece = fc.oneof(
      fc.constantFrom('Leverandøren', 'skal', 'data', 'æøå', 'ÆØÅ', '2023/2854', '(EU)', 'art. 25', '§ 14', '30 dager', '«sitat»', '–', 'ca.', '1.', '12)', 'a.b', 'x:y', 'e-post', 'http', 'NOK 5 000', '\u00a0', '\uFDD00\uFDD1'),
      fc.constantFrom(' ', '  ', '\n', '\n\n', '\n \n', '\n\n\n', ' \n', '\t', '\n- ', '\n\n- ', '- ', '\n-  ', '\n  - ', '\n-'),
      fc.constantFrom('*', '_', '`', '#', '>', '-', '+', '=', '|', '<', '&', '[', ']', '!', '~', '\\', '@', 'https://x.no', 'www.x.no', 'mailto:a', '\r'),
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
      { numRuns: 3000, seed: 20261201 },
    );
    expect(accepted).toBeGreaterThan(200);
    expect(plainParagraphs('Liste:\n\n- en\n- to\n\nSlutt.')).toEqual(markedBlocks('Liste:\n\n- en\n- to\n\nSlutt.', '1'));
    expect(plainParagraphs('Liste:\n\n- en\n- to')?.[1]?.type).toBe('list');
    for (const t of ['*a*', 'a\n- b', '# h', 'a  \nb', 'see https://x.no', 'a\n1. b', 'a\n===', '  a', 'a | b', 'x@y.no', 'a\\b', 'a\tb', '- a\n\n- b', '- a\nb', '- - a', '-  a', 'a\n- b']) expect(plainParagraphs(t), t).toBeNull();
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
