import { createRequire } from 'node:module';
import type { Lexer as MarkedLexer, Token, Tokens } from 'marked';
import type { Block, Inline } from './model.js';

/**
 * marked, loaded on first use: nearly every clause body is taken apart without it (see
 * plainParagraphs), and loading it builds ~100 regular expressions. In the CLI bundle the plain
 * `require` is esbuild's, which runs the bundled copy lazily; run as ES modules (tests, tsc's
 * output), Node's require of an ES module does the same from node_modules.
 */
let lexerClass: typeof MarkedLexer | undefined;
function newLexer(): MarkedLexer {
  lexerClass ??= ((typeof require === 'function' ? require : createRequire(import.meta.url))('marked') as typeof import('marked')).Lexer;
  return new lexerClass({ gfm: true, breaks: false });
}

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
 * What makes text more than plain text to Markdown (GFM) inside a line: any character that starts
 * inline syntax (emphasis, code, links, images, autolinks, entities, escapes, HTML, strikethrough,
 * table cells), an e-mail or URL that GFM would link, tabs and carriage returns.
 */
const NOT_PLAIN_INLINE = /[*_`[\]!<>&\\~|@\t\r]|:\/\/|www\.|mailto:|xmpp:/i;
/**
 * ... and at the start of a line: block syntax (headings, quotes, list markers, ordered-list
 * numbers, setext underlines, rules, fences) or any white space (indented code, and the stripping
 * rules for indented continuation lines); at the end of a line, any white space (two spaces make a
 * hard break, and marked trims with `\s`, a no-break space too).
 */
const NOT_PLAIN_LINE = /^[ #>+=-]|^\d{1,9}[.)]|\n[ #>+=-]|\n\d{1,9}[.)]|\s\n|\s$|(?:^|\n)\s/;

/**
 * Strong, emphasis and code around plain text that neither starts nor ends with white space, with
 * white space, `(` or the start before and white space, `.,:;?)` or the end after: with only white
 * space or punctuation outside, CommonMark's flanking rules let the delimiters open and close
 * whatever the text inside starts and ends with.
 */
const SIMPLE_SPAN = /\*\*([^\s*`](?:[^*`\n]*[^\s*`])?)\*\*|\*([^\s*`](?:[^*`\n]*[^\s*`])?)\*|`([^\s`](?:[^`\n]*[^\s`])?)`/g;
const SPAN_BEFORE = /[\s(]/;
const SPAN_AFTER = /[\s.,:;?)]/;

/** Inline runs of text that is plain apart from simple spans (see SIMPLE_SPAN), or null. */
export function simpleInlines(text: string): Inline[] | null {
  if (NOT_PLAIN_LINE.test(text)) return null;
  const out: Inline[] = [];
  let at = 0;
  for (const m of text.matchAll(SIMPLE_SPAN)) {
    const before = text.slice(at, m.index);
    const inner = m[1] ?? m[2] ?? m[3]!;
    const prev = text[m.index - 1];
    const next = text[m.index + m[0].length];
    if (NOT_PLAIN_INLINE.test(before) || NOT_PLAIN_INLINE.test(inner)) return null;
    if ((prev !== undefined && !SPAN_BEFORE.test(prev)) || (next !== undefined && !SPAN_AFTER.test(next))) return null;
    pushText(out, before, {});
    if (m[1] !== undefined) pushText(out, inner, { bold: true });
    else if (m[2] !== undefined) pushText(out, inner, { italic: true });
    else pushText(out, inner, {}, true);
    at = m.index + m[0].length;
  }
  const rest = text.slice(at);
  if (NOT_PLAIN_INLINE.test(rest)) return null;
  pushText(out, rest, {});
  return out;
}

/** A chunk of lines that are all `- item`: a tight bullet list. */
const BULLETS = /^- [^\n]*(?:\n- [^\n]*)*$/;
/** A chunk of lines that all start and end with `|`, the second a delimiter row: a GFM table. */
const TABLE = /^\|[^\n]*\|\n\|(?: *:?-+:? *\|)+(?:\n\|[^\n]*\|)*$/;

function tableCells(line: string): string[] {
  return line.slice(1, -1).split('|').map((c) => c.trim());
}

/** A table whose rows all have the header's cell count and whose cells are simple (see simpleInlines), or null. */
function simpleTable(text: string): Block | null {
  const [head, delimiter, ...body] = text.split('\n');
  const header = tableCells(head!);
  const align = tableCells(delimiter!).map((d) => (d.startsWith(':') ? (d.endsWith(':') ? 'center' : 'left') : d.endsWith(':') ? 'right' : null));
  if (align.length !== header.length) return null;
  const rows = body.map(tableCells);
  if (rows.some((r) => r.length !== header.length)) return null;
  const cells = [header, ...rows].map((r) => r.map((c) => (c === '' ? [] : simpleInlines(c))));
  if (cells.some((r) => r.some((c) => c === null))) return null;
  const [h, ...rs] = cells as Inline[][][];
  return { type: 'table', header: h!, rows: rs, align };
}

/**
 * Plain paragraphs, simple bullet lists and simple tables, with simple strong, emphasis and code
 * inside (see simpleInlines), as marked gives them, without running marked: nearly all clause
 * bodies are just that, and marked's lexer (cold, in a one-off build) is the largest part of
 * assembling an appendix. Blank lines (empty or white space only) separate blocks; a paragraph's
 * lines stay joined by line breaks, as marked keeps them in its text. A block whose lines all start
 * with `- ` is a tight list, one line per item; two lists with only a blank line between are one
 * loose list to Markdown, so that is left to marked. A block whose lines all start and end with
 * `|`, with a delimiter row second and the same number of cells in every row, is a table. Null
 * when the text is anything else; test/markdown.test.ts checks that every answer it gives is the
 * one marked gives, on every clause body of the bundled libraries and on generated text.
 */
export function plainParagraphs(markdown: string): Block[] | null {
  const out: Block[] = [];
  for (const chunk of markdown.split(/\n(?:[ \t]*\n)+/)) {
    // Blank lines before a block go; after it only line breaks (marked keeps a last line of spaces).
    const text = chunk.replace(/^(?:[ \t]*\n)+/, '').replace(/\n+$/, '');
    if (!text) continue;
    if (BULLETS.test(text)) {
      if (out[out.length - 1]?.type === 'list') return null;
      const items = text.split('\n').map((line) => (line.length > 2 ? simpleInlines(line.slice(2)) : null));
      if (items.some((item) => item === null)) return null;
      out.push({ type: 'list', ordered: false, start: 1, items: (items as Inline[][]).map((content) => [{ type: 'paragraph', content }]) });
      continue;
    }
    if (TABLE.test(text)) {
      const table = NOT_PLAIN_LINE.test(text) ? null : simpleTable(text);
      if (!table) return null;
      out.push(table);
      continue;
    }
    const content = simpleInlines(text);
    if (!content) return null;
    out.push({ type: 'paragraph', content });
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
  const tokens = newLexer().lex(markdown);
  return blocks(tokens, clauseNumber, { n: 0 }).map((b) => restoreBlock(b, restore));
}

/** Parses one line of Markdown into inline runs (without marked when it is simple, see simpleInlines). */
export function markdownToInlines(markdown: string, restore: Restore = identity): Inline[] {
  return restoreRuns(simpleInlines(markdown) ?? markedInlines(markdown), restore);
}

/** The same through marked's inline lexer (exported for the test that compares the two). */
export function markedInlines(markdown: string): Inline[] {
  return inlines(newLexer().inlineTokens(markdown));
}
