import type { ZodError } from 'zod';
import type { Msg } from '../core/messages.js';
import { say } from './messages.js';

/** One thing wrong with a clause library, an answers file or a policy: where, what, how to fix. */
export interface Problem {
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  field?: string;
  message: string;
  hint?: string;
  /**
   * The message (and hint) as catalogue messages, so that they are printed in the user's language;
   * `message` and `hint` then hold their English text (JSON output reads those). See `problemOf`.
   */
  msg?: Msg;
  hintMsg?: Msg;
}

/** A problem whose message and hint are catalogue messages (templates/messages.json). */
export function problemOf(where: Pick<Problem, 'severity' | 'file' | 'line' | 'field'>, message: Msg, hint?: Msg): Problem {
  return {
    ...where,
    message: say('en', message.key, message.vars),
    msg: message,
    ...(hint ? { hint: say('en', hint.key, hint.vars), hintMsg: hint } : {}),
  };
}

/**
 * A mistake the user can fix: printed without a stack trace, exit 1. Give the message as a
 * catalogue message (`msg(key, vars)`, templates/messages.json) so that it is printed in the
 * user's language; `message` holds its English text.
 */
export class UserError extends Error {
  readonly problems: Problem[];
  readonly msg?: Msg;
  constructor(message: string | Msg, problems: Problem[] = []) {
    super(typeof message === 'string' ? message : say('en', message.key, message.vars));
    this.name = 'UserError';
    this.problems = problems;
    if (typeof message !== 'string') this.msg = message;
  }
}

/** Wrong command-line usage: exit 2. Like UserError, the message may be a catalogue message. */
export class UsageError extends Error {
  readonly msg?: Msg;
  constructor(message: string | Msg) {
    super(typeof message === 'string' ? message : say('en', message.key, message.vars));
    this.name = 'UsageError';
    if (typeof message !== 'string') this.msg = message;
  }
}

/**
 * Formats a problem as `file:line: field: message. hint` for terminals; with a language, the
 * message and hint of a catalogue problem (`problemOf`) in that language.
 */
export function formatProblem(p: Problem, lang?: string): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  const field = p.field ? ` ${p.field}:` : '';
  const message = lang && p.msg ? say(lang, p.msg.key, p.msg.vars) : p.message;
  const hintText = lang && p.hintMsg ? say(lang, p.hintMsg.key, p.hintMsg.vars) : p.hint;
  const hint = hintText ? ` ${hintText}` : '';
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${where}:${field} ${tag}${message}${hint}`;
}

/** Formats a zod path the way a user reads YAML: `buyer › orgNumber`, `formats[2]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? ` › ${String(key)}` : String(key);
  }
  return out;
}

function describeReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

/**
 * Turns zod issues into problems, using `lineOf` to locate each path in the source file and
 * `input` to quote what was received.
 */
export function problemsFromZod(
  error: ZodError,
  file: string,
  lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined,
  input: unknown,
  prefix = '',
): Problem[] {
  return convertIssues(error.issues, [], file, lineOf, input, prefix);
}

type Issue = ZodError['issues'][number];

/**
 * Of a union's branches, the one the input was most likely meant for: the one with the fewest
 * issues (a policy rule with `allowValues` fails the other branches on missing and unknown keys).
 */
function likeliestBranch(errors: ReadonlyArray<readonly Issue[]>): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  for (const branch of errors) if (branch.length && (!best || branch.length < best.length)) best = branch;
  return best;
}

function convertIssues(
  issues: readonly Issue[],
  base: PropertyKey[],
  file: string,
  lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined,
  input: unknown,
  prefix: string,
): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = [...base, ...(issue.path as PropertyKey[])];
    if (issue.code === 'invalid_union') {
      const branch = likeliestBranch(issue.errors as ReadonlyArray<readonly Issue[]>);
      if (branch) return convertIssues(branch, path, file, lineOf, input, prefix);
    }
    if (issue.code === 'invalid_key') {
      const key = path[path.length - 1];
      const why = (issue.issues as readonly Issue[]).map((i) => i.message).join('; ');
      return [{ severity: 'error', file, line: lineOf(path), field: prefix + formatPath(path), message: `${JSON.stringify(String(key))} is not allowed as a name: ${why}` }];
    }
    let received: unknown = input;
    for (const key of path) received = received && typeof received === 'object' && Object.hasOwn(received, key) ? (received as Record<PropertyKey, unknown>)[key] : undefined;
    let message = issue.message;
    let hint: string | undefined;
    if (issue.code === 'unrecognized_keys') {
      const shownKeys = issue.keys.slice(0, 10).map((k) => JSON.stringify(k));
      const more = issue.keys.length - shownKeys.length;
      message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${shownKeys.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
      hint = 'Check the spelling, or remove it.';
      return [{ severity: 'error', file, line: lineOf([...path, issue.keys[0]!]) ?? lineOf(path), field: prefix + formatPath(path), message, hint }];
    }
    if (issue.code === 'invalid_type') {
      message = received === undefined ? `missing (expected ${issue.expected})` : `expected ${issue.expected === 'number' ? 'a number' : issue.expected === 'boolean' ? 'true or false' : issue.expected}, got ${describeReceived(received)}`;
      if (issue.expected === 'number' && typeof received === 'string' && /^\s*\d+(?:[.,]\d+)?/.test(received)) {
        hint = `Write ${/\d+(?:[.,]\d+)?/.exec(received)![0].replace(',', '.')}.`;
      } else if (issue.expected === 'string' && typeof received === 'number') {
        hint = `Put the value in quotes: "${String(received)}".`;
      }
    } else if (issue.code === 'invalid_value') {
      message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeReceived(received)}`;
    } else if (received !== undefined && typeof received !== 'object') {
      message = `${issue.message} (got ${describeReceived(received)})`;
    }
    return [{ severity: 'error', file, line: lineOf(path), field: prefix + formatPath(path) || '(top level)', message, hint }];
  });
}

/** A clause template failed to render; names the clause and file. */
export class TemplateRenderError extends Error {
  constructor(
    readonly file: string,
    readonly clauseId: string,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}
