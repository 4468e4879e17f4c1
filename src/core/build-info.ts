/**
 * Set by scripts/bundle.mjs (esbuild's `define`) in the single-file bundle that bin/dataklausul.js
 * runs: the SHA-256 of the bundle's own code. Absent (undefined) when the modules run one by one
 * from dist/ or src/ (tests, `tsc` only).
 */
declare const __DATAKLAUSUL_CODE_DIGEST__: string | undefined;

/** The digest of the running bundle's code, or undefined when not running from the bundle. */
export const BUNDLE_CODE_DIGEST: string | undefined = typeof __DATAKLAUSUL_CODE_DIGEST__ === 'string' ? __DATAKLAUSUL_CODE_DIGEST__ : undefined;
