#!/usr/bin/env node
// Benchmarks the whole-process DOCX build against pandoc converting the same content (the appendix's own Markdown)
// to DOCX. Uses hyperfine when it is installed, else times the runs itself. Prints the median of each.
//
//   npm run build && node scripts/bench-docx.mjs [runs] [examples/cloud-hr.yaml]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 10);
const example = process.argv[3] ?? 'examples/cloud-hr.yaml';
const bin = path.join(root, 'bin', 'dataklausul.js');
const work = mkdtempSync(path.join(tmpdir(), 'dk-bench-'));
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

try {
  execFileSync(process.execPath, [bin, 'build', example, '--format', 'md', '--out', work, '--force'], { cwd: root, stdio: 'ignore' });
  const md = path.join(work, `${path.basename(example, '.yaml')}.md`);
  const commands = {
    dataklausul: `${q(process.execPath)} ${q(bin)} build ${q(example)} --format docx --force --out ${q(path.join(work, 'dk'))}`,
    pandoc: `pandoc ${q(md)} -o ${q(path.join(work, 'x.docx'))}`,
  };
  if (!has('pandoc')) delete commands.pandoc;

  const medians = {};
  if (has('hyperfine')) {
    const json = path.join(work, 'hyperfine.json');
    execFileSync('hyperfine', ['--warmup', '1', '--runs', String(runs), '--export-json', json, ...Object.values(commands)], { cwd: root, stdio: 'inherit' });
    const results = JSON.parse(readFileSync(json, 'utf8')).results;
    Object.keys(commands).forEach((name, i) => (medians[name] = results[i].median * 1000));
  } else {
    for (const [name, command] of Object.entries(commands)) {
      const times = [];
      spawnSync('sh', ['-c', command], { cwd: root, stdio: 'ignore' });
      for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        const r = spawnSync('sh', ['-c', command], { cwd: root, stdio: 'ignore' });
        if (r.status !== 0) throw new Error(`${name} failed: ${command}`);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      const mid = Math.floor(times.length / 2);
      medians[name] = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
    }
  }
  console.log(`\n${example}, ${runs} runs each (median wall time, whole process):`);
  for (const [name, ms] of Object.entries(medians)) console.log(`  ${name.padEnd(12)} ${ms.toFixed(0)} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
