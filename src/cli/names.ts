import { ANSWER_PATHS, readPath } from '../core/answers.js';
import { TOPICS } from '../core/topics.js';
import { UsageError } from '../library/problems.js';

/**
 * Output names for `batch --name "{buyer.orgNumber}-{procurement.reference}"`: each `{answer.path}`
 * is replaced by that answer's value, made safe for a file name (letters, digits, `.`, `_` and `-`;
 * anything else becomes `-`, so "2027/0142" gives "2027-0142").
 */

const PLACEHOLDER = /\{([^{}]*)\}/g;

function placeholderPath(p: string): boolean {
  const known = ANSWER_PATHS[p];
  if (known) return known.kind !== 'list' && known.kind !== 'record';
  const level = /^requirementLevels\.(.+)$/.exec(p);
  return !!level && (TOPICS as readonly string[]).includes(level[1]!);
}

/** Checks a pattern and returns the answer paths it reads. Wrong patterns are a usage error. */
export function parseNamePattern(pattern: string): string[] {
  if (!pattern.trim()) throw new UsageError('--name: the pattern is empty; e.g. --name "{buyer.orgNumber}-{procurement.reference}"');
  if (/[/\\]/.test(pattern)) throw new UsageError(`--name: "${pattern}" contains a path separator; the pattern names files inside --out, e.g. "{buyer.orgNumber}"`);
  const paths = [...pattern.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim());
  if (/[{}]/.test(pattern.replace(PLACEHOLDER, ''))) throw new UsageError(`--name: "${pattern}" has an unmatched { or }; write placeholders as {answer.path}`);
  const bad = paths.filter((p) => !placeholderPath(p));
  if (bad.length) {
    throw new UsageError(
      `--name: ${bad.map((b) => `{${b}}`).join(', ')} ${bad.length === 1 ? 'is not an answer' : 'are not answers'} with one value; use e.g. {buyer.orgNumber}, {buyer.name}, {procurement.reference}, {procurement.title}`,
    );
  }
  return paths;
}

/** Makes a value safe as part of a file name. */
export function safeNamePart(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** The name for one appendix's answers, or why the pattern gives none. */
export function applyNamePattern(pattern: string, answers: unknown): { name: string } | { error: string } {
  const missing: string[] = [];
  const name = pattern.replace(PLACEHOLDER, (_, raw: string) => {
    const p = raw.trim();
    const v = readPath(answers, p);
    const part = v === undefined || v === null ? '' : safeNamePart(String(v));
    if (!part) missing.push(p);
    return part;
  });
  if (missing.length) return { error: `--name: ${missing.map((m) => `{${m}}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} empty for these answers` };
  if (name.startsWith('.') || !name.trim()) return { error: `--name: the name "${name}" is not a usable file name` };
  return { name };
}

/** The key under which two names collide: case and Unicode form folded, as on macOS and Windows. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
