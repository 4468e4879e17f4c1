import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FontFace } from './layout.js';

/**
 * The one place where the PDF renderer reads files: the fonts and the ICC profile shipped in
 * templates/ (content of the package, like the clause library). Resolved from this module's own
 * location, dist/render/pdf → ../../../templates, so it works from any working directory.
 */
const TEMPLATES = new URL('../../../templates/', import.meta.url);

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
  const file = fileURLToPath(new URL(rel, TEMPLATES));
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
