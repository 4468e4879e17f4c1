import type { DocumentModel } from '../assemble/model.js';

/** The DocumentModel itself, with its provenance manifest, as stable pretty-printed JSON. */
export async function renderJsonBytes(model: DocumentModel): Promise<Uint8Array> {
  return new TextEncoder().encode(`${JSON.stringify(model, null, 2)}\n`);
}
