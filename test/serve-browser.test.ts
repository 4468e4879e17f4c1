import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, requireFile, runCli } from './support/tools.js';
import { startServeProcess } from './support/serve-process.js';

/**
 * `dataklausul serve` end to end: the built CLI serves the pages, Debian's Chromium (driven by
 * playwright-core) fills them in, axe-core checks every page, and the DOCX downloaded from the
 * browser is compared with `build` of the answers file downloaded beside it. The screenshots in
 * docs/ are taken here.
 */

const CHROMIUM = '/usr/bin/chromium';
const run = requireFile('chromium', CHROMIUM);
const AXE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const DOCS = path.join(ROOT, 'docs');

let tmp: string;
let server: ChildProcess;
let base: string;
let browser: BrowserContext;
const violations: Array<{ url: string; id: string; nodes: string[] }> = [];
let pagesChecked = 0;

/** Starts the built CLI's `serve` on a free port. Messages in English, unless `lang` says otherwise ('' for the default, nb). */
const startServer = (args: string[] = [], lang = 'en') => startServeProcess(args, lang, tmp);

beforeAll(async () => {
  if (!run) return;
  tmp = mkdtempSync(path.join(tmpdir(), 'dk-serve-'));
  // The default language: the interview starts in bokmål.
  ({ child: server, url: base } = await startServer([], ''));
  const { chromium } = await import('playwright-core');
  browser = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1100, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/**
 * Runs axe-core on the page and records what it finds: WCAG 2.0/2.1 A and AA, and on the pages of
 * serve itself also axe's best practices (landmarks, regions). The preview is the HTML renderer's
 * standalone appendix, checked against WCAG only.
 */
async function axe(page: Page, tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']): Promise<void> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(
    (values) => (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<unknown> } }).axe.run(document, { runOnly: { type: 'tag', values } }),
    tags,
  )) as { violations: Array<{ id: string; nodes: Array<{ html: string }> }> };
  pagesChecked++;
  for (const v of result.violations) violations.push({ url: page.url(), id: v.id, nodes: v.nodes.map((n) => n.html) });
}

/** Sets the fields of the current page that `answers` names (by prompt key, or by id for the first time asked). */
async function fill(page: Page, answers: Record<string, string | string[]>): Promise<void> {
  const fields = await page.$$eval('[data-key]', (els) => els.map((e) => [e.getAttribute('data-key')!, e.tagName, e.getAttribute('data-kind') ?? ''] as const));
  for (const [key, tag, kind] of fields) {
    const v = answers[key] ?? answers[key.replace(/#0$/, '')];
    if (v === undefined) continue;
    const name = `f:${key}`.replace(/"/g, '\\"');
    if (tag === 'DIV') await page.fill(`input[name="${name}"]`, v as string);
    else if (kind === 'checkbox') {
      for (const box of await page.$$(`input[name="${name}"]`)) await box.setChecked((v as string[]).includes((await box.getAttribute('value'))!));
    } else await page.check(`input[name="${name}"][value="${v as string}"]`);
  }
}

/** Fills and sends pages until the summary, checking each page with axe. Returns the pages passed. */
async function answerUntilSummary(page: Page, answers: Record<string, string | string[]>): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 40 && !page.url().endsWith('/summary'); i++) {
    await axe(page);
    seen.push(new URL(page.url()).pathname);
    await fill(page, answers);
    await Promise.all([page.waitForNavigation(), page.click('button[name="nav"][value="next"]')]);
  }
  expect(page.url()).toMatch(/\/summary$/);
  await axe(page);
  return seen;
}

async function download(page: Page, format: string, dir: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`button[name="format"][value="${format}"]`)]);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

const CLOUD_HR: Record<string, string | string[]> = {
  'buyer.members': 'no',
  'procurement.title': 'Skybasert system for personal og lønn',
  'procurement.reference': '2027/0142',
  'procurement.contractType': 'SSA-L',
  'procurement.plannedStart': '2027-05-01',
  'procurement.termMonths': '72',
  deliveryModel: 'saas',
  sector: 'administration',
  'data.personal': 'yes',
  'data.specialCategories': 'yes',
  'data.geodata': 'no',
  'data.sensor': 'no',
  'data.archival': 'yes',
  'data.openPublication': 'no',
  'access.api': 'yes',
  'access.bulkExport': 'monthly',
  'access.realTime': 'no',
  formats: ['csv', 'json', 'xml', 'pdfa', 'noark5'],
  'pricing.routineExport': 'included',
  'pricing.apiUsage': 'included',
  'pricing.exitExport': 'free',
  'pricing.exitAssistance': 'included',
  requirementLevels: 'no',
  'requirementLevels.quality': 'bør',
  date: '2027-03-01',
  'params.adjust': 'yes',
  'params.exit/transition-period.days': '25',
};

describe.runIf(run)('dataklausul serve in Chromium', () => {
  it('completes the cloud-HR interview by keyboard and mouse, goes back and changes an answer, and the downloaded DOCX is what build makes of the downloaded answers', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    expect(await page.getAttribute('html', 'lang')).toBe('nb');
    await axe(page);
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: path.join(DOCS, 'serve-start.png') });
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]:has-text("Start")')]);
    expect(page.url()).toMatch(/\/page\/buyer$/);
    await axe(page);

    // Keyboard only: Tab reaches the first question after the skip link, the brand and the steps; the
    // fields follow in reading order; Enter in a field sends the page with "Next".
    let focused = '';
    for (let i = 0; i < 12 && focused !== 'f:buyer.name#0'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '');
    }
    expect(focused).toBe('f:buyer.name#0');
    await page.keyboard.type('Eksempel kommune');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('f:buyer.orgNumber#0');
    await page.keyboard.type('974760674');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    // A wrong check digit: the terminal's message, beside the field, tied to it, focused; the name kept.
    expect(page.url()).toMatch(/\/page\/buyer$/);
    const error = await page.textContent('#f-buyer-orgNumber_0-error');
    expect(error).toMatch(/974 760 674/);
    expect(await page.getAttribute('#f-buyer-orgNumber_0', 'aria-describedby')).toContain('f-buyer-orgNumber_0-error');
    expect(await page.getAttribute('#f-buyer-orgNumber_0', 'aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('f:buyer.orgNumber#0');
    expect(await page.inputValue('#f-buyer-name_0')).toBe('Eksempel kommune');
    await axe(page);
    await page.fill('#f-buyer-orgNumber_0', '974 760 673');
    // Saying yes to members opens the member fields on the same page; no is chosen after looking.
    await page.check('#f-buyer-members_0-yes');
    await Promise.all([page.waitForNavigation(), page.click('button[value="next"]')]);
    expect(page.url()).toMatch(/\/page\/buyer$/);
    expect(await page.isVisible('#f-buyer-members-name_0')).toBe(true);
    await axe(page);
    await page.check('#f-buyer-members_0-no');
    await Promise.all([page.waitForNavigation(), page.click('button[value="next"]')]);
    expect(page.url()).toMatch(/\/page\/procurement$/);

    // Back: the answers are kept.
    await fill(page, CLOUD_HR);
    await Promise.all([page.waitForNavigation(), page.click('button[value="back"]')]);
    expect(page.url()).toMatch(/\/page\/buyer$/);
    expect(await page.inputValue('#f-buyer-name_0')).toBe('Eksempel kommune');
    await Promise.all([page.waitForNavigation(), page.click('button[value="next"]')]);
    expect(await page.inputValue('#f-procurement-title_0')).toBe('Skybasert system for personal og lønn');

    const pages = await answerUntilSummary(page, CLOUD_HR);
    expect(pages).toEqual(expect.arrayContaining(['/page/procurement', '/page/data', '/page/access', '/page/pricing', '/page/appendix', '/page/params']));
    await page.screenshot({ path: path.join(DOCS, 'serve-summary.png') });
    const summary = await page.textContent('main');
    expect(summary).toContain('exit/transition-period');
    expect(summary).toContain('Eksempel kommune');

    // Change an answer from the summary: the archive question, then forward again to the summary.
    await Promise.all([page.waitForNavigation(), page.click('a[href="/page/data"]:has-text("Endre")')]);
    expect(await page.isChecked('#f-data-archival_0-yes')).toBe(true);
    await page.check('#f-data-geodata_0-yes');
    await answerUntilSummary(page, {});
    // The geodata clauses are now among those included, with the reason in the page's words.
    const included = (await page.textContent('main table:first-of-type tbody')) ?? '';
    expect(included).toContain('formats/geodata');
    expect(included).toMatch(/formats\/geodata \S+Geodatavilkåret er oppfylt: Omfatter dataene geodata[^=]*= "ja"/);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/page/data"]:has-text("Endre")')]);
    await page.check('#f-data-geodata_0-no');
    await answerUntilSummary(page, CLOUD_HR);

    // The preview is the HTML renderer's page, in a titled frame.
    expect(await page.getAttribute('iframe.preview', 'title')).toBeTruthy();
    const preview = await browser.newPage();
    await preview.goto(`${base}preview`);
    expect(await preview.textContent('h1')).toBeTruthy();
    // The whole rule set, best practices included: the appendix has its landmarks (banner, navigation, main).
    await axe(preview);
    await preview.close();

    const dl = path.join(tmp, 'downloads');
    const answersFile = await download(page, 'answers', dl);
    const docx = await download(page, 'docx', dl);
    expect(path.basename(answersFile)).toBe('skybasert-system-for-personal-og-lonn.yaml');
    const answers = readFileSync(answersFile, 'utf8');
    expect(answers).toMatch(/^buyer:\n {2}name: Eksempel kommune\n {2}orgNumber: "974760673"/m);
    expect(answers).toMatch(/^requirementLevels:\n(?: {2}[a-z-]+: (?:skal|bør)\n)* {2}quality: bør$/m);
    const built = path.join(tmp, 'built');
    const r = runCli(['build', answersFile, '--format', 'docx', '--out', built], { env: { SOURCE_DATE_EPOCH: '' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rebuilt = readFileSync(path.join(built, path.basename(docx)));
    expect(Buffer.compare(rebuilt, readFileSync(docx))).toBe(0);
    // The answers of the example of the same procurement, but for the levels (answering "no" to
    // "all requirements mandatory?" records the level of every topic, as in the terminal) and the
    // transition period (25 days here; the example writes out the default, 30, which the interview leaves out).
    const { parse } = await import('yaml');
    const example = parse(readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8')) as Record<string, unknown>;
    const got = parse(answers) as Record<string, unknown>;
    // With an API the interview also ticks the API specification and the metadata standard that the
    // example leaves to the clauses' defaults (OpenAPI 3.x, DCAT-AP-NO).
    const formats = [...(example.formats as string[]), 'openapi', 'dcat-ap-no'];
    expect({ ...got, requirementLevels: undefined, params: undefined }).toEqual({ ...example, formats, requirementLevels: undefined, params: undefined });
    expect(got.params).toEqual({ 'exit/transition-period': { days: 25 } });
    expect(got.requirementLevels).toMatchObject(example.requirementLevels as object);
    await page.close();
  }, 600_000);

  it('omit a clause: one that another clause requires cannot be chosen; the reason is checked beside the field; the downloaded answers carry the omission and the DOCX is what build makes of them', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(base);
    await page.setInputFiles('#upload-file', path.join(ROOT, 'examples/cloud-hr.yaml'));
    await Promise.all([page.waitForNavigation(), page.click('section.upload button[type="submit"]')]);
    expect(page.url()).toMatch(/\/summary$/);
    // The form is folded away until asked for; a clause another included clause requires is disabled, with why.
    await page.click('details.omit > summary');
    const required = page.locator('input[name="clause"][value="ownership/data-rights"]');
    expect(await required.isDisabled()).toBe(true);
    const why = await page.textContent(`#${await required.getAttribute('aria-describedby')}`);
    expect(why).toMatch(/kan ikke utelates: kreves av «/);
    await axe(page);
    // No reason: refused beside the field, focused, the choice kept.
    await page.check('input[name="clause"][value="api/test-environment"]');
    await Promise.all([page.waitForNavigation(), page.click('details.omit button[type="submit"]')]);
    expect(await page.textContent('#omit-reason-error')).toContain('Svaret kan ikke være tomt');
    expect(await page.getAttribute('#omit-reason', 'aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('omit-reason');
    expect(await page.isChecked('input[name="clause"][value="api/test-environment"]')).toBe(true);
    await axe(page);
    await page.fill('#omit-reason', 'Kommunen tester i eget miljø');
    await Promise.all([page.waitForNavigation(), page.click('details.omit button[type="submit"]')]);
    expect(await page.textContent('ul.omitted')).toContain('Testmiljø for API (API og integrasjon) (api/test-environment): Kommunen tester i eget miljø');
    expect(await page.$('input[type="radio"][name="clause"][value="api/test-environment"]')).toBeNull();
    await axe(page);
    const dl = path.join(tmp, 'downloads-omit');
    const answersFile = await download(page, 'answers', dl);
    const docx = await download(page, 'docx', dl);
    const { parse } = await import('yaml');
    expect((parse(readFileSync(answersFile, 'utf8')) as { omit: unknown }).omit).toEqual([{ clause: 'api/test-environment', reason: 'Kommunen tester i eget miljø' }]);
    const built = path.join(tmp, 'built-omit');
    const r = runCli(['build', answersFile, '--format', 'docx,md', '--out', built], { env: { SOURCE_DATE_EPOCH: '' } });
    expect(r.code).toBe(0);
    expect(Buffer.compare(readFileSync(path.join(built, path.basename(docx))), readFileSync(docx))).toBe(0);
    // Only the provenance annex names it, as left out with the buyer's reason.
    const builtMd = readFileSync(path.join(built, path.basename(docx).replace(/\.docx$/, '.md')), 'utf8');
    const annex = builtMd.indexOf('Utelatt av Kunden:');
    expect(annex).toBeGreaterThan(0);
    expect(builtMd.slice(0, annex)).not.toContain('Testmiljø for API');
    // Put back: the clause returns to the choices and the answers lose the omission.
    await Promise.all([page.waitForNavigation(), page.click('ul.omitted button')]);
    expect(await page.$('ul.omitted')).toBeNull();
    expect(await page.$('input[type="radio"][name="clause"][value="api/test-environment"]')).not.toBeNull();
    await axe(page);
    const back = await download(page, 'answers', path.join(tmp, 'downloads-omit-back'));
    expect(readFileSync(back, 'utf8')).not.toMatch(/^omit:/m);
    await page.close();
  }, 600_000);

  it('uploads a draft and finishes it; the same interview in English', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const draft = path.join(tmp, 'cloud-hr.draft.yaml');
    // A draft as `new` leaves it after Ctrl-C at the pricing questions.
    writeFileSync(draft, readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8').replace(/^pricing:[\s\S]*$/m, '').replace(/^date:.*\n/m, ''));
    await page.setInputFiles('#upload-file', draft);
    await Promise.all([page.waitForNavigation(), page.click('section.upload button[type="submit"]')]);
    expect(page.url()).toMatch(/\/page\/pricing$/);
    expect(await page.isChecked('input[name="f:pricing.routineExport#0"][value="included"]')).toBe(true);
    await answerUntilSummary(page, { ...CLOUD_HR, 'params.adjust': 'no' });
    expect(await page.textContent('main')).toContain('Eksempel kommune');
    // A file that is not an answers file is refused on the start page, beside the upload field.
    await page.goto(base);
    const junk = path.join(tmp, 'junk.yaml');
    writeFileSync(junk, '- just\n- a list\n');
    await page.setInputFiles('#upload-file', junk);
    await Promise.all([page.waitForNavigation(), page.click('section.upload button[type="submit"]')]);
    expect(await page.textContent('#upload-error')).toContain('junk.yaml');
    await axe(page);
    await page.close();

    // English: a fresh browser session (no cookie), the interview language chosen on the first page.
    await browser.clearCookies();
    const en = await browser.newPage();
    await en.goto(base);
    await en.check('#lang-en');
    await Promise.all([en.waitForNavigation(), en.click('form[action="/start"] button')]);
    expect(await en.getAttribute('html', 'lang')).toBe('en');
    expect(await en.textContent('h1')).toBe('The buyer');
    await en.fill('#f-buyer-name_0', 'Example Municipality');
    await en.fill('#f-buyer-orgNumber_0', '974760673');
    await answerUntilSummary(en, { ...CLOUD_HR, 'procurement.title': 'Cloud HR and payroll', language: 'en', 'requirementLevels.quality': 'bør' });
    expect(await en.textContent('h1')).toMatch(/summary/i);
    const dl = path.join(tmp, 'downloads-en');
    const answersFile = await download(en, 'answers', dl);
    const md = await download(en, 'md', dl);
    expect(readFileSync(answersFile, 'utf8')).toMatch(/^language: en$/m);
    const built = path.join(tmp, 'built-en');
    const r = runCli(['build', answersFile, '--format', 'md', '--out', built], { env: { SOURCE_DATE_EPOCH: '' } });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(built, path.basename(md)), 'utf8')).toBe(readFileSync(md, 'utf8'));
    expect(readFileSync(md, 'utf8')).toContain('Example Municipality');
    await en.close();
  }, 600_000);

  it('with --policy and --out: a broken rule is shown, a deviation is recorded with its reason, and the save button writes what build writes', async () => {
    const out = path.join(tmp, 'saved');
    const policy = path.join(ROOT, 'examples/policies/eksempel-kommune.yaml');
    const second = await startServer(['--policy', policy, '--out', out, '--format', 'docx,md'], '');
    try {
      const page = await browser.newPage();
      await page.goto(second.url);
      // A complete answers file goes straight to the summary.
      await page.setInputFiles('#upload-file', path.join(ROOT, 'examples/cloud-hr.yaml'));
      await Promise.all([page.waitForNavigation(), page.click('section.upload button[type="submit"]')]);
      expect(page.url()).toMatch(/\/summary$/);
      await axe(page);
      expect(await page.textContent('#policy ~ form.deviation')).toContain('mandatory-requirements');
      expect(await page.$('form.downloads')).toBeNull();
      // A clause the policy requires cannot be left out, and says so (the policy first, though other clauses require it too).
      const byPolicy = page.locator('input[name="clause"][value="api/documented-api"]');
      expect(await byPolicy.isDisabled()).toBe(true);
      expect(await page.textContent(`#${await byPolicy.getAttribute('aria-describedby')}`)).toBe('kan ikke utelates: kreves av policyen eksempel-kommune-arkitektur 1.0.0');
      await page.fill('form.deviation textarea', 'Kvalitet vektes i denne anskaffelsen <etter avtale>.');
      await Promise.all([page.waitForNavigation(), page.click('form.deviation button')]);
      expect(await page.$('form.downloads')).not.toBeNull();
      expect(await page.inputValue('form.deviation textarea')).toBe('Kvalitet vektes i denne anskaffelsen <etter avtale>.');
      await axe(page);
      await Promise.all([page.waitForNavigation(), page.click('form.save button')]);
      expect(await page.textContent('.notice')).toContain(path.join(out, 'skybasert-system-for-personal-og-lonn.docx'));
      const saved = path.join(out, 'skybasert-system-for-personal-og-lonn.yaml');
      expect(readFileSync(saved, 'utf8')).toMatch(/^deviations:\n {2}- rule: mandatory-requirements\n {4}reason: Kvalitet vektes i denne anskaffelsen <etter avtale>\.$/m);
      const built = path.join(tmp, 'built-policy');
      const r = runCli(['build', saved, '--policy', policy, '--format', 'docx,md', '--out', built], { env: { SOURCE_DATE_EPOCH: '' } });
      expect(r.code).toBe(0);
      for (const ext of ['docx', 'md']) {
        const name = `skybasert-system-for-personal-og-lonn.${ext}`;
        expect(Buffer.compare(readFileSync(path.join(built, name)), readFileSync(path.join(out, name))), name).toBe(0);
      }
      // Saving again does not overwrite (no --force): the page says so.
      await Promise.all([page.waitForNavigation(), page.click('form.save button')]);
      expect(await page.textContent('.error-summary')).toMatch(/skybasert-system-for-personal-og-lonn/);
      await axe(page);
      await page.close();
    } finally {
      second.child.kill('SIGINT');
    }
  }, 600_000);

  it('axe-core found no violations on any page of the run', () => {
    expect(pagesChecked).toBeGreaterThan(15);
    expect(violations).toEqual([]);
  });
});
