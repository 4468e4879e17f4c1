import { readPath } from '../../core/answers.js';
import type { ChoiceOption, PromptAdapter, Validate } from '../../interview/adapter.js';
import { inSection, type InterviewSpec } from '../../interview/spec.js';
import { isFormatsPrompt, newSession, runInterview, type InterviewContext, type InterviewResult, type InterviewSession } from '../../interview/flow.js';

/**
 * The terminal interview, replayed for the web. The pages are not a second interview: every page is
 * found by running the one interview flow (src/interview/flow.ts) with an adapter that answers each
 * prompt from what the browser sent so far. So the web asks exactly the prompts the terminal asks, in
 * the same order, with the same choices, defaults, branches and validators; a new question kind in
 * the flow reaches the web with it.
 *
 * A prompt is known by its id (the answers path, `params.<clause>.<param>`, …) and the how-manyth
 * time it is asked in one run (`buyer.members.name#1` is the second member's name): that key is what
 * a form field carries and what `responses` is keyed by. A page is a run of prompts of one section
 * (the first part of the id, `sections` in interview.yaml). Pure: no files, no clock, no network.
 */

export type PromptKind = 'input' | 'confirm' | 'select' | 'checkbox';
export type Response = string | boolean | string[];

export interface Prompt {
  key: string;
  id: string;
  kind: PromptKind;
  message: string;
  help?: string;
  /** input: text; confirm: boolean; select: a value; checkbox: the values ticked. */
  default?: Response;
  choices?: ReadonlyArray<ChoiceOption>;
  atLeastOne?: string;
  validate?: Validate;
  /** What the flow said (headings, the clause a parameter belongs to) just before this prompt. */
  notes: string[];
  /** The section key (`buyer`, `params`, …) and the page key (the section, `-2` for its second run). */
  section: string;
  page: string;
}

export type StepState = 'answered' | 'invalid' | 'new';

export interface Step {
  prompt: Prompt;
  state: StepState;
  /** The value the field shows: the response given, or else the prompt's default. */
  value: Response;
  error?: string;
}

export interface Walk {
  steps: Step[];
  /** Page keys in order, as far as the interview got. */
  pages: string[];
  /** The first page with a prompt not (validly) answered; undefined when the interview is complete. */
  frontier?: string;
  /** The completed interview (all prompts answered). */
  done?: { result: InterviewResult; session: InterviewSession };
  /** Responses taken over from the defaults (see `acceptDefault`). */
  accepted: Record<string, Response>;
  /** The intro line and other things said before the first prompt. */
  intro: string[];
}

export interface WalkOptions {
  /** For an uploaded answers file: prompts whose default may be taken as the answer without asking. */
  acceptDefault?: (prompt: Prompt) => boolean;
  /** The message for a value that is not one of a prompt's choices (only a hand-made request sends one). */
  invalidChoice?: string;
}

class Stop extends Error {}

/**
 * The section of a prompt id, as the summary screen's "change an answer" groups them (`sections` in interview.yaml):
 * the first section that lists the id or a prefix of it; the clause parameters (`params…`) have a page of their own;
 * anything else stays on the page before.
 */
function sectionOf(id: string, sections: InterviewSpec['sections'], previous: string | undefined): string {
  if (id === 'params' || id.startsWith('params.')) return 'params';
  const sec = sections.find((s) => s.questions.some((p) => inSection(id, p)));
  return sec?.id ?? previous ?? sections[0]!.id;
}

/** Checks a response against a prompt exactly as the terminal would accept it; returns the value or the message. */
export function checkResponse(prompt: Prompt, response: Response, invalid: string, required = invalid): { ok: true; value: Response } | { ok: false; error: string } {
  // A choice left open (no radio button ticked) is a missing answer, not a wrong one.
  if (response === '' && (prompt.kind === 'confirm' || prompt.kind === 'select')) return { ok: false, error: required };
  switch (prompt.kind) {
    case 'input': {
      if (typeof response !== 'string') return { ok: false, error: invalid };
      const v = prompt.validate ? prompt.validate(response) : true;
      return v === true ? { ok: true, value: response } : { ok: false, error: v };
    }
    case 'confirm':
      return typeof response === 'boolean' ? { ok: true, value: response } : { ok: false, error: invalid };
    case 'select':
      return typeof response === 'string' && prompt.choices!.some((c) => c.value === response) ? { ok: true, value: response } : { ok: false, error: invalid };
    case 'checkbox': {
      if (!Array.isArray(response) || !response.every((r) => prompt.choices!.some((c) => c.value === r))) return { ok: false, error: invalid };
      // A group that needs a tick names it (atLeastOne); one without may be left empty, as in the terminal.
      if (!response.length && prompt.atLeastOne !== undefined) return { ok: false, error: prompt.atLeastOne };
      // In the order of the choices, as the terminal returns them.
      return { ok: true, value: prompt.choices!.filter((c) => response.includes(c.value)).map((c) => c.value) };
    }
  }
}

/**
 * A value to run on with when a prompt on the current page is not answered yet, so that the rest
 * of the page can be shown: the default if the flow's own validator accepts it, else the first of a
 * few plain candidates it accepts. Never stored; if none is accepted the page ends there and the
 * rest appears once the prompt is answered.
 */
function lookahead(prompt: Prompt, today: string): Response | undefined {
  switch (prompt.kind) {
    case 'confirm':
      return prompt.default as boolean;
    case 'select':
      return prompt.choices!.some((c) => c.value === prompt.default) ? (prompt.default as string) : prompt.choices![0]?.value;
    case 'checkbox': {
      const ticked = (prompt.default as string[]) ?? [];
      return ticked.length || prompt.atLeastOne === undefined ? ticked : prompt.choices!.slice(0, 1).map((c) => c.value);
    }
    case 'input': {
      const candidates = [typeof prompt.default === 'string' ? prompt.default : '', 'x', '1', today, '000000000'];
      return candidates.find((c) => prompt.validate?.(c) === true);
    }
  }
}

/** The value a field shows before it is answered. */
function shown(prompt: Prompt): Response {
  switch (prompt.kind) {
    case 'input':
      return typeof prompt.default === 'string' ? prompt.default : '';
    case 'confirm':
      return prompt.default as boolean;
    case 'select':
      return typeof prompt.default === 'string' ? prompt.default : '';
    case 'checkbox':
      return (prompt.default as string[]) ?? [];
  }
}

/**
 * Runs the interview on the responses given so far. Stops at the end of the first page that has a
 * prompt without a valid response, having shown that whole page; completes when every prompt has one.
 */
export async function walk(ctx: InterviewContext, initial: Record<string, unknown>, responses: Readonly<Record<string, Response>>, opts: WalkOptions = {}): Promise<Walk> {
  const errors = (ctx.spec.ui[ctx.lang] ?? ctx.spec.ui[ctx.spec.languages[0]!]!).errors;
  const steps: Step[] = [];
  const pages: string[] = [];
  const accepted: Record<string, Response> = {};
  const intro: string[] = [];
  const counts = new Map<string, number>();
  let notes: string[] = [];
  let frontier: string | undefined;
  let lastSection: string | undefined;

  const ask = (base: Omit<Prompt, 'key' | 'notes' | 'section' | 'page'>): Response => {
    const n = counts.get(base.id) ?? 0;
    counts.set(base.id, n + 1);
    const section = sectionOf(base.id, ctx.spec.sections, lastSection);
    if (section !== lastSection) {
      const runs = pages.filter((p) => p === section || p.startsWith(`${section}-`)).length;
      pages.push(runs ? `${section}-${runs + 1}` : section);
      lastSection = section;
    }
    const page = pages[pages.length - 1]!;
    if (frontier !== undefined && page !== frontier) {
      pages.pop();
      throw new Stop();
    }
    const prompt: Prompt = { ...base, key: `${base.id}#${n}`, notes, section, page };
    notes = [];
    const given = responses[prompt.key];
    let step: Step;
    if (given !== undefined) {
      const r = checkResponse(prompt, given, opts.invalidChoice ?? errors.invalid, errors.required);
      step = r.ok ? { prompt, state: 'answered', value: r.value } : { prompt, state: 'invalid', value: given, error: r.error };
    } else {
      const def = opts.acceptDefault?.(prompt) ? lookaheadDefault(prompt) : undefined;
      if (def !== undefined) {
        accepted[prompt.key] = def;
        step = { prompt, state: 'answered', value: def };
      } else step = { prompt, state: 'new', value: shown(prompt) };
    }
    steps.push(step);
    if (step.state === 'answered') return step.value;
    frontier ??= page;
    const next = lookahead(prompt, ctx.today);
    if (next === undefined) throw new Stop();
    return next;
  };

  const adapter: PromptAdapter = {
    input: async (q) => ask({ id: q.id, kind: 'input', message: q.message, help: q.help, default: q.default, validate: q.validate }) as string,
    confirm: async (q) => ask({ id: q.id, kind: 'confirm', message: q.message, help: q.help, default: q.default }) as boolean,
    select: async <T extends string>(q: { id: string; message: string; help?: string; choices: ReadonlyArray<ChoiceOption<T>>; default?: T }) =>
      ask({ id: q.id, kind: 'select', message: q.message, help: q.help, choices: q.choices, default: q.default }) as T,
    checkbox: async <T extends string>(q: { id: string; message: string; help?: string; choices: ReadonlyArray<ChoiceOption<T>>; atLeastOne?: string }) =>
      ask({ id: q.id, kind: 'checkbox', message: q.message, help: q.help, choices: q.choices, atLeastOne: q.atLeastOne, default: q.choices.filter((c) => c.checked).map((c) => c.value) }) as T[],
    say: (text) => {
      const line = text.trim();
      if (!line) return;
      if (!steps.length) intro.push(line);
      else notes.push(line);
    },
  };

  const session = newSession(initial);
  try {
    const result = await runInterview(ctx, adapter, session);
    if (frontier === undefined) return { steps, pages, accepted, intro, done: { result, session } };
  } catch (e) {
    // Past the first open prompt the flow runs on looked-ahead values; should one of them lead it
    // astray, the page ends there, as for a prompt with no value to run on.
    if (!(e instanceof Stop) && frontier === undefined) throw e;
  }
  return { steps, pages, accepted, intro, frontier };
}

/** The default as an answer: only when the flow's validator accepts it as it stands. */
function lookaheadDefault(prompt: Prompt): Response | undefined {
  const r = checkResponse(prompt, shown(prompt), '');
  return r.ok ? r.value : undefined;
}

/**
 * For an uploaded answers file or draft: a prompt's default is taken as its answer when the file
 * gave the answer it was drawn from (the prompt's answers path, or a list it is part of), or when the
 * file could not show the answer (an optional text left empty, no members), so that a draft goes to
 * its first open question. (A complete answers file takes every default: see the server.)
 */
export function answeredIn(spec: InterviewSpec, initial: Record<string, unknown>): (prompt: Prompt) => boolean {
  const questions = new Set(spec.questions.map((q) => q.id));
  // Answers a file cannot show: an empty optional text and an empty list of members are left out of it.
  const absentable = new Set(spec.questions.filter((q) => q.optional || q.type === 'members').map((q) => q.id));
  return (prompt) => {
    if (absentable.has(prompt.id) || readPath(initial, prompt.id) !== undefined) return true;
    // The formats question's own prompts (its groups, the export matrix) follow the file's formats; a file without an
    // export matrix keeps the one derived from them.
    if (isFormatsPrompt(spec, prompt.id) && readPath(initial, 'formats') !== undefined) return true;
    // A prompt within a question (a member's name, one topic's level) follows the question's answer.
    const parts = prompt.id.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const head = parts.slice(0, i).join('.');
      if (questions.has(head) && readPath(initial, head) !== undefined) return true;
    }
    return false;
  };
}
