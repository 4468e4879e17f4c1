import type { FontFace, FontMetrics } from './layout.js';

/** What measuring needs from a font: vertical metrics and the advance of a code point's glyph. */
export interface MeasurableFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  /** Advance width, in font units, of the glyph the cmap maps `codePoint` to. */
  advanceOf(codePoint: number): number;
}

/**
 * Advances per em of one face: BMP code units in a table (0: not looked up yet, so a glyph without
 * advance is looked up each time; a zero-filled table costs nothing to make), the rest in a Map.
 */
interface FaceWidths {
  bmp: Float64Array;
  astral: Map<number, number>;
  font: MeasurableFont;
}

function faceWidths(font: MeasurableFont): FaceWidths {
  return { bmp: new Float64Array(0x10000), astral: new Map(), font };
}

/** The advance per em of a code point outside the table (astral, or a lone surrogate). */
function astralWidth(t: FaceWidths, cp: number): number {
  let w = t.astral.get(cp);
  if (w === undefined) t.astral.set(cp, (w = t.font.advanceOf(cp) / t.font.unitsPerEm));
  return w;
}

/**
 * Font metrics from real fonts, with advance widths cached per face and code point: wrapping
 * measures every word, and a cmap search is slower than a table hit. Measuring is one loop over
 * the UTF-16 code units with a typed-array load each (the layout runs it over every character
 * of the document, in a short process where V8 does not optimise it).
 * Widths are plain advances (no kerning, no ligatures) because that is exactly how the renderer draws.
 */
export function createFontMetrics(fonts: Record<FontFace, MeasurableFont>): FontMetrics {
  const tables: Record<FontFace, FaceWidths> = {
    regular: faceWidths(fonts.regular),
    bold: faceWidths(fonts.bold),
    italic: faceWidths(fonts.italic),
    boldItalic: faceWidths(fonts.boldItalic),
    mono: faceWidths(fonts.mono),
  };
  const regular = fonts.regular;
  return {
    ascent: regular.ascent / regular.unitsPerEm,
    descent: regular.descent / regular.unitsPerEm,
    widthOf(face: FontFace, text: string, size: number): number {
      const t = tables[face];
      const bmp = t.bmp;
      let units = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        let w = bmp[c]!;
        if (w === 0) {
          if (c >= 0xd800 && c <= 0xdfff) {
            // A surrogate pair is one code point; a lone surrogate is measured as itself.
            const cp = text.codePointAt(i)!;
            if (cp > 0xffff) i++;
            w = astralWidth(t, cp);
          } else bmp[c] = w = t.font.advanceOf(c) / t.font.unitsPerEm;
        }
        units += w;
      }
      return units * size;
    },
  };
}
