import type { AvoidedVariant, ModalWords, Term } from './schema.js';

/**
 * Word checks on clause text: literal modal verbs where `{{shall}}` belongs, and avoided variants of
 * the house terms (`terms.yaml`). Pure; used by lint on templates and by tests on rendered text.
 *
 * Quotations are exempt from both checks: text inside «…» (nb, nn) or “…” (en) is someone else's
 * wording, typically a statute quoted verbatim, and keeps its own modal verbs and terms.
 */

export interface WordHit {
  /** The text as found. */
  text: string;
  /** 1-based line within the scanned text. */
  line: number;
}

const LETTER = '[\\p{L}\\p{N}]';

/** Replaces every `{{…}}` tag by spaces (keeping line breaks), so that only literal text is scanned. */
export function maskTemplateTags(source: string): string {
  return source.replace(/\{\{\{?[\s\S]*?\}?\}\}/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Replaces the inside of every quotation, «…» or “…”, by spaces (keeping line breaks). */
export function maskQuotations(text: string): string {
  return text.replace(/«[^»]*»|“[^”]*”/g, (m) => m.replace(/[^\n]/g, ' '));
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every modal word (any level, any language) of the given table, as one regular expression. */
export function modalPattern(modal: Iterable<ModalWords>): RegExp {
  const words = new Set<string>();
  for (const m of modal) {
    words.add(m.skal.toLowerCase());
    words.add(m.bør.toLowerCase());
  }
  const alt = [...words].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  return new RegExp(`(?<!${LETTER})(?:${alt})(?!${LETTER})`, 'giu');
}

/** Literal modal words in text (already free of template tags), outside quotations. */
export function findModals(text: string, pattern: RegExp): WordHit[] {
  const masked = maskQuotations(text);
  const out: WordHit[] = [];
  for (const m of masked.matchAll(new RegExp(pattern.source, pattern.flags))) out.push({ text: m[0], line: lineAt(masked, m.index ?? 0) });
  return out;
}

export interface AvoidedHit extends WordHit {
  term: Term;
  /** What to write instead. */
  say: string;
}

function variantPattern(v: AvoidedVariant): { re: RegExp; say?: string } {
  if (typeof v !== 'string') return { re: new RegExp(v.pattern, 'gu'), say: v.say };
  const first = v.charAt(0);
  const head = first.toLowerCase() !== first.toUpperCase() && first === first.toLowerCase() ? `[${first}${first.toUpperCase()}]` : escapeRegExp(first);
  return { re: new RegExp(`(?<!${LETTER})${head}${escapeRegExp(v.slice(1))}(?!${LETTER})`, 'gu') };
}

const compiled = new WeakMap<Term, Map<string, Array<{ re: RegExp; say?: string }>>>();

/** Avoided variants of the house terms in text of one language (already free of template tags), outside quotations. */
export function findAvoidedTerms(text: string, lang: string, terms: readonly Term[]): AvoidedHit[] {
  const masked = maskQuotations(text);
  const out: AvoidedHit[] = [];
  for (const term of terms) {
    let byLang = compiled.get(term);
    if (!byLang) compiled.set(term, (byLang = new Map()));
    let variants = byLang.get(lang);
    if (!variants) byLang.set(lang, (variants = (term.avoid[lang] ?? []).map(variantPattern)));
    for (const v of variants) {
      v.re.lastIndex = 0;
      for (const m of masked.matchAll(v.re)) {
        out.push({ text: m[0], line: lineAt(masked, m.index ?? 0), term, say: v.say ?? term.preferred[lang] ?? term.id });
      }
    }
  }
  return out.sort((a, b) => a.line - b.line);
}
