/**
 * The prompt adapter: the only way the interview flow talks to the terminal. `prompts.ts` implements
 * it with @inquirer/prompts; tests implement it with scripted answers. Every call carries the id of
 * the question (the answers path, or `params.<clause>.<param>`), so a script can check it is asked
 * what it expects.
 */

export interface ChoiceOption<T extends string = string> {
  value: T;
  name: string;
  checked?: boolean;
  /** Shown but not choosable, with the reason (e.g. why a clause cannot be left out). */
  disabled?: string;
}

/** Returns true, or a message saying what is wrong and what to type. */
export type Validate = (value: string) => true | string;

export interface PromptAdapter {
  input(q: { id: string; message: string; help?: string; default?: string; validate: Validate }): Promise<string>;
  confirm(q: { id: string; message: string; help?: string; default: boolean }): Promise<boolean>;
  select<T extends string>(q: { id: string; message: string; help?: string; choices: ReadonlyArray<ChoiceOption<T>>; default?: T }): Promise<T>;
  /** With `atLeastOne` (the message shown otherwise), at least one choice must be ticked; without it, none is an answer. */
  checkbox<T extends string>(q: { id: string; message: string; help?: string; choices: ReadonlyArray<ChoiceOption<T>>; atLeastOne?: string }): Promise<T[]>;
  /** Prints information (headings, the summary) between questions. */
  say(text: string): void;
}

/** The user pressed Ctrl-C (or closed the terminal) during a question. */
export class InterviewCancelled extends Error {
  constructor() {
    super('interview cancelled');
    this.name = 'InterviewCancelled';
  }
}
