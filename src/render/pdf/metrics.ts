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
 * Font metrics from real fonts, with advance widths cached per face and code point: wrapping
 * measures every word, and a cmap search is slower than a Map hit.
 * Widths are plain advances (no kerning, no ligatures) because that is exactly how the renderer draws.
 */
export function createFontMetrics(fonts: Record<FontFace, MeasurableFont>): FontMetrics {
  const caches = new Map<FontFace, Map<number, number>>();
  const regular = fonts.regular;
  return {
    ascent: regular.ascent / regular.unitsPerEm,
    descent: regular.descent / regular.unitsPerEm,
    widthOf(face: FontFace, text: string, size: number): number {
      let cache = caches.get(face);
      if (!cache) caches.set(face, (cache = new Map()));
      const font = fonts[face];
      let units = 0;
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
        let w = cache.get(cp);
        if (w === undefined) {
          w = font.advanceOf(cp) / font.unitsPerEm;
          cache.set(cp, w);
        }
        units += w;
      }
      return units * size;
    },
  };
}
