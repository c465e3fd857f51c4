/** The `evaluate` plugins of src/kql/plugins, on small tables whose answers can be worked out by hand. */
import { describe, expect, it } from 'vitest';
import { useFixture } from './op-fixture.js';

const run = useFixture();
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe('evaluate rows_near', () => {
  it('keeps the rows within n before / m after a match, in the serialized order', async () => {
    const { rows } = await run(
      'range i from 1 to 10 step 1 | extend s = iff(i in (3, 9), "x", "") | sort by i asc | evaluate rows_near(s == "x", 1, 2) | project i',
    );
    expect(rows.map((r) => r.i)).toEqual([2, 3, 4, 5, 8, 9, 10]);
  });

  it('reads the stored rows (provenance kept) and Kusto rejects a row count that is not a constant', async () => {
    const { rows } = await run(
      'CommonSecurityLog | sort by DestinationPort asc | evaluate rows_near(DestinationPort == 443, 0) | project DestinationPort',
    );
    expect(rows).toEqual([{ DestinationPort: 443, _Source: 'CommonSecurityLog:2' }]);
    await expect(
      run('CommonSecurityLog | sort by DestinationPort asc | evaluate rows_near(true, DestinationPort)'),
    ).rejects.toThrow(/KS129/);
  });
});

describe('evaluate rolling_percentile', () => {
  it('per step, the nearest-rank percentile over the window of steps ending there, per group', async () => {
    const { columns, rows } = await run(
      'range i from 1 to 6 step 1 | extend g = i % 2 | evaluate rolling_percentile(i, 50, i, 2, 2, g)',
    );
    expect(columns).toEqual(['i', 'g', 'rolling_2_percentile_i_50']);
    // steps of 2 holding rows: odd 0 → {1}, 2 → {1, 3}, 4 → {3, 5}; even 2 → {2}, 4 → {2, 4}, 6 → {4, 6}
    const got = rows.map((r) => [r.g, r.i, r.rolling_2_percentile_i_50]);
    expect(got.sort(byJson)).toEqual(
      (
        [
          [1, 0, 1],
          [1, 2, 1],
          [1, 4, 3],
          [0, 2, 2],
          [0, 4, 2],
          [0, 6, 4],
        ] as unknown[][]
      ).sort(byJson),
    );
  });
});

describe('evaluate ipv4_lookup', () => {
  const table =
    'let nets = datatable(network:string, tag:string) ["10.0.0.0/8", "wide", "10.0.0.0/24", "narrow", "192.168.1.1", "host"];';
  it('joins each address with the longest matching network; unmatched rows only when asked', async () => {
    const q = (extra: string) =>
      `${table} datatable(ip:string) ["10.0.0.7", "10.9.0.1", "192.168.1.1", "8.8.8.8"] | evaluate ipv4_lookup(nets, ip, network${extra}) | sort by ip asc`;
    expect((await run(q(''))).rows.map((r) => [r.ip, r.tag])).toEqual([
      ['10.0.0.7', 'narrow'],
      ['10.9.0.1', 'wide'],
      ['192.168.1.1', 'host'],
    ]);
    const all = [
      ['10.0.0.7', 'narrow'],
      ['10.9.0.1', 'wide'],
      ['192.168.1.1', 'host'],
      ['8.8.8.8', ''],
    ];
    expect((await run(q(', true'))).rows.map((r) => [r.ip, r.tag])).toEqual(all);
    // the flag given by name, as hunts write it
    expect((await run(q(', return_unmatched = true'))).rows.map((r) => [r.ip, r.tag])).toEqual(all);
  });
});

describe('evaluate ipv6_lookup', () => {
  it('joins each address with the longest matching IPv6 network; unmatched rows only when asked', async () => {
    const nets =
      'let nets = datatable(network:string, tag:string) ["2001:db8::/32", "wide", "2001:db8:1::/48", "narrow"];';
    const q = (extra: string) =>
      `${nets} datatable(ip:string) ["2001:db8:1::5", "2001:db8:2::5", "fe80::1"] | evaluate ipv6_lookup(nets, ip, network${extra}) | sort by ip asc`;
    expect((await run(q(''))).rows.map((r) => [r.ip, r.tag])).toEqual([
      ['2001:db8:1::5', 'narrow'],
      ['2001:db8:2::5', 'wide'],
    ]);
    const { columns, rows } = await run(q(', true'));
    expect(columns.slice(0, 3)).toEqual(['ip', 'network', 'tag']);
    expect(rows.map((r) => [r.ip, r.tag])).toEqual([
      ['2001:db8:1::5', 'narrow'],
      ['2001:db8:2::5', 'wide'],
      ['fe80::1', ''],
    ]);
  });
});

describe('evaluate schema_merge', () => {
  const schemas = (second: string) =>
    `let a = datatable(Uri:string, Status:int)[] | getschema; let b = datatable(${second})[] | getschema; union a, b`;
  const merged = async (q: string) =>
    (await run(q)).rows.map((r) => [r.ColumnName, r.ColumnOrdinal, r.ColumnType]).sort(byJson);

  it('one row per column, at the ordinal of the first schema holding it', async () => {
    expect(
      await merged(`${schemas('Uri:string, Status:int, Ref:string')} | evaluate schema_merge()`),
    ).toEqual([
      ['Ref', 2, 'string'],
      ['Status', 1, 'int'],
      ['Uri', 0, 'string'],
    ]);
  });

  it('reports a column found at another ordinal, unless PreserveOrder is false', async () => {
    const q = schemas('Uri:string, Ref:string, Status:int');
    expect(await merged(`${q} | evaluate schema_merge()`)).toEqual([
      ['Ref', 1, 'string'],
      ['Status', -1, 'ERROR(columns are out of order)'],
      ['Uri', 0, 'string'],
    ]);
    expect(await merged(`${q} | evaluate schema_merge(PreserveOrder = false)`)).toEqual([
      ['Ref', 2, 'string'],
      ['Status', 1, 'int'],
      ['Uri', 0, 'string'],
    ]);
  });

  it('stops with an error on a column of two types (Kusto reduces them by undocumented rules)', async () => {
    await expect(run(`${schemas('Uri:string, Status:long')} | evaluate schema_merge()`)).rejects.toThrow(
      /column Status has several types/,
    );
  });
});

describe('user activity plugins', () => {
  const T = `datatable(u:string, t:datetime) ["a", datetime(2024-01-01), "b", datetime(2024-01-01), "a", datetime(2024-01-02), "c", datetime(2024-01-03), "a", datetime(2024-01-03)]`;
  it('activity_counts_metrics: rows, distinct, new and running distinct ids per window', async () => {
    const { rows } = await run(
      `${T} | evaluate activity_counts_metrics(u, t, datetime(2024-01-01), datetime(2024-01-04), 1d) | sort by t asc`,
    );
    expect(rows.map((r) => [r.count, r.dcount, r.new_dcount, r.aggregated_dcount])).toEqual([
      [2, 2, 2, 2],
      [1, 1, 0, 2],
      [2, 2, 1, 3],
      [0, 0, 0, 3],
    ]);
  });

  it('active_users_count: ids seen in n periods of the lookback, bins without any left out', async () => {
    const { rows } = await run(
      `${T} | evaluate active_users_count(u, t, datetime(2024-01-01), datetime(2024-01-05), 3d, 1d, 2, 2d) | sort by t asc`,
    );
    // a is seen on 2 of the 3 days up to Jan 2 (bin Jan 1) and on 3 up to Jan 3 (bin Jan 3)
    expect(rows.map((r) => [String(r.t).slice(0, 10), r.dcount])).toEqual([
      ['2024-01-01', 1],
      ['2024-01-03', 1],
    ]);
  });

  it('sliding_window_counts: rows and distinct ids of the lookback bins ending at each bin', async () => {
    const { columns, rows } = await run(
      `${T} | evaluate sliding_window_counts(u, t, datetime(2024-01-01), datetime(2024-01-05), 2d, 1d) | sort by t asc`,
    );
    expect(columns).toEqual(['t', 'Count', 'Dcount']);
    // windows (b − 2d, b]: Jan 1 {a, b}; Jan 1–2 {a, b, a}; Jan 2–3 {a, c, a}; Jan 3–4 {c, a}; Jan 5: none
    expect(rows.map((r) => [String(r.t).slice(0, 10), r.Count, r.Dcount])).toEqual([
      ['2024-01-01', 2, 2],
      ['2024-01-02', 3, 2],
      ['2024-01-03', 3, 2],
      ['2024-01-04', 2, 2],
    ]);
  });
});
