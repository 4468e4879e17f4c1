import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'dataklausul.js');

/** True when a command is on PATH. */
export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * For tests that need an external consumer (LibreOffice, qpdf, PDFBox, tmux): under CI a missing
 * tool is a failure, never a skip; on a developer machine the test is skipped with the reason.
 * Returns true when the test can run.
 */
export function requireTool(name: string, available: boolean): boolean {
  if (available) return true;
  if (process.env.CI) throw new Error(`${name} is required under CI but is not installed; .ci/run must install it`);
  console.warn(`skipping: ${name} is not installed`);
  return false;
}

export function requireFile(name: string, file: string): boolean {
  return requireTool(name, existsSync(file));
}

/**
 * Runs the built CLI as a child process. Messages are in English (DATAKLAUSUL_LANG=en) unless the
 * test sets DATAKLAUSUL_LANG itself (to '' for the default, nb); test/messages.test.ts covers the languages.
 */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, DATAKLAUSUL_LANG: 'en', ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeout ?? 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function sh(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
