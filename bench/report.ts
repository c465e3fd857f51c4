/**
 * `npm run bench -- report`: the incident report of a day of flows (bench/hunts.ts's three files:
 * Zeek, a CEF firewall, Defender), as `telltale hunt --report` writes it, against the same hunt without
 * the report (the reference: what the report adds), then the file's size and the time headless
 * Chromium (Debian's, driven by playwright-core) takes to open it. Targets (issue 15): under 10 MB and
 * open in under 5 s at 3M events. BENCH_REPORT_EVENTS (default 3,000,000).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { hunt } from '../src/index.js';
import { reportRun } from '../src/report/index.js';
import { dayOfFlows } from './hunts.js';
import type { BenchResult } from './types.js';

const NOW = new Date('2026-05-21T23:59:59Z');

function browserPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

async function seconds<T>(work: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await work();
  return [(performance.now() - t0) / 1000, value];
}

/** Time until the page's load event, and how many SVG charts it drew. */
async function openInBrowser(file: string, executable: string): Promise<{ seconds: number; charts: number }> {
  const browser = await chromium.launch({
    executablePath: executable,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const [s] = await seconds(() => page.goto(pathToFileURL(file).href, { waitUntil: 'load' }));
    return { seconds: s, charts: await page.locator('figure svg').count() };
  } finally {
    await browser.close();
  }
}

export async function benchReport(opts: { events: number }): Promise<BenchResult> {
  const { files } = await dayOfFlows(opts.events);
  const dir = mkdtempSync(join(tmpdir(), 'telltale-bench-report-'));
  try {
    // warm the process (Kusto's parser, the ASIM prelude, DuckDB) so neither timed run pays it
    await hunt([join(import.meta.dirname, '..', 'examples', 'incident')], { now: NOW });
    const [plain] = await seconds(() => hunt(files, { now: NOW, bundled: true }));
    const out = join(dir, 'report.html');
    const report = reportRun({ now: NOW });
    const [withReport] = await seconds(async () => {
      await hunt(files, report.options);
      report.write(out);
    });
    const bytes = statSync(out).size;
    const executable = browserPath();
    const opened = executable ? await openInBrowser(out, executable) : null;
    return {
      name: `incident report of a day of ${opts.events.toLocaleString('en')} flows (Zeek, CEF, Defender)`,
      rows: [
        { label: 'hunt (reference)', seconds: plain, files: files.length, bytes: 0, events: opts.events },
        { label: 'hunt --report', seconds: withReport, files: files.length, bytes: 0, events: opts.events },
        ...(opened
          ? [
              {
                label: `open in headless Chromium (${opened.charts} charts)`,
                seconds: opened.seconds,
                files: 0,
                bytes: 0,
              },
            ]
          : []),
      ],
      ratios: {
        'hunt --report / hunt': withReport / plain,
        'report size, MB (target < 10)': bytes / 1e6,
        ...(opened ? { 'open in browser, s (target < 5)': opened.seconds } : {}),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
