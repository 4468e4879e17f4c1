import type { Block, DocumentModel, Inline } from '../assemble/model.js';
import { titleBlockRows } from './title-rows.js';

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function inline(runs: readonly Inline[]): string {
  return runs
    .map((r) => {
      if (r.type === 'break') return '<br>';
      let t = r.type === 'link' ? `<a href="${esc(r.href)}">${esc(r.text)}</a>` : r.code ? `<code>${esc(r.text)}</code>` : esc(r.text);
      if (r.italic) t = `<em>${t}</em>`;
      if (r.bold) t = `<strong>${t}</strong>`;
      return t;
    })
    .join('');
}

function block(b: Block): string {
  switch (b.type) {
    case 'paragraph':
      return `<p>${inline(b.content)}</p>`;
    case 'heading':
      return `<h5><span class="num">${esc(b.number)}</span> ${inline(b.content)}</h5>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      const start = b.ordered && b.start !== 1 ? ` start="${b.start}"` : '';
      return `<${tag}${start}>${b.items.map((item) => `<li>${item.map(block).join('')}</li>`).join('')}</${tag}>`;
    }
    case 'table': {
      const al = (i: number) => (b.align[i] ? ` style="text-align:${b.align[i]}"` : '');
      return `<table><thead><tr>${b.header.map((c, i) => `<th${al(i)}>${inline(c)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c, i) => `<td${al(i)}>${inline(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    }
  }
}

const CSS = `
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.45; max-width: 48em; margin: 2em auto; color: #111; }
h1 { font-size: 20pt; margin-bottom: .2em; } h2 { margin-top: 1.6em; border-bottom: 2px solid #666; }
h2 { font-size: 15pt; } h3 { font-size: 13pt; margin-top: 1.6em; border-bottom: 1px solid #bbb; }
h4 { font-size: 11.5pt; margin-top: 1.2em; } h5 { font-size: 10.5pt; }
h2, h3, h4, h5 { page-break-after: avoid; break-after: avoid; }
section.part { break-before: page; } .amends { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .8em 0; } th, td { border: 1px solid #888; padding: .3em .5em; vertical-align: top; text-align: left; }
thead { display: table-header-group; } th { background: #eee; }
table.titleblock th { width: 14em; background: none; font-weight: normal; color: #444; }
.meta { font-size: 9pt; color: #444; font-style: italic; }
td.answer { min-width: 12em; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; word-break: break-all; }
nav ol { list-style: none; padding-left: 0; } nav ol ol { padding-left: 1.5em; }
@media print { nav { display: none; } body { margin: 0; max-width: none; } }
`;

/** Renders the appendix as one standalone, printable HTML page with the same structure as the DOCX. */
export function renderHtml(model: DocumentModel): string {
  const L = model.labels;
  const t = model.title;
  const rows = titleBlockRows(model);

  const parts: string[] = [];
  parts.push(`<header><p>${esc(t.appendixLabel)}</p><h1>${esc(t.heading)}</h1>`);
  parts.push(`<table class="titleblock"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`);
  if (t.description) parts.push(`<p>${esc(t.description)}</p>`);
  parts.push('</header>');

  // Anchors carry the part's index: numbering restarts in every part.
  const toc: string[] = [];
  model.parts.forEach((part, pi) => {
    const items = [
      ...part.sections.map((s) => `<li><a href="#p${pi + 1}-s${esc(s.number)}">${esc(s.number)} ${esc(s.title)}</a></li>`),
      ...(part.requirements ? [`<li><a href="#p${pi + 1}-requirements">${esc(part.requirements.number)} ${esc(part.requirements.title)}</a></li>`] : []),
    ];
    toc.push(`<li><a href="#p${pi + 1}">${esc(part.title)}</a><ol>${items.join('')}</ol></li>`);
  });
  toc.push(`<li><a href="#provenance">${esc(model.provenance.title)}</a></li>`);
  parts.push(`<nav><h2>${esc(L.contents)}</h2><ol>${toc.join('')}</ol></nav>`);
  // Landmarks: the title block is the banner, the contents the navigation, and the parts and the provenance annex the
  // main content, so that a screen reader can jump to each and no text is outside one (axe: landmark-one-main, region).
  parts.push('<main>');

  const rc = L.requirementColumns;
  model.parts.forEach((part, pi) => {
    const pid = `p${pi + 1}`;
    parts.push(`<section class="part" id="${pid}"><h2>${esc(part.title)}</h2><p class="intro">${esc(part.intro)}</p>`);
    for (const s of part.sections) {
      parts.push(`<section id="${pid}-s${esc(s.number)}"><h3>${esc(s.number)} ${esc(s.title)}</h3>`);
      for (const c of s.clauses) {
        parts.push(`<article id="${pid}-${esc(c.id.replace('/', '-'))}"><h4>${esc(c.number)} ${esc(c.title)}</h4>`);
        if (c.amends) parts.push(`<p class="amends">${esc(c.amends)}</p>`);
        parts.push(c.blocks.map(block).join('\n'));
        const meta = [c.requirementId ?? '', c.basis.length ? `${L.basis}: ${c.basis.join('; ')}` : ''].filter(Boolean).join(' · ');
        if (meta) parts.push(`<p class="meta">${esc(meta)}</p>`);
        parts.push('</article>');
      }
      parts.push('</section>');
    }
    const r = part.requirements;
    if (r) {
      parts.push(`<section id="${pid}-requirements"><h3>${esc(r.number)} ${esc(r.title)}</h3><p>${esc(r.intro)}</p>`);
      parts.push(
        `<table class="requirements"><thead><tr><th>${esc(rc.id)}</th><th>${esc(rc.text)}</th><th>${esc(rc.level)}</th><th>${esc(rc.answer)}</th></tr></thead><tbody>${r.rows
          .map((row) => `<tr><td>${esc(row.id)}</td><td>${esc(row.text)} (${esc(row.clauseNumber)})</td><td>${esc(row.levelText)}</td><td class="answer"></td></tr>`)
          .join('')}</tbody></table></section>`,
      );
    }
    parts.push('</section>');
  });

  const p = model.provenance;
  const pf = L.provenanceFields;
  const pc = L.provenanceColumns;
  parts.push(`<section id="provenance"><h2>${esc(p.title)}</h2><p>${esc(p.intro)}</p><ul>`);
  parts.push(`<li>${esc(pf.tool)}: ${esc(p.tool.name)} ${esc(p.tool.version)}</li>`);
  parts.push(`<li>${esc(pf.answers)}: ${esc(p.answers.file)} (SHA-256 <code>${esc(p.answers.digest)}</code>)</li>`);
  parts.push(`<li>${esc(pf.libraries)}: ${p.libraries.map((l) => `${esc(l.name)} ${esc(l.version)} (SHA-256 <code>${esc(l.digest)}</code>)`).join('; ')}</li>`);
  parts.push(`<li>${esc(pf.policy)}: ${p.policy ? `${esc(p.policy.name)} (SHA-256 <code>${esc(p.policy.digest)}</code>)` : esc(pf.none)}</li>`);
  parts.push(`<li>${esc(pf.deviations)}: ${p.deviations.length ? p.deviations.map((d) => `${esc(d.rule)}: ${esc(d.message)}`).join('; ') : esc(pf.none)}</li>`);
  if (p.omissions?.length) parts.push(`<li>${esc(pf.omissions)}: ${p.omissions.map((o) => `${esc(o.id)} ${esc(o.version)} (${esc(o.title)}): ${esc(o.reason)}`).join('; ')}</li>`);
  parts.push('</ul>');
  parts.push(
    `<table><thead><tr><th>${esc(pc.part)}</th><th>${esc(pc.number)}</th><th>${esc(pc.clause)}</th><th>${esc(pc.version)}</th><th>${esc(pc.library)}</th></tr></thead><tbody>${p.clauses
      .map((c) => `<tr><td>${esc(c.part)}</td><td>${esc(c.number)}</td><td>${esc(c.id)}</td><td>${esc(c.version)}</td><td>${esc(c.library)}</td></tr>`)
      .join('')}</tbody></table></section>`,
  );
  parts.push('</main>');

  const title = `${t.appendixLabel}: ${t.heading} – ${t.procurementTitle}`;
  return `<!DOCTYPE html>
<html lang="${esc(model.langTag)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<meta name="author" content="${esc(t.buyer)}">
<meta name="keywords" content="${esc(model.keywords.join(', '))}">
<meta name="date" content="${esc(t.date)}">
<style>${CSS}</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}

export async function renderHtmlBytes(model: DocumentModel): Promise<Uint8Array> {
  return new TextEncoder().encode(renderHtml(model));
}
