import { createRequire } from 'node:module';
import type * as PdfLib from 'pdf-lib';
import type Fontkit from '@pdf-lib/fontkit';

const require = createRequire(import.meta.url);

/**
 * pdf-lib and fontkit, loaded from their single-file bundles: `import 'pdf-lib'` resolves to
 * several hundred CommonJS modules that Node must lex for named exports, which costs more than
 * the whole layout. Only this module (lazily imported with the PDF renderer) loads them.
 */
export const pdfLib = require('pdf-lib/dist/pdf-lib.min.js') as typeof PdfLib;
export const fontkit = require('@pdf-lib/fontkit/dist/fontkit.umd.min.js') as typeof Fontkit;
