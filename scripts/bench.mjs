#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark of issue 16 in one run on one machine, whole processes timed
 * from outside, interleaved (A B C D, A B C D, …) after a warm-up so that a change in machine load
 * hits every command alike. Prints medians (and min–max), each ratio, CPU time and peak RSS.
 *
 *   npm run build && npm run bench [-- --runs 7 --batch-runs 7 --example examples/cloud-hr.yaml --count 357]
 *
 * 1. `build --format docx` vs pandoc converting the same appendix's Markdown to DOCX (target ≤ 1.0×).
 * 2. `build --format pdf` (PDF/A-1b) vs LibreOffice converting our DOCX to PDF, its profile warm
 *    (target ≤ 0.25×).
 * 3. `batch` of N appendices (default 357, one per municipality: a table of synthetic organisation
 *    numbers over one answers file), docx + pdf: wall time, appendices per second, peak RSS
 *    (target ≤ 60 s on 2 cores, ≤ 300 MB).
 * The compiled-library cache is used as in normal use (the warm-up fills it); `--cold` turns it off.
 * A benchmark, never a test: it prints figures and never fails on them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'dataklausul.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const RUNS = Math.max(1, Number(opt('runs', '7')));
const BATCH_RUNS = Math.max(1, Number(opt('batch-runs', '7')));
const COUNT = Math.max(1, Number(opt('count', '357')));
const EXAMPLE = path.resolve(ROOT, opt('example', 'examples/cloud-hr.yaml'));
const base = path.basename(EXAMPLE).replace(/\.ya?ml$/, '');
const work = mkdtempSync(path.join(os.tmpdir(), 'dk-bench-'));
const env = { ...process.env, DATAKLAUSUL_CACHE_DIR: path.join(work, 'cache'), ...(args.includes('--cold') ? { DATAKLAUSUL_CACHE: 'off' } : {}) };
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** One whole-process run under /usr/bin/time -v: wall ms (timed here), CPU ms and peak RSS (MiB). */
function measure(c) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', c.cmd, ...c.args], { cwd: ROOT, env, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${c.label} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const num = (re) => Number(re.exec(r.stderr)?.[1] ?? NaN);
  return { ms, cpuMs: (num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)) * 1000, rssMb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Interleaved runs after one warm-up of each; returns per-case samples. */
function interleaved(cases, runs) {
  for (const c of cases) measure(c);
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(measure(c)));
  return samples;
}

function row(label, s) {
  const ms = s.map((x) => x.ms);
  console.log(
    `  ${label.padEnd(44)} median ${median(ms).toFixed(0).padStart(6)} ms  (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)})  CPU ${median(s.map((x) => x.cpuMs)).toFixed(0).padStart(6)} ms  peak RSS ${Math.max(...s.map((x) => x.rssMb)).toFixed(0).padStart(4)} MiB`,
  );
}

/** The ratio of medians and the spread of the pairwise ratios (run i of A over run i of B). */
function ratio(label, a, b, target) {
  const r = median(a.map((x) => x.ms)) / median(b.map((x) => x.ms));
  const pairs = a.map((x, i) => x.ms / b[i].ms);
  console.log(`  ${label.padEnd(44)} ${r.toFixed(2)}×  (pairwise ${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)}; target ≤ ${target}×)`);
}

/** A valid Norwegian organisation number (mod 11) from a serial: 9xxxxxxxC. */
function orgNumber(serial) {
  for (let n = serial; ; n += 7919) {
    const digits = `9${String(n % 10_000_000).padStart(7, '0')}`;
    const w = [3, 2, 7, 6, 5, 4, 3, 2];
    const rest = w.reduce((acc, x, i) => acc + x * Number(digits[i]), 0) % 11;
    const check = rest === 0 ? 0 : 11 - rest;
    if (check !== 10) return `${digits}${check}`;
  }
}

try {
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; load average at start ${load()}`);
  console.log(`whole processes, ${RUNS} interleaved runs after one warm-up (batch: ${BATCH_RUNS}); example ${path.relative(ROOT, EXAMPLE)}\n`);

  const setup = (fmt) => {
    const r = spawnSync(process.execPath, [BIN, 'build', EXAMPLE, '--format', fmt, '--out', path.join(work, 'in'), '--force'], { cwd: ROOT, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  setup('md');
  setup('docx');
  const md = path.join(work, 'in', `${base}.md`);
  const docx = path.join(work, 'in', `${base}.docx`);
  const dk = (fmt) => ({ label: `dataklausul build --format ${fmt}`, cmd: process.execPath, args: [BIN, 'build', EXAMPLE, '--format', fmt, '--force', '--out', path.join(work, fmt)] });
  const cases = [dk('docx'), dk('pdf')];
  const pandoc = has('pandoc') ? { label: 'pandoc md → docx', cmd: 'pandoc', args: [md, '-o', path.join(work, 'pandoc.docx')] } : null;
  const soffice = has('soffice')
    ? { label: 'LibreOffice docx → pdf (profile warm)', cmd: 'soffice', args: [`-env:UserInstallation=file://${path.join(work, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', path.join(work, 'lo'), docx] }
    : null;
  if (soffice) measure(soffice); // the first run creates the profile
  const all = [cases[0], pandoc, cases[1], soffice].filter(Boolean);
  const s = interleaved(all, RUNS);
  const by = new Map(all.map((c, i) => [c, s[i]]));
  console.log('single appendix:');
  for (const c of all) row(c.label, by.get(c));
  console.log('ratios (medians of wall time):');
  if (pandoc) ratio('docx: dataklausul / pandoc', by.get(cases[0]), by.get(pandoc), '1.0');
  else console.log('  pandoc is not installed: no docx ratio');
  if (soffice) ratio('pdf: dataklausul / LibreOffice', by.get(cases[1]), by.get(soffice), '0.25');
  else console.log('  soffice is not installed: no pdf ratio');

  // The batch: one row per municipality over the example's answers.
  const table = path.join(work, 'municipalities.csv');
  const rows = Array.from({ length: COUNT }, (_, i) => `Kommune ${String(i + 1).padStart(3, '0')};${orgNumber(1000 + i * 13)};2027/${String(i + 1).padStart(4, '0')}`);
  writeFileSync(table, `buyer.name;buyer.orgNumber;procurement.reference\n${rows.join('\n')}\n`);
  const batch = {
    label: `dataklausul batch ${COUNT} × docx+pdf`,
    cmd: process.execPath,
    args: [BIN, 'batch', EXAMPLE, '--table', table, '--format', 'docx,pdf', '--force', '--out', path.join(work, 'batch'), '--json'],
  };
  const b = interleaved([batch], BATCH_RUNS)[0];
  const wall = median(b.map((x) => x.ms)) / 1000;
  console.log(`\nbatch (${os.availableParallelism()} cores, --jobs default):`);
  row(batch.label, b);
  console.log(`  wall ${wall.toFixed(1)} s (target ≤ 60 s on 2 cores), ${(COUNT / wall).toFixed(1)} appendices/s, peak RSS ${Math.max(...b.map((x) => x.rssMb)).toFixed(0)} MiB (target ≤ 300 MB)`);
  if (!existsSync(path.join(work, 'batch', `${base}-${orgNumber(1000)}.pdf`))) throw new Error('the batch did not write its files');
  console.log(`\nload average at end ${load()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
