import { createRequire } from 'node:module';
import type HandlebarsNs from 'handlebars';

const require = createRequire(import.meta.url);

/**
 * Handlebars from its single-file build: `import 'handlebars'` loads its CommonJS tree of several
 * dozen modules, which costs more start-up time than parsing every clause template. Same code,
 * same version, one file.
 */
const Handlebars = require('handlebars/dist/handlebars.min.js') as typeof HandlebarsNs;
export default Handlebars;
