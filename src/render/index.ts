import type { DocumentModel } from '../assemble/model.js';

/** A renderer turns a DocumentModel into the bytes of one file. It never writes files. */
export type Renderer = (model: DocumentModel) => Promise<Uint8Array>;

export const FORMATS = ['docx', 'pdf', 'md', 'html', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * The renderer registry. Each entry imports its module only when its format is asked for, so that
 * `--format md` never loads docx or the PDF renderer's font parsing.
 */
export const renderers: Record<Format, () => Promise<Renderer>> = {
  md: async () => (await import('./md.js')).renderMarkdownBytes,
  html: async () => (await import('./html.js')).renderHtmlBytes,
  json: async () => (await import('./json.js')).renderJsonBytes,
  docx: async () => (await import('./docx/index.js')).renderDocx,
  pdf: async () => (await import('./pdf/index.js')).renderPdf,
  // The requirements table alone, as a spreadsheet answer sheet.
  csv: async () => (await import('./csv.js')).renderCsvBytes,
};

/** Renders one model in each of the formats, in order. The one render step of `build`, `new` and `batch`. */
export async function renderFormats(model: DocumentModel, formats: readonly Format[]): Promise<Array<{ format: Format; bytes: Uint8Array }>> {
  const out = [];
  for (const format of formats) out.push({ format, bytes: await (await renderers[format]())(model) });
  return out;
}
