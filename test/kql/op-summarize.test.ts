import { describe, expect, it } from 'vitest';
import { unordered, useFixture } from './op-fixture.js';

const run = useFixture();

describe('summarize aggregates', () => {
  it('arg_max(T, *) returns the whole latest row per group, with Kusto column names', async () => {
    const { columns, rows } = await run(
      'DnsEvents | summarize arg_max(TimeGenerated, *) by Computer | project Computer, TimeGenerated, Name, EventId',
    );
    expect(columns).toEqual(['Computer', 'TimeGenerated', 'Name', 'EventId', '_Source']);
    expect(unordered(rows.map(({ _Source, ...r }) => r))).toEqual([
      { Computer: 'a', TimeGenerated: '2026-05-21T11:00:00.000Z', Name: 'y.com', EventId: 5 },
      { Computer: 'b', TimeGenerated: '2026-05-21T12:00:00.000Z', Name: '', EventId: 7 },
    ]);
  });

  it('arg_min with named columns renames a clash (Name1) and keeps fields from one row', async () => {
    const { columns, rows } = await run(
      'DnsEvents | summarize arg_min(EventId, Name, TimeGenerated), c = arg_max(EventId, Name) by Computer',
    );
    expect(columns).toEqual(['Computer', 'EventId', 'Name', 'TimeGenerated', 'c', 'Name1', '_Source']);
    const a = rows.find((r) => r.Computer === 'a')!;
    expect([a.EventId, a.Name, a.c, a.Name1]).toEqual([1, 'x.com', 5, 'y.com']);
  });

  it('arg_max / arg_min over a datatable: ties and all-null groups keep the first written row', async () => {
    const { rows } = await run(
      'datatable(F:string, C:string, V:int)["a","x",1, "a","y",1, "b","p",int(null), "b","q",int(null)] | summarize arg_max(V, C), m = arg_min(V, C) by F',
    );
    expect(unordered(rows.map(({ F, C, C1 }) => ({ F, C, C1 })))).toEqual([
      { F: 'a', C: 'x', C1: 'x' },
      { F: 'b', C: 'p', C1: 'p' },
    ]);
  });

  it('count(x) counts rows, null x included (the engine accepts the argument)', async () => {
    const { columns, rows } = await run(
      'range x from 1 to 3 step 1 | extend y = iff(x == 1, real(null), 1.0) | summarize count(y)',
    );
    expect(columns[0]).toBe('count_y');
    expect(rows[0].count_y).toBe(3);
  });

  it('percentile(s) are nearest-rank; stdev / variance are sample statistics; avg', async () => {
    const { rows } = await run(
      'DnsEvents | summarize percentiles(EventId, 50, 95), p = percentile(EventId, 25), stdev(EventId), variance(EventId), avg(EventId)',
    );
    // EventId 1, 3, 5, 7: ranks ceil(0.5*4)=2 → 3, ceil(0.95*4)=4 → 7, ceil(0.25*4)=1 → 1; mean 4, sample variance 20/3
    const r = rows[0];
    expect([r.percentile_EventId_50, r.percentile_EventId_95, r.p]).toEqual([3, 7, 1]);
    expect(r.variance_EventId as number).toBeCloseTo(20 / 3, 10);
    expect(r.stdev_EventId as number).toBeCloseTo(Math.sqrt(20 / 3), 10);
    expect(r.avg_EventId).toBe(4);
  });

  it('make_list keeps the written order of a datatable (Kusto: input order, not scan order)', async () => {
    const values = Array.from({ length: 40 }, (_, i) => (i * 7) % 40);
    const { rows } = await run(
      `datatable(v:long)[${values.join(', ')}] | summarize l = make_list(v), w = make_list_with_nulls(v), f = make_list_if(v, v >= 0)`,
    );
    expect(rows[0].l).toEqual(values);
    expect(rows[0].w).toEqual(values);
    expect(rows[0].f).toEqual(values);
  });

  it('make_set / make_list / make_*_if keep at most maxSize elements', async () => {
    const { rows } = await run(
      'range x from 1 to 100 step 1 | summarize s = make_set(x, 5), l = make_list(x, 3), i = make_list_if(x, x > 50, 2), a = make_list(x)',
    );
    const r = rows[0];
    expect((r.s as number[]).length).toBe(5);
    expect(r.l).toEqual([1, 2, 3]);
    expect(r.i).toEqual([51, 52]);
    expect((r.a as number[]).length).toBe(100);
  });

  it('make_set / make_list skip missing values; make_set_if filters; dcount counts distinct non-empty', async () => {
    const { rows } = await run(
      'DnsEvents | summarize s = make_set(Name), l = make_list(Name), si = make_set_if(Name, EventId > 1), d = dcount(Name) by Computer',
    );
    const b = rows.find((r) => r.Computer === 'b')!;
    expect([b.s, b.l, b.si, b.d]).toEqual([['x.com'], ['x.com'], ['x.com'], 1]);
    const a = rows.find((r) => r.Computer === 'a')!;
    expect([(a.s as string[]).sort(), a.si, a.d]).toEqual([['x.com', 'y.com'], ['y.com'], 2]);
  });

  it('bin() groups numbers and datetimes', async () => {
    const n = await run('DnsEvents | summarize c = count() by b = bin(EventId, 5)');
    expect(unordered(n.rows.map(({ b, c }) => ({ b, c })))).toEqual([
      { b: 0, c: 2 },
      { b: 5, c: 2 },
    ]);
    const t = await run(
      'DnsEvents | summarize c = count() by bin(TimeGenerated, 2h) | sort by TimeGenerated asc',
    );
    expect(t.rows.map((r) => [r.TimeGenerated, r.c])).toEqual([
      ['2026-05-21T08:00:00.000Z', 1],
      ['2026-05-21T10:00:00.000Z', 2],
      ['2026-05-21T12:00:00.000Z', 1],
    ]);
  });
});
