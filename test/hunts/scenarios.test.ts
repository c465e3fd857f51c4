// The generated scenarios of examples/scenarios/: each hunt fires on what it should and nothing else.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hunt, type Finding, type HuntResult } from '../../src/index.js';
import { generateScenarios } from '../../examples/scenarios/generate.js';

const flagged = (result: HuntResult, huntId: string) =>
  result.huntFindings
    .filter((f: Finding) => f.huntId === huntId)
    .map((f) => f.entities.map((e) => e.value).join(' '));
const run = (dir: string, name: string) => hunt([join(dir, name)], { bundled: false });

describe('generated scenarios', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tt-scenarios-'));
    generateScenarios(dir);
  });

  it('crawl-vs-random: only the sequential crawler scores; both are worm scanning', async () => {
    const result = await run(dir, 'crawl-vs-random');
    expect(result.errors).toEqual([]);
    expect(flagged(result, 'mirai-sequential-crawl')).toEqual(['10.30.0.5']);
    const [crawl] = result.huntFindings.filter((f) => f.huntId === 'mirai-sequential-crawl');
    expect(crawl.evidence[0]).toMatchObject({ DstPortNumber: 7547, Probes: 60, CrawlScore: 1 });
    expect(flagged(result, 'mirai-worm-propagation').sort()).toEqual(['10.30.0.5', '10.30.0.6']);
    expect(
      result.huntFindings
        .map((f) => f.huntId)
        .filter(
          (h) =>
            !['mirai-worm-propagation', 'mirai-sequential-crawl', 'network-horizontal-address-scan'].includes(
              h,
            ),
        ),
    ).toEqual([]);
    // both sweep 7547 with unanswered attempts: Zeek's address scan sees both
    expect(
      result.huntFindings
        .filter((f) => f.huntId === 'network-horizontal-address-scan')
        .map((f) => f.entities[0].value)
        .sort(),
    ).toEqual(['10.30.0.5', '10.30.0.6']);
  });

  it('beacon-vs-browsing: the jittered beacon is found, browsing and NTP are not', async () => {
    const result = await run(dir, 'beacon-vs-browsing');
    expect(flagged(result, 'mirai-c2-beaconing')).toEqual(['10.30.1.7 93.115.20.40']);
    const [beacon] = result.huntFindings;
    expect(beacon.evidence[0]).toMatchObject({ DstPortNumber: 443, Connections: 72 });
    expect(Number(beacon.evidence[0].Jitter)).toBeLessThan(0.2);
    expect(result.huntFindings).toHaveLength(1);
  });

  it('spike-7547: 7547 spikes on day 8 after a quiet week, steady ports do not', async () => {
    const result = await run(dir, 'spike-7547');
    const spikes = result.huntFindings.filter((f) => f.huntId === 'mirai-port-spike');
    expect(spikes.map((f) => f.entities)).toEqual([
      [{ type: 'Field', identifier: 'DstPortNumber', value: '7547' }],
    ]);
    expect(spikes[0].evidence[0]).toMatchObject({ CurrentSources: 80 });
    expect(spikes[0].firstSeen! >= '2026-05-21').toBe(true);
    expect(result.huntRuns.find((r) => r.hunt.key === 'mirai-port-spike')!.replays).toBe(8);
    expect(result.huntFindings.filter((f) => f.huntId !== 'mirai-port-spike')).toEqual([]);
  });

  it('inbound-scanners: a Shodan source is labelled a research scanner, not Mirai', async () => {
    const result = await run(dir, 'inbound-scanners');
    const scans = result.huntFindings.filter((f) => f.huntId === 'mirai-inbound-scan');
    expect(scans.map((f) => [f.entities[0].value, f.severity, f.labels ?? []])).toEqual([
      ['185.100.87.5', 'medium', []],
      ['134.209.95.237', 'informational', ['research-scanner']],
    ]);
    expect(scans[1].title).toMatch(/^Known research scanner \(shodan-scanning\)/);
  });
});
