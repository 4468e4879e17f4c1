#!/usr/bin/env node
// Long property-based runs: npm run fuzz -- --runs 2000
import { spawnSync } from 'node:child_process';
const i = process.argv.indexOf('--runs');
const runs = i >= 0 ? process.argv[i + 1] : '500';
if (!/^\d+$/.test(runs ?? '')) {
  console.error('usage: npm run fuzz -- --runs N');
  process.exit(2);
}
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz.test.ts'], { stdio: 'inherit', env: { ...process.env, DATAKLAUSUL_FUZZ_RUNS: runs } });
process.exit(r.status ?? 1);
