/** `scan`: Kusto's per-row state machine, on the DNS fixture (rows by time: b x.com 3, a x.com 1, a y.com 5, b – 7). */
import { describe, expect, it } from 'vitest';
import { useFixture } from './op-fixture.js';

const run = useFixture();
const SORTED = 'DnsEvents | sort by TimeGenerated asc';

describe('scan', () => {
  it('carries a declared column from row to row (a running sum that resets at 5)', async () => {
    const { columns, rows } = await run(
      `${SORTED} | scan declare (total:long=0) with (step s: true => total = iff(s.total >= 5, EventId, EventId + s.total);)
       | project EventId, total`,
    );
    expect(columns).toEqual(['EventId', 'total', '_Source']); // provenance travels through scan
    expect(rows.map((r) => [r.EventId, r.total])).toEqual([
      [3, 3],
      [1, 4],
      [5, 9],
      [7, 7],
    ]);
  });

  it('promotes a sequence to the next step, reading the earlier step state, with match ids', async () => {
    const { columns, rows } = await run(
      `${SORTED} | scan with_match_id=m with (
         step s1: Name == "x.com";
         step s2: Name == "y.com" and Computer == s1.Computer;)
       | project Computer, Name, m`,
    );
    expect(columns).toEqual(['Computer', 'Name', 'm', '_Source']);
    // the second x.com row repeats step 1 (same sequence); y.com on the same computer completes it
    expect(rows.map((r) => [r.Computer, r.Name, r.m])).toEqual([
      ['b', 'x.com', 0],
      ['a', 'x.com', 0],
      ['a', 'y.com', 0],
    ]);
  });

  it('output=none hides a step; a promoted first step starts a new match', async () => {
    const { rows } = await run(
      `${SORTED} | scan with_match_id=m declare (began:long) with (
         step s1: true => began = iff(isnull(s1.began), EventId, s1.began);
         step s2 output=none: EventId - s1.began > 1;)
       | project EventId, began, m`,
    );
    // 3 starts; 1 stays; 5 - 3 > 1 closes the match (hidden) and starts the next at 5; 7 - 5 > 1 again
    expect(rows.map((r) => [r.EventId, r.began, r.m])).toEqual([
      [3, 3, 0],
      [1, 3, 0],
      [5, 5, 1],
      [7, 7, 2],
    ]);
  });

  it('output=last is TT001', async () => {
    await expect(run(`${SORTED} | scan with (step s1 output=last: true;)`)).rejects.toThrow(
      /TT001.*output=last/,
    );
  });
});

describe('partition', () => {
  it('runs the subquery on each sub-table: scan and top per computer', async () => {
    const sums = await run(
      `DnsEvents | partition hint.strategy=native by Computer (
         sort by TimeGenerated asc | scan declare (total:long=0) with (step s: true => total = EventId + s.total;))
       | project Computer, EventId, total | order by Computer asc, total asc`,
    );
    expect(sums.rows.map((r) => [r.Computer, r.EventId, r.total])).toEqual([
      ['a', 1, 1],
      ['a', 5, 6],
      ['b', 3, 3],
      ['b', 7, 10],
    ]);
    const top = await run(
      'DnsEvents | partition by Computer (top 1 by EventId) | project Computer, EventId | order by Computer asc',
    );
    expect(top.rows.map((r) => [r.Computer, r.EventId])).toEqual([
      ['a', 5],
      ['b', 7],
    ]);
  });
});
