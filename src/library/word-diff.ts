/**
 * A word-level diff (longest common subsequence over words and the spaces between them), used by
 * `diff` for clause texts and by `redline` for tracked changes. Pure.
 */
export type DiffPart = { op: 'same' | 'del' | 'ins'; text: string };

/** Splits text into words, whitespace runs and punctuation, so a diff never cuts inside a word. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
}

/**
 * Diffs two token lists. Common head and tail are trimmed first; the middle uses an O(n·m) LCS
 * table, bounded: above `limit` cells the middle is reported as one deletion and one insertion.
 */
export function diffTokens(a: readonly string[], b: readonly string[], limit = 4_000_000): DiffPart[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  const push = (op: DiffPart['op'], text: string) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else parts.push({ op, text });
  };
  push('same', a.slice(0, start).join(''));
  const ma = a.slice(start, endA);
  const mb = b.slice(start, endB);
  if (ma.length * mb.length > limit) {
    push('del', ma.join(''));
    push('ins', mb.join(''));
  } else {
    const n = ma.length;
    const m = mb.length;
    const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i]![j] = ma[i] === mb[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && ma[i] === mb[j]) {
        push('same', ma[i]!);
        i++;
        j++;
      } else if (i < n && (j === m || table[i + 1]![j]! >= table[i]![j + 1]!)) {
        // Deletions before insertions, as a reader expects a redline.
        push('del', ma[i]!);
        i++;
      } else {
        push('ins', mb[j]!);
        j++;
      }
    }
  }
  push('same', a.slice(endA).join(''));
  return parts;
}

/** Word diff of two strings. */
export function diffWords(a: string, b: string): DiffPart[] {
  return diffTokens(tokenize(a), tokenize(b));
}
