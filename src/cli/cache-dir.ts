import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where dataklausul keeps what it can rebuild (the compiled library, V8's compiled code):
 * `$DATAKLAUSUL_CACHE_DIR`, else `$XDG_CACHE_HOME/dataklausul`, else `~/.cache/dataklausul` —
 * never inside the installed package, which may be read-only. `DATAKLAUSUL_CACHE=off` turns
 * every cache off (null). Light on purpose: bin/dataklausul.js reads it before the bundle loads.
 */
export function cacheDir(env: NodeJS.ProcessEnv): string | null {
  if (/^(off|0|false|no)$/i.test(env.DATAKLAUSUL_CACHE ?? '')) return null;
  if (env.DATAKLAUSUL_CACHE_DIR) return path.resolve(env.DATAKLAUSUL_CACHE_DIR);
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'dataklausul');
  try {
    return path.join(homedir(), '.cache', 'dataklausul');
  } catch {
    return null;
  }
}
