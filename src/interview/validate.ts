import { z } from 'zod';
import { isValidOrgNumber } from '../core/answers.js';
import { fill, type UiStrings } from './spec.js';

/**
 * Answer validation with messages in the interview language: each says what is wrong and what to
 * type. Built on zod so that the interview accepts exactly what the answers schema accepts.
 */

type Errors = UiStrings['errors'];

const firstMessage = (r: z.ZodSafeParseResult<unknown>): true | string => (r.success ? true : (r.error.issues[0]?.message ?? 'invalid'));

export function textSchema(e: Errors, optional = false) {
  return optional ? z.string().trim() : z.string().trim().min(1, e.required);
}

export function orgNumberSchema(e: Errors) {
  return z
    .string()
    .transform((s) => s.replace(/\s+/g, ''))
    .superRefine((s, ctx) => {
      if (!/^\d{9}$/.test(s)) ctx.addIssue({ code: 'custom', message: fill(e.orgDigits, { value: s }) });
      else if (!isValidOrgNumber(s)) ctx.addIssue({ code: 'custom', message: fill(e.orgCheck, { value: s.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3') }) });
    });
}

export function dateSchema(e: Errors) {
  return z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) ctx.addIssue({ code: 'custom', message: fill(e.date, { value: s }) });
      else if (Number.isNaN(Date.parse(`${s}T00:00:00Z`)) || !new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)) {
        ctx.addIssue({ code: 'custom', message: fill(e.dateReal, { value: s }) });
      }
    });
}

/** Accepts "25000", "25 000", "25 000" and a decimal comma ("1400,50"). */
export function parseNumber(raw: string): number {
  const s = raw.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

export function numberSchema(e: Errors, opts: { integer: boolean; min?: number; max?: number; example: number }) {
  const range = { rangeTo: opts.max !== undefined ? fill(e.rangeTo, { max: opts.max }) : '', rangeFrom: opts.min !== undefined ? fill(e.rangeFrom, { min: opts.min }) : '' };
  return z
    .string()
    .transform((raw, ctx) => {
      const n = parseNumber(raw);
      if (Number.isNaN(n)) {
        ctx.addIssue({ code: 'custom', message: fill(e.number, { value: raw.trim(), example: opts.example }) });
        return z.NEVER;
      }
      if (opts.integer && !Number.isInteger(n)) {
        ctx.addIssue({ code: 'custom', message: fill(e.integer, { value: raw.trim() }) });
        return z.NEVER;
      }
      const min = opts.min ?? 0;
      if (n < min) ctx.addIssue({ code: 'custom', message: fill(e.min, { value: n, min, range: range.rangeTo }) });
      else if (opts.max !== undefined && n > opts.max) ctx.addIssue({ code: 'custom', message: fill(e.max, { value: n, max: opts.max, rangeFrom: fill(e.rangeFrom, { min }) }) });
      return n;
    });
}

/** A validator for the prompt adapter: true, or the first message. */
export function validator(schema: z.ZodType): (value: string) => true | string {
  return (value) => firstMessage(schema.safeParse(value));
}
