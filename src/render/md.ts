import type { Block, DocumentModel, Inline } from '../assemble/model.js';
import { titleBlockRows } from './title-rows.js';

/**
 * Backslash-escapes text so that any CommonMark or GFM reader shows it literally: inline markup,
 * HTML and entities; at a line start, headings, list markers, block quotes and setext underlines
 * (`===`, `---`); and what GFM would turn into a link (`https://`, `www.`, `a@b.no`). Leading
 * spaces are dropped, since four of them would start a code block.
 */
export function esc(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) =>
      line
        .replace(/^[ \t]+/, '')
        .replace(/[\\`*_[\]<>#|~&!]/g, (c) => `\\${c}`)
        .replace(/:(?=\/\/)/g, '\\:')
        .replace(/\b(www)\./gi, '$1\\.')
        .replace(/@/g, '\\@')
        .replace(/^([-+=.])/, '\\$1')
        .replace(/^(\d+)([.)])/, '$1\\$2'),
    )
    .join('\n');
}

function inline(runs: readonly Inline[]): string {
  return runs
    .map((r) => {
      if (r.type === 'break') return '  \n';
      if (r.type === 'link') return `[${esc(r.text)}](<${r.href.replace(/[<>]/g, encodeURIComponent)}>)`;
      if (r.code) return `\`${r.text.replace(/`/g, '\u02cb')}\``;
      let t = esc(r.text);
      if (r.italic) t = `*${t}*`;
      if (r.bold) t = `**${t}**`;
      return t;
    })
    .join('');
}

function cell(runs: readonly Inline[]): string {
  return inline(runs).replace(/\n/g, ' ');
}

function block(b: Block, indent: string): string {
  switch (b.type) {
    case 'paragraph':
      return indent + inline(b.content).replace(/\n/g, `\n${indent}`);
    case 'heading':
      return `${indent}### ${b.number} ${inline(b.content)}`;
    case 'list':
      return b.items
        .map((item, i) => {
          const marker = b.ordered ? `${b.start + i}. ` : '- ';
          const pad = ' '.repeat(marker.length);
          const [first, ...rest] = item.map((x) => block(x, `${indent}${pad}`));
          const head = first === undefined ? `${indent}${marker}` : `${indent}${marker}${first.slice(indent.length + pad.length)}`;
          return [head, ...rest].join('\n');
        })
        .join('\n');
    case 'table': {
      const sep = b.align.map((a) => (a === 'center' ? ':---:' : a === 'right' ? '---:' : a === 'left' ? ':---' : '---'));
      const lines = [`| ${b.header.map(cell).join(' | ')} |`, `| ${sep.join(' | ')} |`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
      return lines.map((l) => indent + l).join('\n');
    }
  }
}

/** Renders the appendix as Markdown (CommonMark with GFM tables). */
export function renderMarkdown(model: DocumentModel): string {
  const L = model.labels;
  const t = model.title;
  const out: string[] = [];
  out.push(`# ${esc(t.appendixLabel)}: ${esc(t.heading)}`);
  const rows = titleBlockRows(model);
  out.push(`| | |\n| --- | --- |\n${rows.map(([k, v]) => `| ${esc(k)} | ${esc(v)} |`).join('\n')}`);
  if (t.description) out.push(esc(t.description));

  for (const part of model.parts) {
    out.push(`## ${esc(part.title)}`, esc(part.intro));
    for (const s of part.sections) {
      out.push(`### ${s.number} ${esc(s.title)}`);
      for (const c of s.clauses) {
        out.push(`#### ${c.number} ${esc(c.title)}`);
        if (c.amends) out.push(`*${esc(c.amends)}*`);
        for (const b of c.blocks) out.push(b.type === 'heading' ? `##### ${b.number} ${inline(b.content)}` : block(b, ''));
        const meta = [c.requirementId ? `${c.requirementId}` : '', c.basis.length ? `${L.basis}: ${c.basis.join('; ')}` : ''].filter(Boolean).join(' · ');
        if (meta) out.push(`*${esc(meta)}*`);
      }
    }
    const r = part.requirements;
    if (r) {
      const rc = L.requirementColumns;
      out.push(`### ${r.number} ${esc(r.title)}`, esc(r.intro));
      out.push(
        [
          `| ${esc(rc.id)} | ${esc(rc.text)} | ${esc(rc.level)} | ${esc(rc.answer)} |`,
          '| --- | --- | --- | --- |',
          ...r.rows.map((row) => `| ${row.id} | ${esc(row.text)} (${row.clauseNumber}) | ${esc(row.levelText)} |  |`),
        ].join('\n'),
      );
    }
  }

  const p = model.provenance;
  const pf = L.provenanceFields;
  const pc = L.provenanceColumns;
  out.push(`## ${esc(p.title)}`, esc(p.intro));
  out.push(
    [
      `- ${esc(pf.tool)}: ${esc(p.tool.name)} ${esc(p.tool.version)}`,
      `- ${esc(pf.answers)}: ${esc(p.answers.file)} (SHA-256 \`${p.answers.digest}\`)`,
      `- ${esc(pf.libraries)}: ${p.libraries.map((l) => `${esc(l.name)} ${esc(l.version)} (SHA-256 \`${l.digest}\`)`).join('; ')}`,
      `- ${esc(pf.policy)}: ${p.policy ? `${esc(p.policy.name)} (SHA-256 \`${p.policy.digest}\`)` : esc(pf.none)}`,
      `- ${esc(pf.deviations)}: ${p.deviations.length ? p.deviations.map((d) => `${esc(d.rule)}: ${esc(d.message)}`).join('; ') : esc(pf.none)}`,
      ...(p.omissions?.length ? [`- ${esc(pf.omissions)}: ${p.omissions.map((o) => `${esc(o.id)} ${o.version} (${esc(o.title)}): ${esc(o.reason)}`).join('; ')}`] : []),
    ].join('\n'),
  );
  out.push(
    [
      `| ${esc(pc.part)} | ${esc(pc.number)} | ${esc(pc.clause)} | ${esc(pc.version)} | ${esc(pc.library)} |`,
      '| --- | --- | --- | --- | --- |',
      ...p.clauses.map((c) => `| ${esc(c.part)} | ${c.number} | ${esc(c.id)} | ${c.version} | ${esc(c.library)} |`),
    ].join('\n'),
  );
  return `${out.join('\n\n')}\n`;
}

export async function renderMarkdownBytes(model: DocumentModel): Promise<Uint8Array> {
  return new TextEncoder().encode(renderMarkdown(model));
}
