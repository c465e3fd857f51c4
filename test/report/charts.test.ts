// The behaviour charts: a flood, a beacon and a sequential crawler in Zeek conn logs each get the chart
// an analyst would draw (connections per minute, inter-arrival histogram, address steps), with its KQL.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { beaconVsBrowsing, crawlVsRandom } from '../../examples/scenarios/generate.js';
import { connLog, type Conn } from '../../examples/scenarios/zeek.js';
import { scratchDir } from '../helpers.js';
import { buildReport } from './fixture.js';

const scratch = scratchDir('telltale-report-charts');

/** 10.30.2.9 SYN-floods 203.0.113.50:80 for three minutes: 200 half-open flows a minute. */
function flood(): Conn[] {
  const start = Date.UTC(2026, 4, 21, 15, 0, 0) / 1000;
  return Array.from({ length: 600 }, (_, i) => ({
    ts: start + i * 0.3,
    src: '10.30.2.9',
    sport: 20000 + i,
    dst: '203.0.113.50',
    dport: 80,
    state: 'S0',
  }));
}

describe('behaviour charts', () => {
  let html: string;

  beforeAll(async () => {
    writeFileSync(
      join(scratch.dir, 'conn.log'),
      connLog([...crawlVsRandom(), ...beaconVsBrowsing(), ...flood()]),
    );
    const out = join(scratch.dir, 'charts.html');
    await buildReport([join(scratch.dir, 'conn.log')], out);
    html = readFileSync(out, 'utf8');
    const md = join(scratch.dir, 'charts.md');
    await buildReport([join(scratch.dir, 'conn.log')], md, {}, 'md');
  }, 240_000);

  const figure = (kind: string) => {
    const at = html.indexOf(`data-chart="${kind}"`);
    expect(at, `a ${kind} chart`).toBeGreaterThan(0);
    return html.slice(at, html.indexOf('</figure>', at));
  };

  it('draws the flood as connections per minute on the flooding device', () => {
    const chart = figure('flood');
    expect(chart).toContain('10.30.2.9 → 203.0.113.50');
    expect(chart).toMatch(/<title>2026-05-21 15:01: 200 connections<\/title>/);
    expect(chart).toContain('bin(TimeGenerated, 1m)');
  });

  it('draws the beacon as a histogram of gaps around its 300 s period', () => {
    const chart = figure('beacon');
    expect(chart).toContain('10.30.1.7 → 93.115.20.40:443');
    const bins = [...chart.matchAll(/<title>(\d+) gaps<\/title>/g)].map((m) => Number(m[1]));
    expect(bins.reduce((a, b) => a + b, 0)).toBe(71); // 72 connections, 71 gaps
    expect(chart).toMatch(/>2[5-9]0<|>300<|>3[1-4]0</); // x ticks around the period
  });

  it('draws the crawler as its targets in probing order, and not the random scanner', () => {
    const chart = figure('crawl');
    expect(chart).toContain('10.30.0.5 on port 7547');
    expect(chart.match(/<title>[^<]*81\.10\.0\.\d+<\/title>/g)).toHaveLength(60);
    expect(html).not.toContain('10.30.0.6 on port 23');
  });

  it('writes every chart as an SVG file beside the brief', () => {
    const md = readFileSync(join(scratch.dir, 'charts.md'), 'utf8');
    const images = [...md.matchAll(/!\[[^\]]*\]\((charts-charts\/[^)]+\.svg)\)/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThanOrEqual(4);
    for (const image of images) expect(readFileSync(join(scratch.dir, image), 'utf8')).toContain('<svg');
  });
});
