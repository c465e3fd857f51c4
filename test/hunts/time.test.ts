// Time: lookbacks, the data clock, --since/--until, and replaying ago() over old logs.
import { describe, expect, it } from 'vitest';
import { queryLookbackMs, timespanMs } from '../../src/hunts/lookback.js';
import { hunt } from '../../src/index.js';
import { repoRoot } from '../helpers.js';

describe('lookbacks', () => {
  it('parses Kusto timespans and finds the longest ago() of a query, through lets', () => {
    expect([
      timespanMs('1h'),
      timespanMs('7d'),
      timespanMs('1.5h'),
      timespanMs('30min'),
      timespanMs('x'),
    ]).toEqual([3_600_000, 604_800_000, 5_400_000, 1_800_000, null]);
    expect(
      queryLookbackMs('let lookback = 1d;\nT | where TimeGenerated > ago(lookback) and X > ago(2h)'),
    ).toBe(86_400_000);
    expect(queryLookbackMs('T | where TimeGenerated > ago(1h)')).toBe(3_600_000);
    expect(queryLookbackMs('T | take 1')).toBeNull();
  });
});

describe('a Sentinel-style ago(1d) hunt on logs from 2026-05-21, without --now', () => {
  it('still finds the incident: the clock is the end of the data and the lookback is replayed', async () => {
    process.chdir(repoRoot);
    const result = await hunt(['examples/incident/zeek'], { bundled: false });
    const run = result.huntRuns.find((r) => r.hunt.key === 'mirai-worm-propagation')!;
    expect(run.findings.map((f) => f.entities[0].value)).toEqual(['10.20.0.17']);
    expect(run.replays).toBe(1);
    expect(run.clock).toBe('2026-05-22T00:00:00.000Z');
    // coverage: a hunt over an empty table says it had nothing to read; the ASIM hunt saw every conn line
    const dns = result.huntRuns.find((r) => r.hunt.key === 'threatfox-mirai-dns')!;
    expect(dns.coverage).toEqual([{ table: 'DnsEvents', rows: 0 }]);
    // every conn line, all from Zeek: the ASIM parser's rows are counted per source product
    expect(run.coverage).toEqual([{ table: '_Im_NetworkSession', rows: 190, sources: { Zeek: 190 } }]);
  });

  it('--since/--until narrow every table; ago() at an explicit --now far later finds nothing', async () => {
    const outside = await hunt(['examples/incident/zeek'], {
      bundled: false,
      since: new Date('2026-05-21T12:10:00Z'),
    });
    expect(outside.huntFindings.filter((f) => f.huntId === 'mirai-worm-propagation')).toEqual([]);
    const inside = await hunt(['examples/incident/zeek'], {
      bundled: false,
      since: new Date('2026-05-21T12:00:00Z'),
      until: new Date('2026-05-21T12:10:00Z'),
    });
    expect(inside.huntFindings.filter((f) => f.huntId === 'mirai-worm-propagation')).toHaveLength(1);
    const late = await hunt(['examples/incident/zeek'], {
      bundled: false,
      now: new Date('2028-05-21T00:00:00Z'),
    });
    expect(late.huntFindings.filter((f) => f.huntId === 'mirai-worm-propagation')).toEqual([]);
  });
});
