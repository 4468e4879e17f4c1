import type { Format } from '../render/index.js';
import type { Io } from '../cli/main.js';

export interface InterviewOptions {
  answers?: string;
  out: string;
  format: Format[];
  lang?: string;
  library: string[];
  force: boolean;
}

export async function runInterviewCommand(_opts: InterviewOptions, io: Io, _build: unknown): Promise<number> {
  io.stderr('dataklausul new: the interview is not yet available in this version. Write an answers file (see examples/) and run `dataklausul build ANSWERS`.\n');
  return 2;
}
