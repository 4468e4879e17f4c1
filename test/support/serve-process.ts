import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './tools.js';

/**
 * Starts the built CLI's `serve --port 0` in `cwd` and waits for the address it prints. Messages in `lang`
 * (DATAKLAUSUL_LANG; '' for the default, nb). Rejects with everything it printed if it exits first.
 */
export async function startServeProcess(args: string[], lang: string, cwd: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd, env: { ...process.env, DATAKLAUSUL_LANG: lang }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /(http:\/\/[^\s/]+\/)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`serve exited with ${code}: ${out}`));
    });
  });
  return { child, url, output: () => out };
}
