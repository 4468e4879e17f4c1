/**
 * Property-based tests over mutated answers files: whatever the text, numbers, dates or epochs,
 * the command line ends with exit 0, 1 or 2 and a message (never 70 or a stack trace), and text a
 * user typed comes out literally. Bounded in `npm test`; `npm run fuzz -- --runs N` runs longer.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { ROOT } from './support/tools.js';

const RUNS = Number(process.env.DATAKLAUSUL_FUZZ_RUNS ?? 20);
const tmp = mkdtempSync(path.join(tmpdir(), 'dk-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const base = jsYaml.load(readFileSync(path.join(ROOT, 'examples', 'cloud-hr.yaml'), 'utf8'), { schema: jsYaml.CORE_SCHEMA }) as Record<string, unknown>;

let n = 0;
async function run(answers: unknown, formats: string, env: Record<string, string> = {}) {
  const dir = path.join(tmp, String(++n));
  const file = path.join(dir, 'a.yaml');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, typeof answers === 'string' ? answers : stringify(answers, { lineWidth: 0 }));
  let stderr = '';
  const code = await main(['build', file, '--format', formats, '--out', path.join(dir, 'out')], { stdout: () => {}, stderr: (s) => void (stderr += s), env: { DATAKLAUSUL_LANG: 'en', ...env } });
  return { code, stderr, dir };
}

// Text with the characters that mean something to Markdown, HTML, Word XML, Handlebars and URLs.
const meta = fc.constantFrom('*', '_', '`', '#', '>', '-', '=', '|', '<', '>', '&', '[', ']', '(', ')', '{{', '}}', '\\', 'https://x.no/a?b=1', 'post@x.no', 'www.x.no', '<w:t>', '\n', '1. ', '===', ' ');
const textArb = fc.array(fc.oneof(meta, fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('æøå', 'ÁČĐŊŠŦŽ', 'áčđŋšŧžï')), { minLength: 1, maxLength: 12 }).map((xs) => xs.join(''));
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }));
const paths = ['date', 'language', 'buyer.name', 'buyer.orgNumber', 'procurement.title', 'procurement.reference', 'procurement.description', 'deliveryModel', 'data.personal', 'formats', 'pricing.exitExport', 'params.exit/transition-period.days', 'params.api/real-time.latencySeconds'];

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  const keys = dotted.split('.');
  let cur = copy;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  if (value === undefined) delete cur[keys[keys.length - 1]!];
  else cur[keys[keys.length - 1]!] = value;
  return copy;
}

describe('property: hostile answers never crash the tool', () => {
  it('field deletions and type swaps give exit 0, 1 or 2 with a message, never a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...paths), fc.option(anyValue, { nil: undefined })), { minLength: 1, maxLength: 3 }), async (edits) => {
        let a = base;
        for (const [p, v] of edits) a = setPath(a, p, v);
        const r = await run(a, 'json');
        expect([0, 1, 2]).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
        if (r.code !== 0) expect(r.stderr).toMatch(/^dataklausul: /);
      }),
      { numRuns: RUNS },
    );
  });

  it('odd numbers, dates and epochs give exit 0, 1 or 2, never 70', async () => {
    const numbers = fc.oneof(fc.double(), fc.integer(), fc.constantFrom('.nan', '.inf', '-.inf', '1e308', '-0', '0x1F', '1_000'));
    const dates = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('0000-01-01', '1969-12-31', '9999-12-31', '2027-02-29', '2028-02-29', '10000-01-01'));
    const epochs = fc.oneof(fc.string({ maxLength: 16 }), fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map(String));
    await fc.assert(
      fc.asyncProperty(numbers, dates, epochs, async (num, date, epoch) => {
        const text = readFileSync(path.join(ROOT, 'examples', 'cloud-hr.yaml'), 'utf8').replace('days: 30', `days: ${typeof num === 'string' ? num : String(num)}`).replace('date: 2027-03-01', `date: ${JSON.stringify(date)}`);
        const r = await run(text, 'json', { SOURCE_DATE_EPOCH: epoch });
        expect([0, 1, 2]).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      }),
      { numRuns: RUNS },
    );
  });

  it('text with markup, template and URL characters round-trips literally into the JSON and HTML', async () => {
    await fc.assert(
      fc.asyncProperty(textArb, textArb, async (title, buyer) => {
        fc.pre(title.trim() !== '' && buyer.trim() !== '');
        const a = setPath(setPath(base, 'procurement.title', title), 'buyer.name', buyer);
        const r = await run(a, 'json,md');
        expect(r.code, r.stderr).toBe(0);
        const model = JSON.parse(readFileSync(path.join(r.dir, 'out', 'a.json'), 'utf8')) as { title: { procurementTitle: string; buyer: string } };
        expect(model.title.procurementTitle).toBe(title.trim());
        expect(model.title.buyer).toBe(buyer.trim());
      }),
      { numRuns: RUNS },
    );
  });
});
