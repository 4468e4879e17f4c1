import { Lexer, type Token, type Tokens } from 'marked';
import type { Block, Inline } from './model.js';

/** Puts the literal values back into text; identity when there are none. */
export type Restore = (text: string) => string;
const identity: Restore = (t) => t;

const OPEN = '\uFDD0';
const CLOSE = '\uFDD1';
const PLACEHOLDER = /\uFDD0(\d+)\uFDD1/g;

/**
 * Literal values for templates: `wrap` stores a printed value and returns a placeholder of two
 * Unicode noncharacters around its number (nothing in Markdown reacts to them); `restore` puts
 * the values back into parsed text, line breaks as spaces so a value stays in its paragraph.
 * Any stray noncharacter is dropped.
 */
export function createLiterals(): { wrap: (value: string) => string; restore: Restore } {
  const values: string[] = [];
  return {
    wrap: (value) => `${OPEN}${values.push(value) - 1}${CLOSE}`,
    restore: (text) =>
      text.includes(OPEN) || text.includes(CLOSE)
        ? text.replace(PLACEHOLDER, (_m, i: string) => (values[Number(i)] ?? '').replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ')).replace(/[\uFDD0\uFDD1]/g, '')
        : text,
  };
}

/** Link schemes a clause library may use; any other link is shown as its text. */
export const LINK_SCHEMES = ['https', 'http', 'mailto'] as const;
export function allowedHref(href: string): boolean {
  const m = /^\s*([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(href);
  return !!m && (LINK_SCHEMES as readonly string[]).includes(m[1]!.toLowerCase());
}

interface Style {
  bold?: boolean;
  italic?: boolean;
}

function pushText(out: Inline[], text: string, style: Style, code = false): void {
  if (!text) return;
  const prev = out[out.length - 1];
  if (prev && prev.type === 'text' && !!prev.bold === !!style.bold && !!prev.italic === !!style.italic && !!prev.code === code) {
    prev.text += text;
    return;
  }
  const run: Inline = { type: 'text', text };
  if (style.bold) run.bold = true;
  if (style.italic) run.italic = true;
  if (code) run.code = true;
  out.push(run);
}

/** Marked escapes nothing in lexer output except entities it decodes here; keep the text literal. */
function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _m);
}

function inlines(tokens: readonly Token[] | undefined, style: Style = {}, out: Inline[] = []): Inline[] {
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        inlines((t as Tokens.Strong).tokens, { ...style, bold: true }, out);
        break;
      case 'em':
        inlines((t as Tokens.Em).tokens, { ...style, italic: true }, out);
        break;
      case 'codespan':
        pushText(out, decodeEntities((t as Tokens.Codespan).text), style, true);
        break;
      case 'br':
        out.push({ type: 'break' });
        break;
      case 'link': {
        const l = t as Tokens.Link;
        const text = inlines(l.tokens).map((r) => (r.type === 'break' ? ' ' : r.text)).join('');
        const run: Inline = { type: 'link', text, href: l.href };
        if (style.bold) run.bold = true;
        if (style.italic) run.italic = true;
        out.push(run);
        break;
      }
      case 'text': {
        const tt = t as Tokens.Text;
        if (tt.tokens && tt.tokens.length) inlines(tt.tokens, style, out);
        else pushText(out, decodeEntities(tt.text), style);
        break;
      }
      case 'escape':
        pushText(out, (t as Tokens.Escape).text, style);
        break;
      case 'del':
        inlines((t as Tokens.Del).tokens, style, out);
        break;
      default:
        // Inline HTML and anything unexpected is shown as the literal text it was written as.
        pushText(out, t.raw, style);
    }
  }
  return out;
}

/** Plain text of inline runs, e.g. for table cells in formats without styling. */
export function plainText(runs: readonly Inline[]): string {
  return runs.map((r) => (r.type === 'break' ? '\n' : r.text)).join('');
}

function blocks(tokens: readonly Token[], numberPrefix: string, counter: { n: number }): Block[] {
  const out: Block[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
      case 'hr':
      case 'def':
        break;
      case 'paragraph':
        out.push({ type: 'paragraph', content: inlines((t as Tokens.Paragraph).tokens) });
        break;
      case 'text': {
        const tt = t as Tokens.Text;
        out.push({ type: 'paragraph', content: tt.tokens ? inlines(tt.tokens) : [{ type: 'text', text: decodeEntities(tt.text) }] });
        break;
      }
      case 'heading':
        counter.n += 1;
        out.push({ type: 'heading', number: `${numberPrefix}.${counter.n}`, content: inlines((t as Tokens.Heading).tokens) });
        break;
      case 'list': {
        const l = t as Tokens.List;
        out.push({
          type: 'list',
          ordered: l.ordered,
          start: typeof l.start === 'number' ? l.start : 1,
          items: l.items.map((item) => blocks(item.tokens, numberPrefix, counter)),
        });
        break;
      }
      case 'table': {
        const tb = t as Tokens.Table;
        out.push({
          type: 'table',
          header: tb.header.map((c) => inlines(c.tokens)),
          rows: tb.rows.map((r) => r.map((c) => inlines(c.tokens))),
          align: tb.align.map((a) => a ?? null),
        });
        break;
      }
      case 'blockquote':
        out.push(...blocks((t as Tokens.Blockquote).tokens, numberPrefix, counter));
        break;
      case 'code':
        out.push({ type: 'paragraph', content: [{ type: 'text', text: (t as Tokens.Code).text, code: true }] });
        break;
      default:
        out.push({ type: 'paragraph', content: [{ type: 'text', text: t.raw.trim() }] });
    }
  }
  return out;
}

/** Puts literal values back into every run, and turns a link with a scheme not allowed into its text. */
function restoreRuns(runs: Inline[], restore: Restore): Inline[] {
  const out: Inline[] = [];
  for (const r of runs) {
    if (r.type === 'break') out.push(r);
    else if (r.type === 'link') {
      const href = restore(r.href);
      const text = restore(r.text);
      if (allowedHref(href)) out.push({ ...r, text, href });
      else out.push({ type: 'text', text, ...(r.bold ? { bold: true } : {}), ...(r.italic ? { italic: true } : {}) });
    } else out.push({ ...r, text: restore(r.text) });
  }
  return out;
}

function restoreBlock(b: Block, restore: Restore): Block {
  switch (b.type) {
    case 'paragraph':
    case 'heading':
      return { ...b, content: restoreRuns(b.content, restore) };
    case 'list':
      return { ...b, items: b.items.map((item) => item.map((x) => restoreBlock(x, restore))) };
    case 'table':
      return { ...b, header: b.header.map((c) => restoreRuns(c, restore)), rows: b.rows.map((r) => r.map((c) => restoreRuns(c, restore))) };
  }
}

/**
 * What makes text more than plain paragraphs to Markdown (GFM): any character that starts inline
 * syntax (emphasis, code, links, images, autolinks, entities, escapes, HTML, strikethrough,
 * tables), an e-mail or URL that GFM would link, and, at the start of a line, block syntax (headings,
 * quotes, list markers, ordered-list numbers, setext underlines, rules, fences) or any white space
 * (indented code, and the stripping rules for indented continuation lines). Trailing white space is
 * excluded too (two spaces make a hard break), as are tabs and carriage returns, and any other
 * white space (a no-break space, say) at the start or end of a line: marked trims with `\s`.
 */
const NOT_PLAIN = /[*_`[\]!<>&\\~|@\t\r]|:\/\/|www\.|mailto:|xmpp:|^[ #>+=-]|^\d{1,9}[.)]|\n[ #>+=-]|\n\d{1,9}[.)]|\s\n|\s$|(?:^|\n)\s/i;

/** A chunk of lines that are all `- item`: a tight bullet list. */
const BULLETS = /^- [^\n]*(?:\n- [^\n]*)*$/;

/**
 * Plain paragraphs and simple bullet lists, as marked gives them, without running marked: most
 * clause bodies are just that, and marked's lexer is the largest part of assembling an appendix.
 * Blank lines (empty or white space only) separate blocks; a paragraph's lines stay joined by line
 * breaks, as marked keeps them in its text. A block whose lines all start with `- ` is a tight list
 * of plain items, one line each; two lists with only a blank line between are one loose list to
 * Markdown, so that is left to marked. Null when the text is anything else (see NOT_PLAIN);
 * test/markdown.test.ts checks that every answer it gives is the one marked gives.
 */
export function plainParagraphs(markdown: string): Block[] | null {
  const out: Block[] = [];
  for (const chunk of markdown.split(/\n(?:[ \t]*\n)+/)) {
    // Blank lines before a block go; after it only line breaks (marked keeps a last line of spaces).
    const text = chunk.replace(/^(?:[ \t]*\n)+/, '').replace(/\n+$/, '');
    if (!text) continue;
    if (BULLETS.test(text)) {
      if (out[out.length - 1]?.type === 'list') return null;
      const items = text.split('\n').map((line) => line.slice(2));
      if (items.some((item) => !item || NOT_PLAIN.test(item))) return null;
      out.push({ type: 'list', ordered: false, start: 1, items: items.map((item) => [{ type: 'paragraph', content: [{ type: 'text', text: item }] }]) });
      continue;
    }
    if (NOT_PLAIN.test(text)) return null;
    out.push({ type: 'paragraph', content: [{ type: 'text', text }] });
  }
  return out;
}

/** Parses a rendered clause body into typed blocks; sub-headings are numbered under `clauseNumber`. */
export function markdownToBlocks(markdown: string, clauseNumber: string, restore: Restore = identity): Block[] {
  const plain = plainParagraphs(markdown);
  if (plain) return plain.map((b) => restoreBlock(b, restore));
  return markedBlocks(markdown, clauseNumber, restore);
}

/** The same through marked's lexer, for any Markdown (exported for the test that compares the two). */
export function markedBlocks(markdown: string, clauseNumber: string, restore: Restore = identity): Block[] {
  const tokens = new Lexer({ gfm: true, breaks: false }).lex(markdown);
  return blocks(tokens, clauseNumber, { n: 0 }).map((b) => restoreBlock(b, restore));
}

/** Parses one line of Markdown into inline runs. */
export function markdownToInlines(markdown: string, restore: Restore = identity): Inline[] {
  const tokens = new Lexer({ gfm: true, breaks: false }).inlineTokens(markdown);
  return restoreRuns(inlines(tokens), restore);
}
