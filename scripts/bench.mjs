#!/usr/bin/env node
// Runs every benchmark: start-up (--help, --format md), DOCX against pandoc, PDF against LibreOffice.
//   npm run build && npm run bench
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'dataklausul.js');
const work = mkdtempSync(path.join(tmpdir(), 'dk-bench-'));
const runs = 15;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function time(args) {
  const times = [];
  spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'ignore' });
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`dataklausul ${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

try {
  console.log(`start-up, median of ${runs} whole-process runs:`);
  console.log(`  dataklausul --help                        ${time(['--help']).toFixed(0)} ms`);
  console.log(`  dataklausul build cloud-hr --format md    ${time(['build', 'examples/cloud-hr.yaml', '--format', 'md', '--force', '--out', work]).toFixed(0)} ms`);
  console.log(`  dataklausul lint                          ${time(['lint']).toFixed(0)} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const script of ['bench-docx.mjs', 'bench-pdf.mjs']) {
  console.log(`\n${script}:`);
  spawnSync(process.execPath, [path.join(root, 'scripts', script)], { cwd: root, stdio: 'inherit' });
}
