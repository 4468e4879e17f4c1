import type { DocumentModel, Inline, Block } from '../assemble/model.js';
import { diffTokens, tokenize, type DiffPart } from '../library/word-diff.js';

/**
 * Redlines: what changed between two built appendices (their JSON document models), as a DOCX with
 * real Word tracked changes (`w:ins` / `w:del` by "dataklausul", dated with the newer appendix's
 * date) and as HTML with `<ins>` / `<del>`. Pure: models in, bytes out.
 */

export interface Para {
  kind: 'title' | 'h1' | 'h2' | 'h3' | 'p' | 'item' | 'row' | 'note';
  text: string;
}

export type RedlinePara = { kind: Para['kind']; parts: DiffPart[] };

function inlineText(content: readonly Inline[]): string {
  return content.map((r) => (r.type === 'break' ? ' ' : r.text)).join('').replace(/\s+/g, ' ').trim();
}

function blockParas(b: Block, out: Para[], prefix = ''): void {
  if (b.type === 'paragraph') out.push({ kind: prefix ? 'item' : 'p', text: prefix + inlineText(b.content) });
  else if (b.type === 'heading') out.push({ kind: 'h3', text: `${b.number} ${inlineText(b.content)}` });
  else if (b.type === 'list') {
    b.items.forEach((item, i) => {
      const mark = b.ordered ? `${b.start + i}. ` : '• ';
      item.forEach((inner, j) => blockParas(inner, out, j === 0 ? `${prefix ? `${prefix}` : ''}${mark}` : prefix || '  '));
    });
  } else if (b.type === 'table') {
    out.push({ kind: 'row', text: b.header.map(inlineText).join(' | ') });
    for (const row of b.rows) out.push({ kind: 'row', text: row.map(inlineText).join(' | ') });
  }
}

interface SectionLike {
  number: string;
  title: string;
  clauses: Array<{ number: string; title: string; blocks: Block[]; basis: string[] }>;
}
interface RequirementsLike {
  number: string;
  title: string;
  rows: Array<{ id: string; text: string; levelText: string; placement?: string }>;
}
/** A part of the appendix (one SSA appendix), or the whole appendix of a model without parts. */
interface PartLike {
  title?: string;
  sections: SectionLike[];
  requirements: RequirementsLike | null;
}

/** The parts of a model: `parts` (model version 2), or one untitled part (model version 1). */
function partsOf(model: DocumentModel): PartLike[] {
  const m = model as unknown as { parts?: PartLike[]; sections?: SectionLike[]; requirements?: RequirementsLike };
  if (Array.isArray(m.parts)) return m.parts;
  return [{ sections: m.sections ?? [], requirements: m.requirements ?? null }];
}

/** The appendix as a flat list of paragraphs, in reading order: title block, parts with their clauses and requirements. */
export function flattenModel(model: DocumentModel): Para[] {
  const t = model.title;
  const out: Para[] = [
    { kind: 'title', text: `${t.appendixLabel}: ${t.heading}` },
    { kind: 'p', text: `${model.labels.buyer}: ${t.buyer} (${t.orgNumber})` },
    { kind: 'p', text: `${model.labels.procurement}: ${t.procurementTitle}` },
    { kind: 'p', text: `${model.labels.reference}: ${t.reference}` },
    { kind: 'p', text: `${model.labels.contractType}: ${t.contractType}` },
    { kind: 'p', text: `${model.labels.date}: ${t.dateText}` },
  ];
  if (t.description) out.push({ kind: 'p', text: t.description });
  for (const part of partsOf(model)) {
    const sub = part.title ? 1 : 0;
    if (part.title) out.push({ kind: 'h1', text: part.title });
    const h = (level: number) => (['h1', 'h2', 'h3'] as const)[Math.min(2, level + sub)]!;
    for (const section of part.sections) {
      out.push({ kind: h(0), text: `${section.number} ${section.title}` });
      for (const c of section.clauses) {
        out.push({ kind: h(1), text: `${c.number} ${c.title}` });
        for (const b of c.blocks) blockParas(b, out);
        if (c.basis.length) out.push({ kind: 'note', text: `${model.labels.basis}: ${c.basis.join('; ')}` });
      }
    }
    const r = part.requirements;
    if (r) {
      out.push({ kind: h(0), text: `${r.number} ${r.title}` });
      for (const row of r.rows) out.push({ kind: 'row', text: [row.id, row.text, row.levelText, row.placement].filter(Boolean).join(' | ') });
    }
  }
  return out;
}

/**
 * Paragraph-level diff (LCS over paragraph texts), then word-level inside paragraphs that were
 * changed rather than added or removed: a removed run followed by an added run is paired up
 * paragraph by paragraph when they are of the same kind.
 */
export function redlineParagraphs(before: readonly Para[], after: readonly Para[]): RedlinePara[] {
  const key = (p: Para) => `${p.kind}\u0000${p.text}`;
  const ops = diffTokens(before.map(key).map((k) => `${k}\u0001`), after.map(key).map((k) => `${k}\u0001`));
  // diffTokens joins tokens into text; split back into paragraph keys.
  const seq: Array<{ op: DiffPart['op']; para: Para }> = [];
  for (const part of ops) {
    for (const k of part.text.split('\u0001').slice(0, -1)) {
      const [kind, text] = k.split('\u0000') as [Para['kind'], string];
      seq.push({ op: part.op, para: { kind, text } });
    }
  }
  const out: RedlinePara[] = [];
  for (let i = 0; i < seq.length; ) {
    const s = seq[i]!;
    if (s.op === 'same') {
      out.push({ kind: s.para.kind, parts: [{ op: 'same', text: s.para.text }] });
      i++;
      continue;
    }
    const dels: Para[] = [];
    const inss: Para[] = [];
    while (i < seq.length && seq[i]!.op !== 'same') {
      (seq[i]!.op === 'del' ? dels : inss).push(seq[i]!.para);
      i++;
    }
    // Pair removed and added paragraphs of the same kind, in order; the rest stay whole.
    let d = 0;
    let n = 0;
    while (d < dels.length || n < inss.length) {
      const a = dels[d];
      const b = inss[n];
      if (a && b && a.kind === b.kind && similar(a.text, b.text)) {
        out.push({ kind: b.kind, parts: diffTokens(tokenize(a.text), tokenize(b.text)) });
        d++;
        n++;
      } else if (a && (!b || dels.length - d >= inss.length - n)) {
        out.push({ kind: a.kind, parts: [{ op: 'del', text: a.text }] });
        d++;
      } else if (b) {
        out.push({ kind: b.kind, parts: [{ op: 'ins', text: b.text }] });
        n++;
      }
    }
  }
  return out;
}

/** Two paragraphs are versions of one another when at least a third of their words are shared. */
function similar(a: string, b: string): boolean {
  const wa = new Set(a.toLowerCase().split(/\s+/));
  const wb = b.toLowerCase().split(/\s+/);
  const shared = wb.filter((w) => wa.has(w)).length;
  return shared * 3 >= Math.max(wa.size, wb.length);
}

export interface RedlineSummary {
  insertions: number;
  deletions: number;
  changedParagraphs: number;
}

export function summarize(paras: readonly RedlinePara[]): RedlineSummary {
  let insertions = 0;
  let deletions = 0;
  let changedParagraphs = 0;
  for (const p of paras) {
    const ins = p.parts.filter((x) => x.op === 'ins' && x.text.trim()).length;
    const del = p.parts.filter((x) => x.op === 'del' && x.text.trim()).length;
    insertions += ins;
    deletions += del;
    if (ins || del) changedParagraphs++;
  }
  return { insertions, deletions, changedParagraphs };
}

/** Checks that both models can be compared; returns the languages that differ (for the message), or null. */
export function redlineMismatch(before: DocumentModel, after: DocumentModel): { beforeLang: string; afterLang: string } | null {
  if (before.lang !== after.lang) return { beforeLang: before.lang, afterLang: after.lang };
  return null;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const HTML_TAG: Record<Para['kind'], string> = { title: 'h1', h1: 'h2', h2: 'h3', h3: 'h4', p: 'p', item: 'p class="item"', row: 'p class="row"', note: 'p class="note"' };

/** The redline as a standalone HTML page. */
export function renderRedlineHtml(
  paras: readonly RedlinePara[],
  before: DocumentModel,
  after: DocumentModel,
  labels: { title: string; from: string; to: string; counts: (c: { insertions: number; deletions: number; n: number }) => string },
): string {
  const body = paras
    .map((p) => {
      const tag = HTML_TAG[p.kind];
      const close = tag.split(' ')[0];
      const inner = p.parts.map((x) => (x.op === 'same' ? escapeHtml(x.text) : `<${x.op}>${escapeHtml(x.text)}</${x.op}>`)).join('');
      return `<${tag}>${inner}</${close}>`;
    })
    .join('\n');
  const s = summarize(paras);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(after.langTag)}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(labels.title)}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 48rem; margin: 2rem auto; line-height: 1.5; color: #1a1a1a; }
ins { background: #d7f5dd; color: #0b5d1e; text-decoration: underline; }
del { background: #fde2e1; color: #8a1c1c; text-decoration: line-through; }
.row, .note { font-size: 0.9em; }
.item { margin-left: 1.5rem; }
.summary { border: 1px solid #888; padding: 0.5rem 1rem; }
</style>
</head>
<body>
<p class="summary">${escapeHtml(labels.from)}: ${escapeHtml(before.provenance.answers.file)} (${escapeHtml(before.title.dateText)}) — ${escapeHtml(labels.to)}: ${escapeHtml(after.provenance.answers.file)} (${escapeHtml(after.title.dateText)}). ${escapeHtml(labels.counts({ insertions: s.insertions, deletions: s.deletions, n: s.changedParagraphs }))}</p>
${body}
</body>
</html>
`;
}

/** The redline as a DOCX with Word tracked changes. */
export async function renderRedlineDocx(paras: readonly RedlinePara[], after: DocumentModel): Promise<Uint8Array> {
  const { renderRedlineDocxBytes } = await import('./docx/redline.js');
  const style = { title: 'Title', h1: 'Heading1', h2: 'Heading2', h3: 'Heading3' } as const;
  return renderRedlineDocxBytes(
    paras.map((p) => ({
      ...(p.kind in style ? { style: style[p.kind as keyof typeof style] } : {}),
      ...(p.kind === 'item' ? { indent: true } : {}),
      ...(p.kind === 'row' || p.kind === 'note' ? { small: true } : {}),
      parts: p.parts,
    })),
    { title: `${after.title.appendixLabel}: ${after.title.heading} – ${after.title.procurementTitle}`, date: after.title.date },
  );
}
