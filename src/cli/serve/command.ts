import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { msg } from '../../core/messages.js';
import { UsageError } from '../../library/problems.js';
import type { Format } from '../../render/index.js';
import { speakerOf, type Io } from '../io.js';
import { TEMPLATES_DIR } from '../paths.js';

/**
 * `dataklausul serve`: loads what `new` loads (the interview, the libraries, a policy), starts the
 * web server and waits for Ctrl-C. Imported only when `serve` runs.
 */

export interface ServeCommandOptions {
  port: string;
  host: string;
  open: boolean;
  library: string[];
  policy?: string;
  out?: string;
  force: boolean;
  format: Format[];
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|::1|localhost)$/i;

function localDate(d = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Opens the address in the default browser; a failure only leaves the address printed. */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // The address is printed; the user can open it.
  }
}

export async function runServeCommand(opts: ServeCommandOptions, io: Io): Promise<number> {
  const say = speakerOf(io);
  if (!/^\d{1,5}$/.test(opts.port.trim()) || Number(opts.port) > 65535) throw new UsageError(msg('error.port', { value: opts.port }));
  const [{ loadInterviewSpec }, { loadContext, readPolicy }, { startServer }, { writeFilesAtomically }] = await Promise.all([
    import('../../cli/new-command.js'),
    import('../../cli/pipeline.js'),
    import('./server.js'),
    import('../../cli/write.js'),
  ]);
  const spec = await loadInterviewSpec();
  const context = await loadContext(opts.library);
  const policy = opts.policy ? await readPolicy(opts.policy) : null;
  const [css, js] = await Promise.all([readFile(path.join(TEMPLATES_DIR, 'serve', 'style.css')), readFile(path.join(TEMPLATES_DIR, 'serve', 'app.js'))]);
  const loopback = LOOPBACK.test(opts.host);
  let running;
  try {
    running = await startServer(
      {
        spec,
        context,
        policy,
        out: opts.out ? path.resolve(opts.out) : null,
        force: opts.force,
        formats: opts.format,
        assets: { css, js },
        loopback,
        // `dataklausul --lang en serve` (or DATAKLAUSUL_LANG=en): the interview starts in English too.
        lang: say.explicit ? say.lang : undefined,
        today: () => localDate(),
        env: io.env,
        write: (files, force) => writeFilesAtomically(files, { force }),
      },
      opts.host,
      Number(opts.port),
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new UsageError(msg('error.listen', { host: opts.host, port: opts.port, reason: code }));
    }
    throw e;
  }
  if (!loopback) io.stderr(`${say.t('serve.exposed', { host: opts.host })}\n`);
  io.stdout(`${say.t('serve.listening', { url: running.url })}\n`);
  if (opts.out) io.stdout(`${say.t('serve.savesTo', { dir: path.resolve(opts.out) })}\n`);
  if (opts.open) openBrowser(running.url);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout(`${say.t('serve.stopped')}\n`);
  return 0;
}
