import type { BookmarkListNumber, PageNumberEstimator } from 'docx';

/** Approximate widths in twips of digits and full stops in Aptos 12 pt, which Word measures the number's tab stop in. */
const DIGIT = 133;
const STOP = 60;

/** The `w:name` of every bookmark start in the body, in document order. */
function bookmarkNames(node: unknown, out: string[]): string[] {
  if (Array.isArray(node)) {
    for (const child of node) bookmarkNames(child, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '_attr') continue;
      if (key === 'w:bookmarkStart') {
        const name = (value as { _attr?: Record<string, unknown> })._attr?.['w:name'];
        if (typeof name === 'string') out.push(name);
      } else {
        bookmarkNames(value, out);
      }
    }
  }
  return out;
}

/**
 * Lets the docx library write the table of contents with each heading's number in front of its text, as Word writes
 * it, without laying out the pages: the numbers are the ones the model (checked against Word's counting) gives, in
 * document order, matched to the bookmarks the library puts on the headings the table lists, also in document order.
 * Page numbers are left for Word to fill in when it updates the fields on opening the document.
 */
export function tocNumbering(numbers: readonly string[]): PageNumberEstimator {
  const estimate = () => ({ bookmarks: new Map<string, string>() });
  const listNumbers = (body: object): ReadonlyMap<string, BookmarkListNumber> => {
    const headings = bookmarkNames(body, []).filter((name) => name.startsWith('_Toc'));
    const map = new Map<string, BookmarkListNumber>();
    headings.forEach((name, i) => {
      const text = numbers[i];
      // Part headings carry no number.
      if (!text) return;
      const stops = text.split('.').length - 1;
      map.set(name, { text, separator: 'tab', width: (text.length - stops) * DIGIT + stops * STOP });
    });
    return map;
  };
  return Object.assign(estimate, { listNumbers });
}
