#!/usr/bin/env node
/**
 * Benchmark: whole-process PDF build by dataklausul vs LibreOffice converting the same appendix's
 * DOCX to PDF. Reports median wall time and peak memory (maximum resident set size) over N runs,
 * after one unmeasured warm-up run of each (LibreOffice creates its profile on the first run).
 *
 *   npm run build && node scripts/bench-pdf.mjs [--runs 7] [--example examples/cloud-hr.yaml]
 *
 * Target: our PDF build takes at most 1/4 of LibreOffice's time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'dataklausul.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const RUNS = Number(opt('runs', '7'));
const EXAMPLE = path.resolve(ROOT, opt('example', 'examples/cloud-hr.yaml'));
const base = path.basename(EXAMPLE, '.yaml');
const work = mkdtempSync(path.join(tmpdir(), 'bench-pdf-'));

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command, returning wall time (ms) and peak RSS (KiB) of the whole process tree it waits for. */
function measure(cmd, cmdArgs) {
  const start = process.hrtime.bigint();
  let r;
  let maxRssKb = NaN;
  let cpuMs = NaN;
  if (GNU_TIME) {
    r = spawnSync(GNU_TIME, ['-v', cmd, ...cmdArgs], { encoding: 'utf8', timeout: 300_000 });
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (m) maxRssKb = Number(m[1]);
    const u = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
    const sy = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
    if (u && sy) cpuMs = (Number(u[1]) + Number(sy[1])) * 1000;
  } else {
    // No GNU time: a Python wrapper reads the children's rusage (ru_maxrss is KiB on Linux).
    const py = 'import resource,subprocess,sys\nr=subprocess.run(sys.argv[1:])\nu=resource.getrusage(resource.RUSAGE_CHILDREN)\nprint("MAXRSS",u.ru_maxrss,"CPU",u.ru_utime+u.ru_stime,file=sys.stderr)\nsys.exit(r.returncode)';
    r = spawnSync('python3', ['-c', py, cmd, ...cmdArgs], { encoding: 'utf8', timeout: 300_000 });
    const m = /MAXRSS (\d+) CPU ([\d.]+)/.exec(r.stderr ?? '');
    if (m) {
      maxRssKb = Number(m[1]);
      cpuMs = Number(m[2]) * 1000;
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { ms, maxRssKb, cpuMs };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Runs the commands interleaved (so that a change in machine load hits all of them alike). */
function bench(cases) {
  for (const c of cases) measure(c.cmd, c.args); // warm-up: file cache, LibreOffice profile
  const runs = cases.map(() => []);
  for (let i = 0; i < RUNS; i++) cases.forEach((c, j) => runs[j].push(measure(c.cmd, c.args)));
  return cases.map((c, j) => {
    const rs = runs[j];
    const res = { label: c.label, medianMs: median(rs.map((r) => r.ms)), minMs: Math.min(...rs.map((r) => r.ms)), cpuMs: median(rs.map((r) => r.cpuMs)), peakRssMb: Math.max(...rs.map((r) => r.maxRssKb)) / 1024 };
    console.log(
      `${c.label.padEnd(40)} median ${res.medianMs.toFixed(0).padStart(6)} ms   min ${res.minMs.toFixed(0).padStart(6)} ms   CPU (user+sys) median ${res.cpuMs.toFixed(0).padStart(6)} ms   peak RSS ${res.peakRssMb.toFixed(1).padStart(7)} MB`,
    );
    return res;
  });
}

// The LibreOffice input: our own DOCX of the same appendix; pandoc from our Markdown if the DOCX renderer fails.
const docxDir = path.join(work, 'docx');
let docx = path.join(docxDir, `${base}.docx`);
let docxSource = 'dataklausul --format docx';
const d = spawnSync(process.execPath, [BIN, 'build', EXAMPLE, '--format', 'docx', '--out', docxDir, '--force'], { encoding: 'utf8' });
if (d.status !== 0 || !existsSync(docx)) {
  spawnSync(process.execPath, [BIN, 'build', EXAMPLE, '--format', 'md', '--out', docxDir, '--force'], { encoding: 'utf8' });
  docx = path.join(docxDir, `${base}-pandoc.docx`);
  const p = spawnSync('pandoc', [path.join(docxDir, `${base}.md`), '-o', docx], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`neither the DOCX renderer nor pandoc produced a DOCX:\n${d.stderr}\n${p.stderr}`);
  docxSource = 'pandoc from dataklausul --format md (DOCX renderer unavailable)';
}

console.log(`example: ${path.relative(ROOT, EXAMPLE)}; ${RUNS} runs each after one warm-up; memory via ${GNU_TIME ? '/usr/bin/time -v' : 'python3 rusage wrapper'}`);
console.log(`LibreOffice input: ${docxSource}\n`);

const profile = `file://${path.join(work, 'lo-profile')}`;
const [ours, , lo] = bench([
  { label: 'dataklausul build --format pdf', cmd: process.execPath, args: [BIN, 'build', EXAMPLE, '--format', 'pdf', '--force', '--out', path.join(work, 'ours')] },
  // The CLI's fixed cost (library loading, assembly) without any PDF work, for reference.
  { label: 'dataklausul build --format md (baseline)', cmd: process.execPath, args: [BIN, 'build', EXAMPLE, '--format', 'md', '--force', '--out', path.join(work, 'md')] },
  { label: 'soffice --convert-to pdf (DOCX)', cmd: 'soffice', args: [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', path.join(work, 'lo'), docx] },
]);

const ratio = ours.medianMs / lo.medianMs;
console.log(`\nratio ours/LibreOffice, wall-time medians: ${ratio.toFixed(3)} (target ≤ 0.25) → ${ratio <= 0.25 ? 'met' : 'NOT met'}`);
console.log(`ratio ours/LibreOffice, CPU medians: ${(ours.cpuMs / lo.cpuMs).toFixed(3)}`);
rmSync(work, { recursive: true, force: true });
