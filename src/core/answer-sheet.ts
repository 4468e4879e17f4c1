import { createHash } from 'node:crypto';

/**
 * The answer sheet: what an appendix's requirements table carries so that a supplier's filled-in copy can be read
 * back (`dataklausul evaluate`). Shared by the model builder (digests), the DOCX and CSV writers and the readers.
 */

/** The namespace of the custom XML part in the DOCX (and the marker of the CSV sheet's identity line). */
export const ANSWER_SHEET_NS = 'urn:dataklausul:answer-sheet:1';
/** The first cell of a CSV answer sheet's identity line. */
export const CSV_SHEET_MARK = 'dataklausul-answer-sheet';

/** Characters a spreadsheet reads as the start of a formula; a cell starting with one is written with a leading `'`. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The form of a requirement text that is digested: Unicode NFC, whitespace (also no-break spaces) collapsed to one
 * space, trimmed; a `'` that a spreadsheet put before a formula character is dropped. Layout differences (a line break
 * Word put in, split runs, extra spaces) so never count as a change of wording; a changed word does.
 */
export function normalizeRequirementText(text: string): string {
  const t = text.normalize('NFC').replace(/[\s\u00a0\u2007\u202f]+/gu, ' ').trim();
  return t.startsWith("'") && FORMULA_START.test(t.slice(1)) ? t.slice(1) : t;
}

/** SHA-256 (hex) of a requirement's normalised text. */
export function requirementDigest(text: string): string {
  return createHash('sha256').update(normalizeRequirementText(text), 'utf8').digest('hex');
}

/**
 * The requirement text in the table's text column is followed by the clause number, "… (1.7)". Removes that number
 * (the given one, or any number in parentheses at the end) so the text can be digested.
 */
export function stripClauseNumber(cell: string, number?: string): string {
  const t = normalizeRequirementText(cell);
  if (number !== undefined && t.endsWith(`(${number})`)) return t.slice(0, -(number.length + 2)).trimEnd();
  return t.replace(/\s*\(\d+(?:\.\d+)*\)$/, '');
}

export type AnswerValue = 'yes' | 'no' | 'partly';
export interface AnswerWords {
  yes: string;
  no: string;
  partly: string;
}

export interface ParsedAnswer {
  /** `empty`: nothing written; `unclear`: text that does not start with an answer word. */
  value: AnswerValue | 'empty' | 'unclear';
  /** What follows the answer word (or the whole text when unclear), normalised. */
  comment: string;
}

/**
 * Reads an answer cell: its first word is the answer in any of the languages' vocabularies (case does not matter, nor
 * punctuation after it: "Ja.", "Delvis:", "YES – see …"); the rest is the comment.
 */
export function parseAnswer(text: string, vocabularies: readonly AnswerWords[]): ParsedAnswer {
  const t = normalizeRequirementText(text);
  if (!t) return { value: 'empty', comment: '' };
  const m = /^([\p{L}]+)(.*)$/su.exec(t);
  if (m) {
    const word = m[1]!.toLocaleLowerCase('nb');
    for (const v of vocabularies) {
      for (const key of ['yes', 'no', 'partly'] as const) {
        if (v[key].toLocaleLowerCase('nb') === word) return { value: key, comment: m[2]!.replace(/^[\s.,:;!–—-]+/u, '').trim() };
      }
    }
  }
  return { value: 'unclear', comment: t };
}
