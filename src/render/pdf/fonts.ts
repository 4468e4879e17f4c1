import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TEMPLATES_ROOT } from '../../library/package-root.js';
import type { FontFace } from './layout.js';

/**
 * The one place where the PDF renderer reads files: the fonts and the ICC profile shipped in
 * templates/ (content of the package, like the clause library). Resolved from the package root
 * (see package-root.ts), so it works from any working directory and from the bundle.
 */

export const FONT_FILES: Record<FontFace, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

export interface PdfAssets {
  fonts: Record<FontFace, Uint8Array>;
  /** sRGB IEC61966-2.1, ICC v2 (from Debian's icc-profiles-free). */
  srgbProfile: Uint8Array;
}

let cached: PdfAssets | undefined;

function read(rel: string): Uint8Array {
  const file = path.join(TEMPLATES_ROOT, rel);
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`PDF renderer: cannot read the shipped asset ${file} (${(err as Error).message}); reinstall dataklausul`);
  }
}

/** Reads the shipped fonts and ICC profile once per process. */
export function loadPdfAssets(): PdfAssets {
  cached ??= {
    fonts: Object.fromEntries(Object.entries(FONT_FILES).map(([face, file]) => [face, read(`fonts/${file}`)])) as Record<FontFace, Uint8Array>,
    srgbProfile: read('icc/sRGB.icc'),
  };
  return cached;
}
