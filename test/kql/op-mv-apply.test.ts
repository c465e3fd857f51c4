/** `mv-apply`: a subquery per input row's sub-table, on small tables whose answers are worked out by hand. */
import { describe, expect, it } from 'vitest';
import { unordered, useFixture } from './op-fixture.js';

const run = useFixture();
const T = `datatable(k:string, a:dynamic) ["x", dynamic([3, 1, 2]), "y", dynamic([]), "z", dynamic([9, 8])]`;

describe('mv-apply', () => {
  it('takes the top elements of each row, not of the whole table', async () => {
    const { columns, rows } = await run(`${T} | mv-apply e = a to typeof(long) on (top 2 by e desc)`);
    expect(columns).toEqual(['k', 'a', 'e']);
    expect(unordered(rows).map((r) => [r.k, r.e])).toEqual([
      ['x', 2],
      ['x', 3],
      ['z', 8],
      ['z', 9],
    ]);
  });

  it("summarizes each row's elements, in array order; an empty array still gets its row", async () => {
    const { rows } = await run(
      `${T} | mv-apply with_itemindex = i e = a to typeof(long) on (summarize n = count(), s = sum(e), l = make_list(e), at = make_list(i)) | project k, n, s, l, at`,
    );
    expect(unordered(rows)).toEqual(
      unordered([
        { k: 'x', n: 3, s: 6, l: [3, 1, 2], at: [0, 1, 2] },
        { k: 'y', n: 0, s: null, l: [], at: [] },
        { k: 'z', n: 2, s: 17, l: [9, 8], at: [0, 1] },
      ]),
    );
  });

  it('expands several arrays side by side, the shorter padded with null', async () => {
    const { rows } = await run(
      `datatable(v:long, a:dynamic, b:dynamic) [1, dynamic(["a1", "a2"]), dynamic(["b1"])] | mv-apply x = a, y = b to typeof(string) on (extend o = strcat(x, "_", y) | summarize o = make_list(o))`,
    );
    expect(rows.map((r) => r.o)).toEqual([['a1_b1', 'a2_']]);
  });

  it('keeps stored rows and their provenance; filters elements with where', async () => {
    const { rows } = await run(
      'DnsEvents | where isnotempty(Name) | extend parts = split(Name, ".") | mv-apply parts on (where tostring(parts) == "com") | project Name, parts',
    );
    expect(unordered(rows).map((r) => [r.Name, r.parts, r._Source])).toEqual([
      ['x.com', 'com', 'DnsEvents:1'],
      ['x.com', 'com', 'DnsEvents:3'],
      ['y.com', 'com', 'DnsEvents:2'],
    ]);
  });

  it('runs window functions within each sub-table, in its sort order', async () => {
    const { rows } = await run(
      `${T} | mv-apply e = a to typeof(long) on (order by e asc | extend p = prev(e), n = row_number(), c = row_cumsum(e)) | project k, e, p, n, c`,
    );
    expect(unordered(rows)).toEqual(
      unordered([
        { k: 'x', e: 1, p: null, n: 1, c: 1 },
        { k: 'x', e: 2, p: 1, n: 2, c: 3 },
        { k: 'x', e: 3, p: 2, n: 3, c: 6 },
        { k: 'z', e: 8, p: null, n: 1, c: 8 },
        { k: 'z', e: 9, p: 8, n: 2, c: 17 },
      ]),
    );
  });

  it('limit n expands at most n elements of each row', async () => {
    const { rows } = await run(
      `${T} | mv-apply e = a to typeof(long) limit 1 on (summarize s = sum(e)) | project k, s`,
    );
    expect(unordered(rows)).toEqual(
      unordered([
        { k: 'x', s: 3 },
        { k: 'y', s: null },
        { k: 'z', s: 9 },
      ]),
    );
  });

  it('refuses what would cross sub-tables (joins, window functions outside extend) with TT001', async () => {
    await expect(run(`${T} | mv-apply a on (where prev(a) == 1)`)).rejects.toThrow(/TT001.*window functions/);
    await expect(run(`${T} | mv-apply a on (join (datatable(a:dynamic) [1]) on a)`)).rejects.toThrow(
      /TT001.*JoinOperator/,
    );
  });
});
