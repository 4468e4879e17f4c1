import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { msg } from '../core/messages.js';
import { UsageError, UserError } from './problems.js';

/**
 * Resource limits for everything read from outside: input files, their YAML, clause templates.
 * Every limit refuses with a message that names the file, the limit and how to raise it, so a
 * hostile or broken input can neither exhaust memory nor hang the tool.
 */
export interface Limits {
  /** Bytes per input file (answers, policy, each library file). */
  maxFileBytes: number;
  /** YAML nodes after alias expansion (an alias counts as often as it is used). */
  maxYamlNodes: number;
  /** Nesting depth of mappings and lists. */
  maxYamlDepth: number;
  /** Nesting depth of block helpers ({{#each}}, {{#if}} …) in a clause template. */
  maxTemplateDepth: number;
  /** Characters one clause template may produce. */
  maxTemplateOutput: number;
  /** Evaluation steps (statements and loop rounds) for one clause template. */
  maxTemplateSteps: number;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  maxYamlNodes: 100_000,
  maxYamlDepth: 64,
  maxTemplateDepth: 8,
  maxTemplateOutput: 1_000_000,
  maxTemplateSteps: 200_000,
});

/** The flag and environment variable that raise the file size limit (named in every refusal). */
export const FILE_SIZE_FLAG = '--max-file-size';
export const FILE_SIZE_ENV = 'DATAKLAUSUL_MAX_FILE_SIZE';

// Process-wide: set once by the command line from the flag or environment before anything is read.
let maxFileBytes = DEFAULT_MAX_FILE_BYTES;

export function setMaxFileBytes(bytes: number): void {
  maxFileBytes = bytes;
}
export function getMaxFileBytes(): number {
  return maxFileBytes;
}

/** Parses `800000`, `500k`, `2M`, `2MB`, `1.5 MiB` into bytes. Anything else is a usage error. */
export function parseSize(value: string, source: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(value);
  const n = m ? Number(m[1]) * ({ k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').charAt(0).toLowerCase()] ?? 1) : NaN;
  if (!m || !Number.isFinite(n) || n < 1 || n > 2 ** 31) {
    throw new UsageError(msg('error.sizeFlag', { source, value }));
  }
  return Math.floor(n);
}

export function formatSize(bytes: number): string {
  const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

function sizeRefusal(file: string, size: string): UserError {
  return new UserError(msg('error.input.tooLarge', { file, size, limit: formatSize(maxFileBytes), flag: FILE_SIZE_FLAG, env: FILE_SIZE_ENV }));
}

/**
 * Reads an input file, refusing anything that is not a regular file (a folder, /dev/zero, a FIFO)
 * and anything larger than the limit. Never reads more than the limit plus one byte, even if the
 * file grows while it is read. `kind` picks the not-found and folder messages.
 */
export function readInputFile(file: string, kind: 'answers' | 'policy' | 'library' | 'table'): Buffer {
  const own = kind === 'answers' || kind === 'policy';
  const isFolder = () => new UserError(own ? msg(`error.${kind}.isFolder`, { file }) : msg('error.cannotRead', { file, reason: 'EISDIR' }));
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && own) throw new UserError(msg(`error.${kind}.notFound`, { file }));
    if (code === 'EISDIR') throw isFolder();
    throw new UserError(msg('error.cannotRead', { file, reason: code ?? String(e) }));
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw isFolder();
    if (!st.isFile()) throw new UserError(msg('error.input.notRegular', { file }));
    if (st.size > maxFileBytes) throw sizeRefusal(file, formatSize(st.size));
    const buf = Buffer.allocUnsafe(maxFileBytes + 1);
    let len = 0;
    for (;;) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
      if (len > maxFileBytes) throw sizeRefusal(file, `> ${formatSize(maxFileBytes)}`);
    }
    return buf.subarray(0, len);
  } finally {
    closeSync(fd);
  }
}

/**
 * Decodes an input file as UTF-8 text, with a clear message for the encodings editors sometimes
 * save in by mistake (UTF-16, or binary data) instead of a YAML error about null bytes.
 */
export function decodeText(bytes: Buffer, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UserError(msg('error.input.wideText', { file }));
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    // UTF-16 without a byte order mark has a zero byte beside nearly every ASCII letter.
    let zeros = 0;
    const n = Math.min(bytes.length, 200);
    for (let i = 0; i < n; i++) if (bytes[i] === 0) zeros++;
    if (zeros * 3 >= n) throw new UserError(msg('error.input.wideText', { file }));
    throw new UserError(msg('error.input.notText', { file, position: nul }));
  }
  return bytes.toString('utf8');
}
