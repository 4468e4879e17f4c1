import { Lexer, type Token, type Tokens } from 'marked';
import type { Block, Inline } from './model.js';

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

/** Parses a rendered clause body into typed blocks; sub-headings are numbered under `clauseNumber`. */
export function markdownToBlocks(markdown: string, clauseNumber: string): Block[] {
  const tokens = new Lexer({ gfm: true, breaks: false }).lex(markdown);
  return blocks(tokens, clauseNumber, { n: 0 });
}

/** Parses one line of Markdown into inline runs. */
export function markdownToInlines(markdown: string): Inline[] {
  const tokens = new Lexer({ gfm: true, breaks: false }).inlineTokens(markdown);
  return inlines(tokens);
}
