import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterviewSpec } from '../src/cli/new-command.js';
import { loadContext } from '../src/cli/pipeline.js';
import { writeFilesAtomically } from '../src/cli/write.js';
import { startServer, type RunningServer } from '../src/cli/serve/server.js';
import { ROOT, runCli } from './support/tools.js';
import { startServeProcess } from './support/serve-process.js';

/**
 * `dataklausul serve` over plain HTTP, without a browser: what its own pages would never send is
 * refused; a whole round trip works without JavaScript; nothing a client sends gives a server
 * error. (test/serve-browser.test.ts drives the pages in Chromium.)
 */

let tmp: string;
let running: RunningServer;
let base: string;
let origin: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dk-serve-http-'));
  const [spec, context] = await Promise.all([loadInterviewSpec(), loadContext()]);
  running = await startServer(
    {
      spec,
      context,
      policy: null,
      out: null,
      force: false,
      formats: ['md', 'json'],
      assets: { css: readFileSync(path.join(ROOT, 'templates/serve/style.css')), js: readFileSync(path.join(ROOT, 'templates/serve/app.js')) },
      loopback: true,
      today: () => '2027-03-01',
      env: process.env,
      write: (files, force) => writeFilesAtomically(files, { force }),
    },
    '127.0.0.1',
    0,
  );
  base = running.url;
  origin = base.replace(/\/$/, '');
}, 120_000);

afterAll(async () => {
  await running?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A raw request, so that headers a browser would never send can be sent. */
function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    // A server that refuses a body half-way may close the connection before it is all sent.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve({ status: -1, headers: {}, body: Buffer.alloc(0) }) : reject(e)));
    req.end(opts.body);
  });
}

/** A new browser session: its cookie and form token. */
async function session(): Promise<{ cookie: string; token: string }> {
  const r = await request(base);
  return { cookie: r.headers['set-cookie']![0]!.split(';')[0]!, token: /name="token" value="([^"]+)"/.exec(r.body.toString())![1]! };
}

const multipart = (token: string, filename: string, data: Buffer | string) => {
  const boundary = '----dkboundary7MA4YWxkTrZu0gW';
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/yaml\r\n\r\n`),
      Buffer.isBuffer(data) ? data : Buffer.from(data),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
};

describe('dataklausul serve refuses what its own pages would never send', () => {
  let cookie: string;
  let token: string;
  beforeAll(async () => {
    ({ cookie, token } = await session());
  });
  const form = (body: string, headers: Record<string, string> = {}) =>
    request(`${base}start`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, Origin: origin, ...headers }, body });

  it('sends a strict Content-Security-Policy and no caching', async () => {
    const r = await request(base);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['set-cookie']![0]).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it("a POST without the session token, with a wrong token, or without the session cookie", async () => {
    expect((await form('lang=en')).status).toBe(403);
    expect((await form('lang=en&token=x')).status).toBe(403);
    const other = await session();
    expect((await form(`lang=en&token=${other.token}`)).status).toBe(403);
    expect((await form(`lang=en&token=${token}`, { Cookie: '' })).status).toBe(403);
    // The same request with the token is accepted: the refusals above are the token's doing.
    expect((await form(`lang=en&token=${token}`)).status).toBe(303);
  });

  it('a POST from another origin, or with no origin at all', async () => {
    expect((await form(`lang=en&token=${token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await form(`lang=en&token=${token}`, { Origin: 'null' })).status).toBe(403);
    expect((await form(`lang=en&token=${token}`, { Origin: `${origin}.evil.example` })).status).toBe(403);
    const none = await request(`${base}start`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie }, body: `token=${token}` });
    expect(none.status).toBe(403);
    // A same-origin Referer stands in for a missing Origin (older browsers).
    const referred = await request(`${base}start`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, Referer: base }, body: `token=${token}` });
    expect(referred.status).toBe(303);
  });

  it('a body over the size limit, a form or an upload', async () => {
    const big = await form(`token=${token}&x=${'a'.repeat(70 * 1024)}`);
    expect([413, -1]).toContain(big.status);
    const up = multipart(token, 'a.yaml', Buffer.alloc(1200 * 1024, 'a'));
    const r = await request(`${base}upload`, { method: 'POST', headers: { 'Content-Type': up.type, Cookie: cookie, Origin: origin }, body: up.body });
    expect([413, -1]).toContain(r.status);
    // The server still answers.
    expect((await request(base, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('another Host (DNS rebinding), and paths that are not pages', async () => {
    expect((await request(base, { headers: { Host: 'evil.example' } })).status).toBe(421);
    expect((await request(base, { headers: { Host: `evil.example:${new URL(base).port}` } })).status).toBe(421);
    for (const p of ['assets/../package.json', '..%2f..%2fpackage.json', 'page/..%2f..%2fpackage.json', 'assets/style.css/../../package.json', 'templates/serve/style.css', 'etc/passwd', 'assets/%2e%2e/package.json']) {
      const r = await request(`${base}${p}`, { headers: { Cookie: cookie } });
      expect([404, 303], p).toContain(r.status);
      expect(r.body.toString(), p).not.toContain('"dataklausul"');
    }
    expect((await request(`${base}start`, { method: 'PUT', headers: { Cookie: cookie, Origin: origin } })).status).toBe(405);
  });
});

describe('dataklausul serve without JavaScript', () => {
  it('an uploaded answers file goes to the summary; the answers and the appendix download; build makes the same bytes of the downloaded answers', async () => {
    const { cookie, token } = await session();
    const up = multipart(token, 'cloud-hr.yaml', readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml')));
    const r = await request(`${base}upload`, { method: 'POST', headers: { 'Content-Type': up.type, Cookie: cookie, Origin: origin }, body: up.body });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/summary');
    const summary = (await request(`${base}summary`, { headers: { Cookie: cookie } })).body.toString();
    expect(summary).toContain('exit/transition-period');
    expect(summary).toContain('<iframe src="/preview"');
    // The formats in words: by kind, then the export matrix as the appendix has it; not the prompts' choice labels.
    expect(summary).toContain('<div class="row"><dt>Dataformater</dt><dd>CSV (RFC 4180), JSON og XML</dd></div><div class="row"><dt>Dokumentformater</dt><dd>PDF/A</dd></div><div class="row"><dt>Arkivuttrekk</dt><dd>Noark 5-arkivuttrekk</dd></div>');
    expect(summary).toMatch(/<dt>Eksportformater for hver type data<\/dt><dd><ul class="matrix"><li>Fagdata og registerdata: CSV \(RFC 4180\), JSON og XML<\/li><li>Personal- og lønnsopplysninger: [^<]+<\/li>/);
    expect(summary).not.toContain('csv – CSV');
    expect(summary).not.toContain('Skal hver type data kunne eksporteres i formatene over');
    // Why each clause is in, in Norwegian, with the questions' and choices' labels rather than answer paths and ids.
    expect(summary).not.toMatch(/condition (not )?met|always included|required by|left out by/);
    expect(summary).toContain('<td>alltid med (ingen vilkår)</td>');
    expect(summary).toContain('<td>vilkåret er oppfylt: Trenger Kunden tilgang til dataene gjennom et API = &quot;ja&quot;</td>');
    expect(summary).toContain('<td>vilkåret er oppfylt: Hvordan leveres løsningen er en av [&quot;Programvare som tjeneste (SaaS, sky)&quot;, &quot;Driftet av leverandøren for Kunden (hosted)&quot;]</td>');
    expect(summary).not.toContain('deliveryModel');
    expect(summary).toContain('Hvilke formater og standarder skal gjelde inneholder minst én av [&quot;Noark 5-arkivuttrekk&quot;, ');
    const post = (fields: string) => request(`${base}download`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, Origin: origin }, body: `token=${token}&${fields}` });
    const answers = await post('format=answers');
    expect(answers.headers['content-disposition']).toBe('attachment; filename="skybasert-system-for-personal-og-lonn.yaml"');
    const md = await post('format=md');
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect((await post('format=exe')).status).toBe(400);
    const file = path.join(tmp, 'skybasert-system-for-personal-og-lonn.yaml');
    writeFileSync(file, answers.body);
    const built = runCli(['build', file, '--format', 'md', '--out', path.join(tmp, 'built')], { env: { SOURCE_DATE_EPOCH: '' } });
    expect(built.code).toBe(0);
    expect(readFileSync(path.join(tmp, 'built', 'skybasert-system-for-personal-og-lonn.md')).equals(md.body)).toBe(true);
    // The preview is the HTML renderer's page, allowed only in a frame of this origin.
    const preview = await request(`${base}preview`, { headers: { Cookie: cookie } });
    expect(preview.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(preview.body.toString()).toContain('Eksempel kommune');
  });

  it('leaves out a clause with a reason and puts it back, with the terminal\'s rules; the downloaded answers carry the omission and build makes the same bytes', async () => {
    const { cookie, token } = await session();
    const up = multipart(token, 'cloud-hr.yaml', readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml')));
    expect((await request(`${base}upload`, { method: 'POST', headers: { 'Content-Type': up.type, Cookie: cookie, Origin: origin }, body: up.body })).headers.location).toBe('/summary');
    const post = (route: string, fields: Record<string, string>) =>
      request(`${base}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, Origin: origin }, body: new URLSearchParams({ token, ...fields }).toString() });
    const summary = async () => (await request(`${base}summary`, { headers: { Cookie: cookie } })).body.toString();
    const before = await summary();
    expect(before).toContain('Ingen klausuler er utelatt.');
    // A clause another included clause requires is offered, but disabled, with why (the terminal's words).
    const required = /<input type="radio" id="([^"]+)" name="clause" value="ownership\/data-rights" disabled aria-describedby="\1-why">/.exec(before);
    expect(required).not.toBeNull();
    expect(before).toMatch(new RegExp(`id="${required![1]}-why">kan ikke utelates: kreves av «`));
    expect(before).toMatch(/name="clause" value="api\/test-environment">/);
    // Refused: no clause, an empty reason, a clause that is required, one not in the appendix; the error beside the field.
    const none = await post('omit', { reason: 'x' });
    expect(none.status).toBe(422);
    expect(none.body.toString()).toContain('id="omit-clause-error"');
    expect(none.body.toString()).toContain('Velg klausulen som skal utelates.');
    const empty = await post('omit', { clause: 'api/test-environment', reason: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.body.toString()).toMatch(/id="omit-reason-error"><span class="visually-hidden">[^<]*<\/span>Svaret kan ikke være tomt/);
    expect(empty.body.toString()).toMatch(/name="clause" value="api\/test-environment" checked/);
    const req = await post('omit', { clause: 'ownership/data-rights', reason: 'Vi vil ikke' });
    expect(req.status).toBe(422);
    expect(req.body.toString()).toMatch(/id="omit-clause-error">.*kan ikke utelates: kreves av/);
    expect((await post('omit', { clause: 'no/such-clause', reason: 'x' })).status).toBe(422);
    expect((await post('omit', { action: 'restore', clause: 'api/test-environment' })).status).toBe(400);
    // Accepted: the clause leaves the appendix, its reason is on the page and in the downloaded answers.
    const ok = await post('omit', { clause: 'api/test-environment', reason: 'Kommunen tester i eget miljø <alltid>' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/summary#omit');
    const after = await summary();
    expect(after).toContain('Testmiljø for API (API og integrasjon) (<code>api/test-environment</code>): Kommunen tester i eget miljø &lt;alltid&gt;');
    expect(after).not.toMatch(/type="radio" id="[^"]+" name="clause" value="api\/test-environment"/);
    const answers = await post('download', { format: 'answers' });
    expect(answers.body.toString()).toMatch(/^omit:\n {2}- clause: api\/test-environment\n {4}reason: Kommunen tester i eget miljø <alltid>$/m);
    const md = await post('download', { format: 'md' });
    // Only the provenance annex names it, as left out with the buyer's reason.
    const text = md.body.toString();
    const annex = text.indexOf('Utelatt av Kunden:');
    expect(annex).toBeGreaterThan(0);
    expect(text.slice(0, annex)).not.toContain('Testmiljø for API');
    expect(text.slice(annex)).toContain('(Testmiljø for API): Kommunen tester i eget miljø');
    const file = path.join(tmp, 'omit', 'skybasert-system-for-personal-og-lonn.yaml');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, answers.body);
    const built = runCli(['build', file, '--format', 'md', '--out', path.join(tmp, 'omit', 'built')], { env: { SOURCE_DATE_EPOCH: '' } });
    expect(built.code).toBe(0);
    expect(readFileSync(path.join(tmp, 'omit', 'built', 'skybasert-system-for-personal-og-lonn.md')).equals(md.body)).toBe(true);
    // Uploading the downloaded file keeps the omission.
    const again = await session();
    const up2 = multipart(again.token, 'answers.yaml', answers.body);
    await request(`${base}upload`, { method: 'POST', headers: { 'Content-Type': up2.type, Cookie: again.cookie, Origin: origin }, body: up2.body });
    expect((await request(`${base}summary`, { headers: { Cookie: again.cookie } })).body.toString()).toContain('Kommunen tester i eget miljø &lt;alltid&gt;');
    // Put back: the omission is gone from the answers.
    expect((await post('omit', { action: 'restore', clause: 'api/test-environment' })).status).toBe(303);
    expect((await summary())).toContain('Ingen klausuler er utelatt.');
    expect((await post('download', { format: 'answers' })).body.toString()).not.toContain('omit:');
  });

  it('an upload that is not an answers file is refused on the start page, beside the field', async () => {
    const { cookie, token } = await session();
    for (const [name, data] of [['list.yaml', '- a\n- b\n'], ['<b>bad</b>.yaml', 'a: [\n'], ['scalar.yaml', 'just a sentence\n'], ['empty.json', '']] as const) {
      const up = multipart(token, name, data);
      const r = await request(`${base}upload`, { method: 'POST', headers: { 'Content-Type': up.type, Cookie: cookie, Origin: origin }, body: up.body });
      expect(r.status, name).toBe(422);
      const html = r.body.toString();
      expect(html).toContain('id="upload-error"');
      expect(html).not.toContain('<b>bad</b>');
    }
  });
});

describe('nothing a client sends gives a server error', () => {
  it('random form fields and values on every page of an interview under way', async () => {
    const { cookie, token } = await session();
    const start = await request(`${base}start`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, Origin: origin }, body: `token=${token}&lang=nb` });
    expect(start.status).toBe(303);
    const key = fc.constantFrom('f:buyer.name#0', 'f:buyer.orgNumber#0', 'f:buyer.members#0', 'f:buyer.members.name#0', 'f:formats#0', 'f:deliveryModel#0', 'nav', 'token', 'f:x#99', 'f:__proto__', 'f:constructor#0');
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('yes', 'no', 'back', 'next', '974760673', '', '\u0000', '<script>', '%', '%ZZ', 'saas'));
    const pages = fc.constantFrom('buyer', 'procurement', 'data', 'nope', 'buyer-2', 'params');
    await fc.assert(
      fc.asyncProperty(pages, fc.array(fc.tuple(key, value), { maxLength: 8 }), async (page, fields) => {
        const body = [`token=${token}`, ...fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)].join('&');
        const r = await request(`${base}page/${page}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, Origin: origin }, body });
        expect([303, 400, 403]).toContain(r.status);
        if (r.status === 303) {
          const next = await request(new URL(r.headers.location!, base).toString(), { headers: { Cookie: cookie } });
          expect([200, 303]).toContain(next.status);
          expect(next.body.toString()).not.toContain('<script>');
        }
      }),
      { numRuns: 60 },
    );
  }, 300_000);
});

describe('nothing sent to the summary\'s forms gives a server error', () => {
  it('random clauses, reasons and actions for leaving out a clause', async () => {
    const { cookie, token } = await session();
    const up = multipart(token, 'cloud-hr.yaml', readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml')));
    expect((await request(`${base}upload`, { method: 'POST', headers: { 'Content-Type': up.type, Cookie: cookie, Origin: origin }, body: up.body })).status).toBe(303);
    const clause = fc.oneof(fc.constantFrom('api/test-environment', 'ownership/data-rights', 'api/documented-api', 'nope/x', '', '__proto__', '<script>'), fc.string({ maxLength: 30 }));
    const reason = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', '   ', '<script>alert(1)</script>', 'Egen løsning'));
    const action = fc.constantFrom(undefined, 'restore', 'omit', '<script>');
    await fc.assert(
      fc.asyncProperty(clause, reason, action, async (c, r, a) => {
        const fields: Record<string, string> = { token, clause: c, reason: r, ...(a ? { action: a } : {}) };
        const res = await request(`${base}omit`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, Origin: origin }, body: new URLSearchParams(fields).toString() });
        expect([303, 400, 422]).toContain(res.status);
        expect(res.body.toString()).not.toContain('<script>');
        const summary = await request(`${base}summary`, { headers: { Cookie: cookie } });
        expect(summary.status).toBe(200);
        expect(summary.body.toString()).not.toContain('<script>');
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});

describe('the serve command', () => {
  const serve = (args: string[], lang: string) => startServeProcess(args, lang, tmp);
  const stop = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });

  it('starts the interview in the language asked for (DATAKLAUSUL_LANG=en), and stops cleanly on Ctrl-C', async () => {
    const { child, output, url } = await serve([], 'en');
    expect((await request(url)).body.toString()).toContain('<html lang="en">');
    expect(await stop(child)).toBe(0);
    expect(output()).toMatch(/^The interview is ready at http:\/\/127\.0\.0\.1:\d+\/ – open the address in a browser\. Ctrl-C stops\.\nStopped\.\n$/);
  }, 60_000);

  it('warns when asked to listen beyond loopback; refuses a bad port and a port in use', async () => {
    const { child, output } = await serve(['--host', '0.0.0.0'], 'en');
    expect(await stop(child)).toBe(0);
    expect(output()).toContain('Warning: the pages are open to other machines on 0.0.0.0');
    const bad = runCli(['serve', '--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('dataklausul: --port: "eighty" is not a port number; use a number from 0 to 65535, e.g. --port 7373\n');
    const busy = runCli(['serve', '--port', new URL(base).port]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
    expect(busy.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
