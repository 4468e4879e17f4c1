import { parentPort } from 'node:worker_threads';
import type { DocumentModel } from '../assemble/model.js';
import { renderFormats, type Format } from '../render/index.js';

/**
 * A render worker for `dataklausul batch`: receives a finished DocumentModel, returns the bytes of
 * each format. It never reads the libraries or writes files; the main thread does both.
 */

export interface RenderJob {
  id: number;
  model: DocumentModel;
  formats: Format[];
}

export type RenderResult = { id: number; files: Array<{ format: Format; bytes: Uint8Array }> } | { id: number; error: string };

const port = parentPort!;
port.on('message', (job: RenderJob) => {
  renderFormats(job.model, job.formats).then(
    (files) => port.postMessage({ id: job.id, files } satisfies RenderResult),
    (e: unknown) => port.postMessage({ id: job.id, error: (e as Error)?.stack ?? String(e) } satisfies RenderResult),
  );
});
