// report.html and junit.xml in a real browser: Debian's Chromium driven by playwright-core,
// the page loaded from file:// as a user would open it. Chromium must be installed
// (`apt-get install -y chromium`; .ci/run does it): without it this test fails, it does not skip.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium.js';
import { HOSTILE, hostileNightlyFixture } from '../../test/support/reportFixtures.js';
import { nightlyHtml } from './html.js';
import { nightlyJunitXml } from './nightlyJunit.js';

// Just the DOM this file uses (the project compiles without lib "dom"). The callbacks passed to
// evaluate() run in the page, where globalThis is the window.
interface El {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
interface Doc {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El> & { readonly length: number };
}
interface PageGlobals {
  readonly DOMParser: new () => { parseFromString(text: string, type: string): Doc };
}
interface Polyline {
  readonly points: { readonly numberOfItems: number };
}

const report = hostileNightlyFixture();
const dir = mkdtempSync(join(tmpdir(), 'vpdma-html-'));
const pageUrl = pathToFileURL(join(dir, 'report.html')).href;
let context: BrowserContext | undefined;
let page: Page;
const problems: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the HTML report is tested in a real browser. ` +
        'Install it with `apt-get install -y chromium` (.ci/run does), or set VPDMA_CHROMIUM.',
    );
  }
  writeFileSync(join(dir, 'report.html'), nightlyHtml(report));
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  context.on('request', (r) => void requests.push(r.url()));
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pageUrl, { waitUntil: 'load' });
});

afterAll(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report.html in Chromium from file://', () => {
  it('loads with no console errors, page errors or dialogs, and requests only itself', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([pageUrl]);
  });

  it("keeps hostile strings inert: one script, the page's own title", async () => {
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.title()).toMatch(/^vpdma nightly: 3 findings/);
    expect(await page.locator('img').count()).toBe(0);
    await expect.poll(() => page.locator('.message').first().innerText()).toBe(HOSTILE.message);
  });

  it('shows every finding with its signature and its repro text', async () => {
    for (const [i, f] of report.findings.entries()) {
      const article = page.locator(`#finding-${i + 1}`);
      expect(await article.getByText(f.signature, { exact: true }).isVisible()).toBe(true);
      const repro = article.locator('pre.repro');
      expect(await repro.isVisible()).toBe(true);
      expect(await repro.innerText()).toBe(f.reproText.replace(/\n$/, ''));
      expect(await article.locator('mark').count()).toBe(1);
    }
  });

  it('draws each plot with one vertex per sample', async () => {
    const counts = await page
      .locator('svg.plot polyline')
      .evaluateAll((ls) => ls.map((l) => (l as unknown as Polyline).points.numberOfItems));
    expect(counts).toEqual([12, 12, 12]);
    for (const id of ['plot-cases', 'plot-calls', 'plot-coverage']) {
      const box = await page.locator(`#${id}`).boundingBox();
      expect(box?.width).toBeGreaterThan(100);
    }
  });

  it('has a copy button per finding that copies (or selects) the replay command', async () => {
    expect(await page.getByRole('button', { name: /Copy the replay command/ }).count()).toBe(3);
    await page.locator('button[data-copy="finding-2-cmd"]').click();
    await expect
      .poll(() => page.locator('#finding-2-cmd-status').innerText())
      .toMatch(/^(Copied\.|Selected: press Ctrl\+C to copy\.)$/);
    expect(problems).toEqual([]);
  });

  it("parses junit.xml with the browser's XML parser, hostile strings and all", async () => {
    const xml = nightlyJunitXml(report);
    const parsed = await page.evaluate((text) => {
      const { DOMParser } = globalThis as unknown as PageGlobals;
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        cases: doc.querySelectorAll('testcase').length,
        bodies: [...doc.querySelectorAll('failure, error')].map((e) => e.textContent ?? ''),
        messages: [...doc.querySelectorAll('failure')].map((e) => e.getAttribute('message')),
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.cases).toBe(
      report.corpus.traces.length +
        report.findings.length +
        report.fixed.length +
        (report.stillOpen?.length ?? 0),
    );
    for (const f of report.findings)
      expect(
        parsed.bodies.some((b) => b.includes(f.reproText.trimEnd()) && b.includes(f.command)),
      ).toBe(true);
    expect(parsed.bodies.some((b) => b.startsWith(HOSTILE.message))).toBe(true);
  });
});
