/**
 * Message catalogues: every text the command line prints, per language (`templates/messages.json`).
 * Pure: parsing a catalogue that was read elsewhere, and filling one message.
 */

export type MessageVars = Readonly<Record<string, string | number>>;

/** A message not yet put into words: its catalogue key and the values to fill in. */
export interface Msg {
  readonly key: string;
  readonly vars: MessageVars;
}

export const msg = (key: string, vars: MessageVars = {}): Msg => ({ key, vars });

/** Puts a catalogue message into words in the speaker's language (`Speaker.t`); pure modules that write reports take one. */
export type Translate = (key: string, vars?: MessageVars) => string;

export interface Catalogue {
  languages: string[];
  messages: Record<string, Record<string, string>>;
}

/**
 * Checks the shape of a catalogue: `languages` and `messages`, every message a text in every
 * language. Returns the problems as sentences (empty when the catalogue is complete).
 */
export function catalogueProblems(value: unknown): string[] {
  if (!value || typeof value !== 'object') return ['expected a mapping with `languages` and `messages`'];
  const v = value as Partial<Catalogue>;
  if (!Array.isArray(v.languages) || !v.languages.length || !v.languages.every((l) => typeof l === 'string')) return ['`languages` must be a list of language codes'];
  if (!v.messages || typeof v.messages !== 'object') return ['`messages` must be a mapping of message keys'];
  const out: string[] = [];
  for (const [key, texts] of Object.entries(v.messages)) {
    if (!texts || typeof texts !== 'object') {
      out.push(`messages › ${key}: expected a text per language`);
      continue;
    }
    for (const lang of v.languages) if (typeof (texts as Record<string, unknown>)[lang] !== 'string' || !(texts as Record<string, string>)[lang]) out.push(`messages › ${key}: missing the "${lang}" text`);
    for (const lang of Object.keys(texts)) if (!v.languages.includes(lang)) out.push(`messages › ${key}: "${lang}" is not in languages`);
  }
  return out;
}

/**
 * Fills `{name}` with a value and `{name|one|other}` with the word for the number `name`
 * (singular when it is 1). An unknown name is left as written.
 */
export function fillMessage(template: string, vars: MessageVars): string {
  return template.replace(/\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g, (m, name: string, one?: string, other?: string) => {
    if (!(name in vars)) return m;
    if (one === undefined) return String(vars[name]);
    return Number(vars[name]) === 1 ? one : (other ?? one);
  });
}

/** The text of a message in a language; falls back to the catalogue's first language, then the key. */
export function renderMessage(cat: Catalogue, lang: string, m: Msg): string {
  const texts = cat.messages[m.key];
  const template = texts?.[lang] ?? texts?.[cat.languages[0]!];
  return template === undefined ? m.key : fillMessage(template, m.vars);
}
