// The report in a real browser (the system's headless Chromium, driven by playwright-core): what an
// analyst sees, that nothing is fetched and nothing runs, and a screenshot for the README.
import { copyFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, scratchDir } from '../helpers.js';
import {
  buildReport,
  CHROMIUM_ARGS,
  findChromium,
  HOSTILE_HOST,
  HOSTILE_SCRIPT,
  INCIDENT_NOW,
  writeHostileLogs,
} from './fixture.js';

const executable = findChromium();
if (!executable) {
  const reason =
    '[skip] no Chromium at /usr/bin/chromium (or $CHROMIUM_PATH): the browser tests are skipped; `apt-get install chromium` to run them';
  if (process.env.CI) throw new Error(`CI must run the browser tests: ${reason}`);
  console.warn(reason);
}

const scratch = scratchDir('telltale-browser');

interface Visit {
  page: Page;
  console: string[];
  errors: string[];
  requests: string[];
  dialogs: string[];
}

describe.skipIf(!executable)('the report in headless Chromium', () => {
  let context: BrowserContext;

  /** Opens a file and records every console message, page error, request and dialog. */
  async function visit(file: string): Promise<Visit> {
    const page = await context.newPage();
    const v: Visit = { page, console: [], errors: [], requests: [], dialogs: [] };
    page.on('console', (m) => v.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => v.errors.push(e.message));
    page.on('request', (r) => v.requests.push(r.url()));
    page.on('dialog', (d) => {
      v.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return v;
  }

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'telltale-chromium-')), {
      executablePath: executable!,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
  }, 60_000);
  afterAll(async () => context?.close());

  describe('examples/incident', () => {
    let v: Visit;
    let file: string;
    beforeAll(async () => {
      file = join(scratch.dir, 'incident.html');
      await buildReport(['examples/incident'], file, { now: INCIDENT_NOW });
      v = await visit(file);
    }, 240_000);

    it('ranks cpe-gw-17 first and shows its timeline rows with file:line', async () => {
      const first = v.page.locator('section.device').first();
      expect(await first.getAttribute('data-device')).toContain('Host:cpe-gw-17');
      const rows = first.locator('table.timeline tbody tr');
      expect(await rows.count()).toBeGreaterThanOrEqual(10);
      const sources = await first.locator('table.timeline td.src').allInnerTexts();
      expect(sources.some((s) => /examples\/incident\/zeek\/conn\.log:\d+/.test(s))).toBe(true);
      const times = (await first.locator('table.timeline td.t').allInnerTexts()).filter((t) => t !== '—');
      expect(times).toEqual([...times].sort());
    });

    it('draws the top ports chart as SVG bars, one series per port and one for all others', async () => {
      const chart = v.page.locator('figure[data-chart="ports-per-hour"] svg');
      expect(await chart.count()).toBe(1);
      const titles = await chart.locator('rect > title').allTextContents();
      const ports = new Set(
        titles.map((t) => /^(?:port (\d+)|(other) ports),/.exec(t)?.slice(1).find(Boolean)),
      );
      expect(ports.size).toBe(6);
      expect(ports).toContain('other');
      expect(ports).toContain('7547');
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(500);
      expect(box!.height).toBeGreaterThan(200);
      const bar7547 = chart.locator('rect', {
        has: v.page.locator('title', { hasText: /^port 7547, 2026-05-21 12:00/ }),
      });
      expect(await bar7547.count()).toBe(1);
      expect(Number(await bar7547.getAttribute('height'))).toBeGreaterThan(10);
    });

    it('fetched nothing and logged no error', () => {
      expect(v.requests).toEqual([pathToFileURL(file).href]);
      expect(v.errors).toEqual([]);
      expect(v.console.filter((m) => m.startsWith('error'))).toEqual([]);
    });

    it('saves a screenshot', async () => {
      // TELLTALE_SCREENSHOT=1 refreshes the README's picture; otherwise it goes to the scratch folder.
      const shot = join(scratch.dir, 'report.png');
      await v.page.setViewportSize({ width: 1280, height: 1400 });
      await v.page.screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      if (process.env.TELLTALE_SCREENSHOT) copyFileSync(shot, join(repoRoot, 'docs/report-screenshot.png'));
    });
  });

  it('runs no script from a hostile hostname', async () => {
    const logs = writeHostileLogs(scratchDir('telltale-browser-hostile').dir);
    const file = join(scratch.dir, 'hostile.html');
    await buildReport([logs], file, { now: INCIDENT_NOW });
    const v = await visit(file);
    expect(v.dialogs).toEqual([]);
    expect(v.errors).toEqual([]);
    expect(v.console).toEqual([]);
    expect(v.requests).toEqual([pathToFileURL(file).href]);
    expect(await v.page.locator('img').count()).toBe(0);
    expect(await v.page.locator('script').count()).toBe(0);
    const device = await v.page.locator('section.device').first().getAttribute('data-device');
    expect(device).toContain(HOSTILE_HOST);
    const text = await v.page.locator('main').innerText();
    expect(text).toContain(HOSTILE_HOST);
    expect(text).toContain(HOSTILE_SCRIPT);
    expect(text).toContain('\\x1b[31mred');
  }, 240_000);
});
