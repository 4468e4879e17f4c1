import { readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogueProblems, msg, renderMessage, type Catalogue, type MessageVars, type Msg } from '../core/messages.js';
import { TEMPLATES_ROOT } from './package-root.js';

/**
 * templates/messages.json of the installed package. JSON rather than YAML because every
 * command, `--help` and `--version` included, reads it at start-up: JSON.parse costs a millisecond,
 * a YAML parser's import and parse several tens.
 */
export const MESSAGES_FILE = path.join(TEMPLATES_ROOT, 'messages.json');

/** The language messages fall back to. */
export const DEFAULT_MESSAGE_LANGUAGE = 'nb';

let cached: Catalogue | undefined;

/**
 * The message catalogue, read once, synchronously (`--help` needs it before anything else). A
 * broken catalogue is a bug in the package, so it throws a plain Error.
 */
export function messageCatalogue(): Catalogue {
  if (cached) return cached;
  const value: unknown = JSON.parse(readFileSync(MESSAGES_FILE, 'utf8'));
  const problems = catalogueProblems(value);
  if (problems.length) throw new Error(`${MESSAGES_FILE}: ${problems.join('; ')}`);
  cached = value as Catalogue;
  return cached;
}

/** One message as text in one language. */
export function say(lang: string, key: string, vars: MessageVars = {}): string {
  return renderMessage(messageCatalogue(), lang, msg(key, vars));
}

/**
 * The language the command line speaks in. It starts from `--lang` or DATAKLAUSUL_LANG (then it is
 * `explicit` and stays), else nb; a command that reads an answers file switches to the file's
 * `language` unless it was explicit.
 */
export class Speaker {
  lang: string;
  readonly explicit: boolean;

  /** `wanted`: the languages asked for, first choice first (an unknown one is passed over). */
  constructor(...wanted: Array<string | undefined>) {
    const known = wanted.find((l): l is string => l !== undefined && messageCatalogue().languages.includes(l));
    this.lang = known ?? DEFAULT_MESSAGE_LANGUAGE;
    this.explicit = known !== undefined;
  }

  /** Follows the answers file's language unless --lang or DATAKLAUSUL_LANG chose one. */
  followAnswers(language: string): void {
    if (!this.explicit && messageCatalogue().languages.includes(language)) this.lang = language;
  }

  t(key: string, vars: MessageVars = {}): string {
    return say(this.lang, key, vars);
  }

  /** An error's text: a catalogue message in this language, or a text as it was written. */
  text(m: string | Msg | undefined, fallback = ''): string {
    if (m === undefined) return fallback;
    return typeof m === 'string' ? m : this.t(m.key, m.vars);
  }
}
