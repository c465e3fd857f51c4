import { describe, expect, it } from 'vitest';
import { useFixture } from './op-fixture.js';

const run = useFixture();

describe('serialized rows: prev, next, row_number', () => {
  it('sort by serializes: prev/next follow the sort order; strings default to ""', async () => {
    const { rows } = await run(
      'DnsEvents | sort by TimeGenerated asc | extend p = prev(Name), n = next(EventId, 2, -1), r = row_number() | project Name, p, n, r',
    );
    expect(rows.map(({ _Source, ...r }) => r)).toEqual([
      { Name: 'x.com', p: '', n: 5, r: 1 },
      { Name: 'x.com', p: 'x.com', n: 7, r: 2 },
      { Name: 'y.com', p: 'x.com', n: -1, r: 3 },
      { Name: null, p: 'y.com', n: -1, r: 4 }, // project passes a stored null through
    ]);
  });

  it('serialize with an assignment; row_number(start); gaps between consecutive events', async () => {
    const numbered = await run(
      'DnsEvents | order by EventId desc | serialize rn = row_number(10) | project EventId, rn',
    );
    expect(numbered.rows.map((r) => [r.EventId, r.rn])).toEqual([
      [7, 10],
      [5, 11],
      [3, 12],
      [1, 13],
    ]);
    const gaps = await run(
      'DnsEvents | where Computer == "a" | sort by TimeGenerated asc | extend gap = TimeGenerated - prev(TimeGenerated) | project gap',
    );
    expect(gaps.rows.map((r) => r.gap)).toEqual([null, '01:00:00']);
  });

  it('row_cumsum over the serialized order', async () => {
    const { rows } = await run(
      'DnsEvents | sort by EventId asc | serialize | extend s = row_cumsum(EventId) | project s',
    );
    expect(rows.map((r) => r.s)).toEqual([1, 4, 9, 16]);
  });

  it('ranks and restarts: row_rank_min / row_rank_dense by the term, row_cumsum and row_number per group', async () => {
    const { rows } = await run(`datatable(g:string, v:long) ["a", 5, "a", 3, "b", 3, "a", 3, "b", 1]
      | sort by g asc, v asc
      | extend restart = g != prev(g)
      | extend mn = row_rank_min(v), dn = row_rank_dense(v, restart), cs = row_cumsum(v, restart), rn = row_number(1, restart)
      | project g, v, mn, dn, cs, rn`);
    expect(rows.map((r) => [r.g, r.v, r.mn, r.dn, r.cs, r.rn])).toEqual([
      ['a', 3, 1, 1, 3, 1],
      ['a', 3, 1, 1, 6, 2], // a tie keeps its rank
      ['a', 5, 3, 2, 11, 3],
      ['b', 1, 4, 1, 1, 1], // the restart starts the dense rank, the sum and the number again
      ['b', 3, 5, 2, 4, 2],
    ]);
  });
});

describe('row_window_session', () => {
  it('starts a session on a restart, a gap over the neighbour limit, or a distance over the first-row limit', async () => {
    const starts = async (args: string) =>
      (
        await run(
          `DnsEvents | sort by TimeGenerated asc | extend s = row_window_session(TimeGenerated, ${args}) | project s`,
        )
      ).rows.map((r) => new Date(r.s as string).toISOString().slice(11, 16));
    // hourly rows 09:00 … 12:00: 12:00 is 3h from the session's first row
    expect(await starts('2h, 90m')).toEqual(['09:00', '09:00', '09:00', '12:00']);
    expect(await starts('2h, 30m')).toEqual(['09:00', '10:00', '11:00', '12:00']);
    // computers b, a, a, b: each change restarts
    expect(await starts('1d, 1d, Computer != prev(Computer)')).toEqual(['09:00', '10:00', '10:00', '12:00']);
  });
});

describe('mv-expand and parse', () => {
  it('expands arrays in parallel with an item index; a bag key by key; null once; [] never', async () => {
    const { rows } = await run(
      'print d = dynamic([1, 2]), e = dynamic(["a"]) | mv-expand with_itemindex = i d to typeof(long), x = e',
    );
    expect(rows).toEqual([
      { d: 1, e: ['a'], x: 'a', i: 0 },
      { d: 2, e: ['a'], x: null, i: 1 },
    ]);
    const bag = await run('print d = dynamic({"a": 1, "b": [2]}) | mvexpand d');
    expect(bag.rows.map((r) => r.d)).toEqual([{ a: 1 }, { b: [2] }]);
    const unnamed = await run('print E = \'[1, {"x": 2}]\' | mv-expand todynamic(E) | mv-expand E.x');
    expect(unnamed.columns.slice(0, 2)).toEqual(['E', 'E_x']);
    expect(unnamed.rows.map((r) => [r.E, r.E_x])).toEqual([
      [1, null],
      [{ x: 2 }, 2],
    ]);
    const pairs = await run('print d = dynamic({"a": 1, "b": [2]}) | mv-expand kind=array d');
    expect(pairs.rows.map((r) => r.d)).toEqual([
      ['a', 1],
      ['b', [2]],
    ]);
    expect((await run('print z = dynamic([]) | mv-expand z')).rows).toEqual([]);
    expect((await run('print n = dynamic(null) | mv-expand n')).rows).toEqual([{ n: null }]);
  });

  it('parse: simple with * and typed columns, regex kind, no match', async () => {
    const simple = await run(
      'print s = "GET /a/b?x=1 HTTP/1.1 port=8080" | parse s with m " " path "?" * "port=" port:int | project m, path, port',
    );
    expect(simple.rows).toEqual([{ m: 'GET', path: '/a/b', port: 8080 }]);
    const regex = await run(
      'print s = "user=bob id=42" | parse kind=regex s with "user=" u:string " id=" id:long | project u, id',
    );
    expect(regex.rows).toEqual([{ u: 'bob', id: 42 }]);
    const none = await run('print s = "nomatch" | parse s with "user=" u " id=" id:long | project u, id');
    expect(none.rows).toEqual([{ u: '', id: null }]);
  });

  it('render is ignored; project-away takes wildcards', async () => {
    expect((await run('DnsEvents | count | render timechart')).rows[0].Count).toBe(4);
    const { columns } = await run('DnsEvents | project-away Remote*, _* | take 1');
    expect(columns.some((c) => c.startsWith('Remote'))).toBe(false);
  });
});
