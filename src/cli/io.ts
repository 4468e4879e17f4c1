import { Speaker } from '../library/messages.js';
import { formatProblem, type Problem } from '../library/problems.js';

/** Where a command writes and which environment it sees; tests pass their own. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal (progress bars are drawn there); absent means no. */
  stderrIsTTY?: boolean;
  /** Width of that terminal. */
  columns?: number;
  /** The language messages are printed in; `main` sets it from --lang, DATAKLAUSUL_LANG or the answers. */
  speaker?: Speaker;
}

/** The speaker of an Io; without one, DATAKLAUSUL_LANG or nb. */
export function speakerOf(io: Io): Speaker {
  return io.speaker ?? new Speaker(io.env.DATAKLAUSUL_LANG || undefined);
}

export const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  get stderrIsTTY() {
    return !!process.stderr.isTTY;
  },
  get columns() {
    return process.stderr.columns;
  },
};

/** At most this many problems are printed; a file with thousands of mistakes gets a count of the rest. */
const MAX_PRINTED_PROBLEMS = 50;

export function printProblems(io: Io, problems: readonly Problem[]): void {
  const shown = problems.slice(0, MAX_PRINTED_PROBLEMS);
  const lang = speakerOf(io).lang;
  io.stderr(shown.map((p) => `  ${formatProblem(p, lang)}\n`).join(''));
  if (problems.length > shown.length) io.stderr(`  … and ${problems.length - shown.length} more problems; fix the ones above first.\n`);
}
