import type { FormatEntry } from '../library/schema.js';
import { localName } from '../core/format-kinds.js';
import type { I18n } from '../core/i18n.js';
import type { TemplateHelper } from './template.js';
import type { ClauseHelper } from '../library/template-vars.js';

function groupDigits(n: number, sep: string): string {
  const [int, frac] = Math.abs(n).toString().split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** Number with the language's digit grouping: 25 000 (nb) / 25,000 (en). */
export function formatNumber(n: number, i18n: I18n): string {
  const s = groupDigits(n, i18n.format.thousandsSeparator);
  return s.replace('.', i18n.format.decimalSeparator);
}

export function formatAmount(n: number, i18n: I18n): string {
  return i18n.format.amount.replace('{n}', formatNumber(n, i18n));
}

export function formatDate(iso: string, i18n: I18n): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  const month = i18n.format.months[Number(m[2]) - 1];
  return i18n.format.date.replace('{d}', String(Number(m[3]))).replace('{month}', month ?? m[2]!).replace('{y}', m[1]!);
}

export function formatList(items: readonly string[], i18n: I18n): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${i18n.format.conjunction} ${items[items.length - 1]}`;
}

export function formatDuration(n: number, unit: string, i18n: I18n): string {
  const words = i18n.format.units[unit];
  if (!words) throw new Error(`unknown duration unit "${unit}" (use days, working-days, months or hours)`);
  return `${formatNumber(n, i18n)}\u00a0${n === 1 ? words[0] : words[1]}`;
}

function asNumber(v: unknown, helper: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new Error(`${helper} needs a number, got ${JSON.stringify(v)}`);
}
function asList(v: unknown, helper: string): string[] {
  if (Array.isArray(v)) return v.map(String);
  throw new Error(`${helper} needs a list, got ${JSON.stringify(v)}`);
}

/**
 * The helpers a clause template may call, for one language and one requirement level. No others
 * exist: `eq` for comparisons in `{{#if}}`, formatting helpers that follow the language's rules, and
 * `shall`/`Shall`, which write `modalWord` (the clause's effective level in this language).
 * `formatList` writes each format's registry name in `lang`.
 */
export function createHelpers(i18n: I18n, formats: ReadonlyMap<string, FormatEntry>, modalWord: string, lang = i18n.langTag.split('-')[0]!): Record<ClauseHelper, TemplateHelper> {
  return {
    shall: () => modalWord,
    Shall: () => modalWord.charAt(0).toLocaleUpperCase(i18n.langTag) + modalWord.slice(1),
    duration: (n, unit) => formatDuration(asNumber(n, 'duration'), String(unit), i18n),
    amount: (n) => formatAmount(asNumber(n, 'amount'), i18n),
    number: (n) => formatNumber(asNumber(n, 'number'), i18n),
    date: (d) => formatDate(String(d), i18n),
    list: (xs) => formatList(asList(xs, 'list'), i18n),
    formatList: (xs) =>
      formatList(
        asList(xs, 'formatList').map((id) => {
          const f = formats.get(id);
          if (!f) throw new Error(`unknown format "${id}"`);
          return localName(f.name, lang);
        }),
        i18n,
      ),
    licenceName: (id) => {
      const name = Object.prototype.hasOwnProperty.call(i18n.licences, String(id)) ? i18n.licences[String(id)] : undefined;
      if (!name) throw new Error(`unknown licence "${String(id)}"`);
      return name;
    },
    plural: (n, one, many) => (asNumber(n, 'plural') === 1 ? String(one) : String(many)),
    eq: (a, b) => a === b,
  };
}
