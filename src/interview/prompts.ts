import { styleText } from 'node:util';
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { InterviewCancelled, type PromptAdapter } from './adapter.js';

/** Ctrl-C in an inquirer prompt rejects with ExitPromptError; the flow sees InterviewCancelled. */
async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) throw new InterviewCancelled();
    throw e;
  }
}

/** The @inquirer/prompts adapter. The only module that imports inquirer. */
export function createInquirerAdapter(
  keywords: { yes: string; no: string; confirmError: string; keys: Readonly<Record<string, string>> },
  write: (s: string) => void = (s) => process.stdout.write(s),
): PromptAdapter {
  const help = (text?: string) => {
    if (text) write(`${styleText('dim', `  ${text}`)}\n`);
  };
  const w = (x: string) => keywords.keys[x] ?? x;
  const keysHelpTip = (keys: [string, string][]) => keys.map(([key, action]) => `${styleText('bold', w(key))} ${styleText('dim', w(action))}`).join(styleText('dim', ' • '));
  return {
    input: (q) => {
      help(q.help);
      return guard(input({ message: q.message, default: q.default, validate: q.validate, theme: { validationFailureMode: 'keep' } }));
    },
    confirm: (q) => {
      help(q.help);
      return guard(
        confirm({
          message: q.message,
          default: q.default,
          theme: { keywords: { yes: keywords.yes, no: keywords.no, error: () => keywords.confirmError } },
        }),
      );
    },
    select: (q) => {
      help(q.help);
      return guard(select({ message: q.message, choices: q.choices.map((c) => ({ value: c.value, name: c.name, ...(c.disabled ? { disabled: `(${c.disabled})` } : {}) })), default: q.default, pageSize: 12, theme: { style: { keysHelpTip } } }));
    },
    checkbox: (q) => {
      help(q.help);
      return guard(
        checkbox({
          message: q.message,
          choices: q.choices.map((c) => ({ value: c.value, name: c.name, short: c.value, checked: !!c.checked })),
          pageSize: 15,
          theme: { style: { keysHelpTip } },
          validate: (chosen) => (chosen.length || q.atLeastOne === undefined ? true : q.atLeastOne),
        }),
      );
    },
    say: (text) => write(`${text}\n`),
  };
}
