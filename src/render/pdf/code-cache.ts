/**
 * Where the PDF renderer may keep V8's compiled code for the pdf-lib and fontkit bundles between
 * processes (see lib.ts). The renderer never touches files itself: the CLI hands it a store
 * (src/cli/code-cache.ts) before the renderer is imported; without one the bundles are compiled
 * afresh, as before. This module is light on purpose: setting the store loads nothing heavy.
 */
export interface CodeCacheStore {
  /** The bytes stored under `key`, or null when there are none or they cannot be trusted. */
  read(key: string): Uint8Array | null;
  /** Stores bytes under `key`; a failure only costs time next run. */
  write(key: string, bytes: Uint8Array): void;
}

let store: CodeCacheStore | null = null;

export function useCodeCache(s: CodeCacheStore | null): void {
  store = s;
}

export function codeCacheStore(): CodeCacheStore | null {
  return store;
}
