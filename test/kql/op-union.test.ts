import { describe, expect, it } from 'vitest';
import { unordered, useFixture } from './op-fixture.js';

const run = useFixture();

describe('union', () => {
  it('aligns columns by name; a name with two types becomes Name_type; withsource names the input', async () => {
    const { columns, rows } = await run(
      'union withsource=T (DnsEvents | where EventId == 1 | project A = 1, B = "x"), (DnsEvents | where EventId > 4 | project B = EventId, C = 1.5)',
    );
    expect(columns).toEqual(['T', 'A', 'B_string', 'B_int', 'C', '_Source']);
    expect(unordered(rows)).toEqual(
      unordered([
        { T: 'union_arg0', A: 1, B_string: 'x', B_int: null, C: null, _Source: 'DnsEvents:1' },
        { T: 'union_arg1', A: null, B_string: null, B_int: 5, C: 1.5, _Source: 'DnsEvents:2' },
        { T: 'union_arg1', A: null, B_string: null, B_int: 7, C: 1.5, _Source: 'DnsEvents:4' },
      ]),
    );
  });

  it("a split column that meets an input's own column name gets a number: the own column keeps it", async () => {
    const { columns, rows } = await run(
      'let V1 = view () { print x=1 }; let V2 = view () { print x=toint(2) }; let V3 = view () { print x_long=3 }; union withsource=T V1, V2, V3',
    );
    expect(columns).toEqual(['T', 'x_long1', 'x_int', 'x_long']);
    expect(unordered(rows)).toEqual(
      unordered([
        { T: 'V1', x_long1: 1, x_int: null, x_long: null },
        { T: 'V2', x_long1: null, x_int: 2, x_long: null },
        { T: 'V3', x_long1: null, x_int: null, x_long: 3 },
      ]),
    );
  });

  it('tables by name (withsource gives the table), piped input, isfuzzy skips a missing table', async () => {
    const tables = await run(
      'union withsource=Src DnsEvents, CommonSecurityLog | summarize n = count() by Src',
    );
    expect(unordered(tables.rows.map(({ Src, n }) => ({ Src, n })))).toEqual([
      { Src: 'CommonSecurityLog', n: 3 },
      { Src: 'DnsEvents', n: 4 },
    ]);
    const piped = await run(
      'DnsEvents | project Who = Computer | union (CommonSecurityLog | project Who = DeviceVendor)',
    );
    expect(piped.rows.map((r) => r.Who).sort()).toEqual(['a', 'a', 'b', 'b', 'v1', 'v2', 'v3']);
    const fuzzy = await run('union isfuzzy=true DnsEvents, NoSuchTable | count');
    expect(fuzzy.rows[0].Count).toBe(4);
  });

  it('isfuzzy: a missing input adds no columns, so names it shares with the others stay whole', async () => {
    // the binder types the missing table's columns as unknown and would split Name into Name_string and
    // Name_unknown; the engine leaves the input out, as Sentinel's ASIM rules expect
    const { columns, rows } = await run(
      'union isfuzzy=true (DnsEvents | project Name, EventId), (NoSuchTable_CL | project Name, Extra) | project-away Extra* | summarize n = count() by Name',
    );
    expect(columns).toEqual(['Name', 'n', '_Source']);
    expect(rows.map((r) => r.n).reduce((a, b) => Number(a) + Number(b), 0)).toBe(4);
  });

  it('isfuzzy: operators after the union see only the inputs that exist', async () => {
    // the missing subquery's columns (and its `where` on a column nobody has) are gone before binding
    const after = await run(
      'union isfuzzy=true (NoSuchTable_CL | where Extra == 1 | extend Z = 5), (DnsEvents | project Name, EventId) | extend Next = EventId + 1 | project-away Z*',
    );
    expect(after.columns).toEqual(['Name', 'EventId', 'Next', '_Source']);
    expect(after.rows.map((r) => Number(r.Next) - Number(r.EventId))).toEqual([1, 1, 1, 1]);
    // a nested fuzzy union loses only its own missing input, not the whole subquery around it
    const nested = await run(
      'union isfuzzy=true DnsEvents, (union isfuzzy=true DnsEvents, Gone_CL | where EventId == 1) | count',
    );
    expect(nested.rows[0].Count).toBe(5);
    // piped: when every input is missing the `| union` goes, and the rows before it stay
    const piped = await run('DnsEvents | union isfuzzy=true Gone_CL, (Gone2_CL | project Q = 1) | count');
    expect(piped.rows[0].Count).toBe(4);
  });

  it('isfuzzy: no input that resolves is an error naming them, as in Kusto', async () => {
    await expect(run('union isfuzzy=true Gone_CL, Gone2_CL')).rejects.toThrow(
      /KS205: union isfuzzy=true: no input resolves .*Gone_CL, Gone2_CL/,
    );
  });
});

describe('query sources and user functions', () => {
  it('datatable, print, range', async () => {
    const dt = await run('datatable(a:string, b:long)["x", 1, "y", 2] | extend c = b * 2');
    expect(dt.rows).toEqual([
      { a: 'x', b: 1, c: 2 },
      { a: 'y', b: 2, c: 4 },
    ]);
    expect((await run('print x = 1, y = "s"')).rows).toEqual([{ x: 1, y: 's' }]);
    expect((await run('range x from 1 to 5 step 2')).rows.map((r) => r.x)).toEqual([1, 3, 5]);
    const t = await run('range t from datetime(2026-01-01) to datetime(2026-01-02) step 12h');
    expect(t.rows).toHaveLength(3);
  });

  it('tabular and scalar user functions, default arguments, views, materialize', async () => {
    const f = await run(
      'let f = (a:string, n:long = 1) { DnsEvents | where Name == a | sort by EventId asc | take n }; f("x.com") | project EventId',
    );
    expect(f.rows.map((r) => r.EventId)).toEqual([1]);
    const g = await run(
      'let v = view () { DnsEvents | where EventId == 1 }; let g = (x:string) { let y = strcat(x, "!"); toupper(y) }; v | project z = g(Name)',
    );
    expect(g.rows.map((r) => r.z)).toEqual(['X.COM!']);
    const m = await run(
      'let m = materialize(DnsEvents | where EventId > 2); m | join kind=inner m on Computer | count',
    );
    expect(m.rows[0].Count).toBe(5);
  });
});

describe('errors', () => {
  it('wraps a DuckDB run-time error in KqlError TT100', async () => {
    await expect(run('print x = 9223372036854775807 + 1')).rejects.toMatchObject({ code: 'TT100' });
  });

  it('unsupported operators stay TT001 with their position', async () => {
    await expect(run('DnsEvents\n| mv-expand d = dynamic([1]) limit 1')).rejects.toMatchObject({
      code: 'TT001',
      line: 2,
    });
  });
});
