import { z } from 'zod';

/**
 * The libraries an appendix was built with, pinned in its answers file (`build --lock`): each
 * layer's name, version and content digest, and a digest per clause so that a change can be named.
 */
export const LibraryPinSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case library name'),
  version: z.string().regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/, 'expected a semantic version such as 1.0.0'),
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 digest (64 hex digits); rewrite the lock with `dataklausul build FILE --update-lock`'),
  clauses: z.record(z.string(), z.string().regex(/^[0-9a-f]{16}$/, 'expected a 16-digit clause digest')).default({}),
});
export type LibraryPin = z.infer<typeof LibraryPinSchema>;
