import { formatProblem, type Problem } from '../library/problems.js';

/** Where a command writes and which environment it sees; tests pass their own. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

export const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
};

export function printProblems(io: Io, problems: readonly Problem[]): void {
  for (const p of problems) io.stderr(`  ${formatProblem(p)}\n`);
}
