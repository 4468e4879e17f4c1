import { createRequire } from 'node:module';
import type HandlebarsNs from 'handlebars';

const require = createRequire(import.meta.url);

/**
 * Handlebars from its single-file build: `import 'handlebars'` loads its CommonJS tree of several
 * dozen modules, which costs more start-up time than parsing every clause template. Same code,
 * same version, one file.
 */
let loaded: typeof HandlebarsNs | undefined;
/** Loaded on first use: a build from the compiled library renders from parsed templates and never needs it. */
export function handlebars(): typeof HandlebarsNs {
  return (loaded ??= require('handlebars/dist/handlebars.min.js') as typeof HandlebarsNs);
}

/** The version of Handlebars whose parser the compiled library's templates were parsed with. */
export function handlebarsVersion(): string {
  return (require('handlebars/package.json') as { version: string }).version;
}
