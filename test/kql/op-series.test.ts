import { describe, expect, it } from 'vitest';
import { unordered, useFixture } from './op-fixture.js';

const run = useFixture();

// CEF rows: 10:00 (v1, port 80), 10:30 (v2, port 443), 10:30 (v3, port 22), all from 10.0.0.1 but the last
describe('make-series', () => {
  it('from/to/step: one value per bin (end exclusive), default 0, and the axis of bin starts', async () => {
    const { columns, rows } = await run(
      'CommonSecurityLog | make-series n = count() on TimeGenerated from datetime(2026-05-21 09:00) to datetime(2026-05-21 11:00) step 30m',
    );
    expect(columns).toEqual(['n', 'TimeGenerated', '_Source']);
    expect(rows).toHaveLength(1);
    expect(rows[0].n).toEqual([0, 0, 1, 2]);
    expect(rows[0].TimeGenerated).toEqual([
      '2026-05-21T09:00:00.0000000Z',
      '2026-05-21T09:30:00.0000000Z',
      '2026-05-21T10:00:00.0000000Z',
      '2026-05-21T10:30:00.0000000Z',
    ]);
    expect(rows[0]._Source).toEqual(['CommonSecurityLog:1', 'CommonSecurityLog:2', 'CommonSecurityLog:3']);
  });

  it('by groups, several aggregates with their own defaults; rows outside [from, to) are left out', async () => {
    const { rows } = await run(
      'CommonSecurityLog | make-series n = count(), p = max(DestinationPort) default = -1 on TimeGenerated from datetime(2026-05-21 10:00) to datetime(2026-05-21 10:30) step 15m by SourceIP',
    );
    expect(unordered(rows).map(({ _Source, TimeGenerated: _t, ...r }) => r)).toEqual([
      { SourceIP: '10.0.0.1', n: [1, 0], p: [80, -1] },
    ]);
  });

  it('a step that does not divide the span: the last bin starts before `to`', async () => {
    const { rows } = await run(
      'CommonSecurityLog | make-series sum(DestinationPort) on TimeGenerated from datetime(2026-05-21 10:00) to datetime(2026-05-21 11:00) step 25m',
    );
    expect(rows[0].sum_DestinationPort).toEqual([80, 465, 0]); // bins 10:00, 10:25 (holds 10:30), 10:50
  });

  it('in range(start, stop, step) over a number: bins aligned like bin(), stop inclusive', async () => {
    const { rows } = await run(
      'CommonSecurityLog | extend Port = tolong(DestinationPort) | make-series count() on Port in range(10, 90, 20) by DeviceVendor | where DeviceVendor != "v2" | project DeviceVendor, count_, Port',
    );
    expect(unordered(rows).map(({ _Source, ...r }) => r)).toEqual([
      { DeviceVendor: 'v1', count_: [0, 0, 0, 0, 1], Port: [0, 20, 40, 60, 80] },
      { DeviceVendor: 'v3', count_: [0, 1, 0, 0, 0], Port: [0, 20, 40, 60, 80] },
    ]);
  });

  it('no input rows: no series', async () => {
    const { rows } = await run(
      'CommonSecurityLog | where DeviceVendor == "none" | make-series count() on TimeGenerated from datetime(2026-05-21) to datetime(2026-05-22) step 1h',
    );
    expect(rows).toEqual([]);
  });

  it('no input rows with kind=nonempty: one series of defaults; with by it is TT001', async () => {
    const { rows } = await run(
      'CommonSecurityLog | where DeviceVendor == "none" | make-series kind=nonempty n = count() default = 7 on TimeGenerated from datetime(2026-05-21) to datetime(2026-05-21 02:00) step 1h',
    );
    expect(rows.map((r) => [r.n, r.TimeGenerated])).toEqual([
      [
        [7, 7],
        ['2026-05-21T00:00:00.0000000Z', '2026-05-21T01:00:00.0000000Z'],
      ],
    ]);
    await expect(
      run(
        'CommonSecurityLog | make-series kind=nonempty count() on TimeGenerated from datetime(2026-05-21) to datetime(2026-05-22) step 1h by DeviceVendor',
      ),
    ).rejects.toThrow(/TT001.*kind=nonempty with by/);
  });

  it('mv-expand turns the series back into rows', async () => {
    const { rows } = await run(
      'CommonSecurityLog | make-series n = count() on TimeGenerated from datetime(2026-05-21 10:00) to datetime(2026-05-21 11:00) step 30m | mv-expand n to typeof(long), TimeGenerated to typeof(datetime) | project n, TimeGenerated',
    );
    expect(rows.map((r) => [r.n, r.TimeGenerated])).toEqual([
      [1, '2026-05-21T10:00:00.000Z'],
      [2, '2026-05-21T10:30:00.000Z'],
    ]);
  });
});

describe('series functions', () => {
  it('project series_stats(x): its seven columns, next to the other projected ones', async () => {
    const { columns, rows } = await run('print x = dynamic([4, 1, 7]), y = 2 | project y, series_stats(x)');
    expect(columns.slice(0, 4)).toEqual([
      'y',
      'series_stats_x_min',
      'series_stats_x_min_idx',
      'series_stats_x_max',
    ]);
    expect(columns).toHaveLength(8);
    expect([
      rows[0].y,
      rows[0].series_stats_x_min,
      rows[0].series_stats_x_max_idx,
      rows[0].series_stats_x_avg,
    ]).toEqual([2, 1, 2, 4]);
  });

  it('series_stats: one column per statistic, nulls left out; named with (a, b, …) =', async () => {
    const { columns, rows } = await run(
      'print x = dynamic([4, 1, null, 7, 1]) | extend series_stats(x) | extend (lo, lo_i, hi, hi_i, mean, sd, var) = series_stats(x) | project-away x',
    );
    expect(columns.slice(0, 7)).toEqual([
      'series_stats_x_min',
      'series_stats_x_min_idx',
      'series_stats_x_max',
      'series_stats_x_max_idx',
      'series_stats_x_avg',
      'series_stats_x_stdev',
      'series_stats_x_variance',
    ]);
    const r = rows[0];
    // values 4, 1, 7, 1: mean 3.25, sample variance ((0.75² + 2.25² + 3.75² + 2.25²) / 3) = 8.25
    expect([
      r.series_stats_x_min,
      r.series_stats_x_min_idx,
      r.series_stats_x_max,
      r.series_stats_x_max_idx,
    ]).toEqual([1, 1, 7, 3]);
    expect(r.series_stats_x_avg).toBe(3.25);
    expect(r.series_stats_x_variance).toBeCloseTo(8.25, 10);
    expect(r.series_stats_x_stdev).toBeCloseTo(Math.sqrt(8.25), 10);
    expect([r.lo, r.lo_i, r.hi, r.hi_i, r.mean]).toEqual([1, 1, 7, 3, 3.25]);
  });

  it("series_outliers: Tukey's scores against the 10th/90th (ctukey) or 25th/75th (tukey) percentiles", async () => {
    // values 1..10 and 100: p25 = 3.5, p75 = 8.5 (linear), IQR 5; p10 = 2, p90 = 10, range 8
    const { rows } = await run(
      'print x = dynamic([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, null]) | extend t = series_outliers(x, "tukey"), c = series_outliers(x)',
    );
    expect(rows[0].t).toEqual([-0.5, -0.3, -0.1, 0, 0, 0, 0, 0, 0.1, 0.3, 18.3, 0]);
    expect(rows[0].c).toEqual([-0.125, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11.25, 0]);
  });

  it('series_decompose_anomalies without seasonality: trend baseline, Tukey score of the residual, flag', async () => {
    // avg: mean 1.9, residuals -0.9 (×9) and 8.1; p10 = -0.9, p90 = 0 (linear) → 8.1 scores 8.1 / 0.9 = 9
    const { rows } = await run(
      'print x = dynamic([1, 1, 1, 1, 1, 1, 1, 1, 1, 10]) | extend (flag, score, baseline) = series_decompose_anomalies(x, 1.5, 0)',
    );
    expect(rows[0].flag).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect((rows[0].score as number[]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 9,
    ]);
    expect((rows[0].baseline as number[]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual(Array(10).fill(1.9));
    // linefit on a straight line: the baseline is the line, nothing is anomalous
    const line = await run(
      'print x = dynamic([1, 2, 3, 4, 5]) | extend (flag, score, baseline) = series_decompose_anomalies(x, 1.5, 0, "linefit")',
    );
    expect(line.rows[0].flag).toEqual([0, 0, 0, 0, 0]);
    expect((line.rows[0].baseline as number[]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });

  it('series_decompose_anomalies takes its threshold from data (toscalar of a table)', async () => {
    // score 9 at the spike: a threshold of 10 read from a table flags nothing, 5 flags it
    const flags = async (t: number) =>
      (
        await run(
          `let threshold = datatable(t:real)[${t}]; print x = dynamic([1, 1, 1, 1, 1, 1, 1, 1, 1, 10]) | extend (flag, score, baseline) = series_decompose_anomalies(x, toscalar(threshold), 0)`,
        )
      ).rows[0].flag;
    expect(await flags(10)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(await flags(5)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('todynamic / parse_json of a dynamic value return it as it is (Kusto.Language flags it; Kusto runs it)', async () => {
    const { rows } = await run(
      'print s = "a b base64 c" | extend args = todynamic(array_slice(split(s, " "), 1, -1)), j = parse_json(dynamic({"k": 1}))',
    );
    expect(rows[0].args).toEqual(['b', 'base64', 'c']);
    expect(rows[0].j).toEqual({ k: 1 });
  });

  it('series_decompose_anomalies with automatic seasonality: a constant series has no period; others stop', async () => {
    // a constant series has no period whatever the detection: the answer is seasonality 0's
    const flat = await run(
      'print x = dynamic([3, 3, 3, 3, 3, 3]) | extend (a, s, b) = series_decompose_anomalies(x, 1.5, -1, "linefit")',
    );
    expect(flat.rows[0].a).toEqual([0, 0, 0, 0, 0, 0]);
    expect(flat.rows[0].b).toEqual([3, 3, 3, 3, 3, 3]);
    const byDefault = await run(
      'print x = dynamic([0, 0, 0]) | extend (a, s, b) = series_decompose_anomalies(x)',
    );
    expect(byDefault.rows[0].s).toEqual([0, 0, 0]);
    // a series that varies would need Kusto's period detection: the query stops and says so
    await expect(
      run(
        'print x = dynamic([1, 2, 1, 2, 1, 2, 1, 2]) | extend (a, s, b) = series_decompose_anomalies(x, 1.5, -1)',
      ),
    ).rejects.toThrow(/automatic seasonality \(-1\) on a series that varies/);
    await expect(
      run('print x = dynamic([1, 2]) | extend (a, s, b) = series_decompose_anomalies(x, 1.5, 7)'),
    ).rejects.toThrow(/TT001.*series_decompose_anomalies with a given seasonality/);
  });

  it("series_fill_linear: the page's example, reals interpolated, longs truncated, nulls-only filled", async () => {
    // the documentation's query; tostring shows the element types (111.0 a real, 111 a long)
    const { rows } = await run(`let data = datatable(arr: dynamic) [
        dynamic([null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null]),
        dynamic([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null]),
        dynamic([null, null, null, null])];
      data | project arr = tostring(arr),
        without_args = tostring(series_fill_linear(arr)),
        with_edges = tostring(series_fill_linear(arr, double(null), true)),
        wo_edges = tostring(series_fill_linear(arr, double(null), false)),
        with_const = tostring(series_fill_linear(arr, double(null), true, 3.14159))`);
    const real = `[111.0,111.0,73.5,36.0,41.0,${32 + 2 / 3},${24 + 1 / 3},16.0,61.0,33.0,33.0,33.0]`;
    const long = '[111,111,73,36,41,32,24,16,61,33,33,33]';
    expect(unordered(rows)).toEqual(
      unordered([
        {
          arr: '[null,111.0,null,36.0,41.0,null,null,16.0,61.0,33.0,null,null]',
          without_args: real,
          with_edges: real,
          wo_edges: real.replace(/^\[111\.0/, '[null').replace(/33\.0,33\.0\]$/, 'null,null]'),
          with_const: real,
        },
        {
          arr: '[null,111,null,36,41,null,null,16,61,33,null,null]',
          without_args: long,
          with_edges: long,
          wo_edges: '[null,111,73,36,41,32,24,16,61,33,null,null]',
          // the page prints [111,111,74,38,  41,…] here: constant_value only fills all-null arrays
          with_const: long,
        },
        {
          arr: '[null,null,null,null]',
          without_args: '[0.0,0.0,0.0,0.0]',
          with_edges: '[0.0,0.0,0.0,0.0]',
          wo_edges: '[0.0,0.0,0.0,0.0]',
          with_const: '[3.14159,3.14159,3.14159,3.14159]',
        },
      ]),
    );
  });

  it('series_fill_linear: a placeholder other than null, and double(null) as the constant keeps nulls', async () => {
    const { rows } = await run(
      'print a = series_fill_linear(dynamic([-1, 5, -1, -1, 8, -1]), -1, false), b = series_fill_linear(dynamic([null, null]), double(null), true, double(null)), c = series_fill_linear(dynamic([1, null, 2.5])), d = series_fill_linear(dynamic(null))',
    );
    expect(rows[0]).toEqual({ a: [-1, 5, 6, 7, 8, -1], b: [null, null], c: [1, 1.75, 2.5], d: null });
  });

  it('dynamic literals keep reals apart from longs (Kusto prints 1.0)', async () => {
    const { rows } = await run(
      'print d = dynamic([1.0, 2, real(3), {"x": 1e3}]) | extend s = tostring(d), t0 = gettype(d[0]), t1 = gettype(d[1])',
    );
    expect(rows[0]).toMatchObject({ s: '[1.0,2,3.0,{"x":1000.0}]', t0: 'real' });
    expect(rows[0].t1).not.toBe('real');
  });

  it("series_seasonal with a period: each phase's median across the periods (the page's forced example)", async () => {
    const { rows } = await run(
      'print s = dynamic([1, 3, 5, 1, 3, 5, 2, 4, 6]) | union (print s = dynamic([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6])) | extend s_seasonal = tostring(series_seasonal(s, 3)) | project s = tostring(s), s_seasonal',
    );
    expect(unordered(rows)).toEqual(
      unordered([
        { s: '[1,3,5,1,3,5,2,4,6]', s_seasonal: '[1.0,3.0,5.0,1.0,3.0,5.0,1.0,3.0,5.0]' },
        // four values per phase: the median is the mean of the middle two (1, 2 → 1.5)
        {
          s: '[1,3,5,2,4,6,1,3,5,2,4,6]',
          s_seasonal: '[1.5,3.5,5.5,1.5,3.5,5.5,1.5,3.5,5.5,1.5,3.5,5.5]',
        },
      ]),
    );
  });

  it('series_seasonal: zeros where no period can exist or none is asked for; TT001 where detection is needed', async () => {
    const { rows } = await run(
      'print a = series_seasonal(dynamic([1, 5, 2, 7, 3, 9, 4])), b = series_seasonal(dynamic([4, 4, 4, 4, 4, 4, 4, 4, 4])), c = series_seasonal(dynamic([1, 2, 3, 4]), 0)',
    );
    // fewer than 8 points: a period needs 4 points and at most half the series (series_periods_detect)
    expect(rows[0]).toEqual({ a: [0, 0, 0, 0, 0, 0, 0], b: Array(9).fill(0), c: [0, 0, 0, 0] });
    const refusal = run('print s = dynamic([1, 2, 3, 1, 2, 3, 1, 2, 3]) | extend t = series_seasonal(s)');
    await expect(refusal).rejects.toMatchObject({ code: 'TT001', line: 1, column: 61 });
    await expect(refusal).rejects.toThrow(/automatic period detection/);
    await expect(run('print t = series_seasonal(dynamic([1, null, 3, 4]), 2)')).rejects.toMatchObject({
      code: 'TT001',
    });
  });
});
