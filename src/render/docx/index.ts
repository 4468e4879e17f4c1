import type { DocumentModel } from '../../assemble/model.js';
import { UsageError } from '../../library/problems.js';

export async function renderDocx(_model: DocumentModel): Promise<Uint8Array> {
  throw new UsageError('--format docx is not yet available in this version');
}
