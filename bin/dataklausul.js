#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// A single build, lint or explain is over in well under a second: V8's optimising compiler
// (TurboFan) would compile the hot layout, font-subsetting and deflate code on a
// background thread and finish about when the process exits, which cost ~25 % of the CPU of
// `build --format pdf` and gained nothing. The long runs (`batch` over hundreds of rows, `serve`)
// keep it. Set before any of our code is loaded; a token `batch`/`serve` anywhere keeps it on.
const args = process.argv.slice(2);
if (!args.some((a) => a === 'batch' || a === 'serve')) setFlagsFromString('--no-turbofan');

// The CLI runs from one bundled file with V8's code cache (see src/cli/boot.ts).
let runBundle, bundle;
try {
  const boot = await import('../dist/cli/boot.js');
  runBundle = boot.runBundle;
  bundle = boot.findBundle(fileURLToPath(new URL('../dist/', import.meta.url)));
} catch (e) {
  // An installation without its build: say what to do, without a stack trace.
  process.stderr.write(e.code === 'ERR_MODULE_NOT_FOUND' ? 'dataklausul: dist/ is missing: run `npm run build` in the package folder\n' : `${e.message}\n`);
  process.exit(1);
}

// `dataklausul clauses list | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await runBundle(bundle, args);
