import path from 'node:path';
import { PACKAGE_ROOT, PACKAGE_VERSION, TEMPLATES_ROOT } from '../library/package-root.js';

export { PACKAGE_ROOT };
export const BASE_LIBRARY_DIR = path.join(PACKAGE_ROOT, 'clauses');
export const TEMPLATES_DIR = TEMPLATES_ROOT;

export function toolVersion(): string {
  return PACKAGE_VERSION;
}
