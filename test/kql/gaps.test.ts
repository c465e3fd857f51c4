import { describe, expect, it } from 'vitest';
import { runKql } from '../../src/kql/index.js';
import { NOW, storeWith } from './helpers.js';

const run = async (query: string, data: Parameters<typeof storeWith>[0] = {}) => {
  const store = await storeWith(data);
  try {
    return await runKql(store, query, { now: NOW });
  } finally {
    store.close();
  }
};

describe('corpus gaps closed', () => {
  it('compares bool with a number as 0/1, and a number with a string as a number', async () => {
    const r = await run('print a = true == 1, b = false == 1, c = 4 != "corp", d = 443 in ("443", "x")');
    expect(r.rows).toEqual([{ a: true, b: false, c: true, d: true }]);
  });

  it('keeps a column whose name differs only in case from another (timestamp beside Timestamp)', async () => {
    const r = await run(
      'DeviceNetworkEvents | extend timestamp = Timestamp + 1h | project Timestamp, timestamp, RemoteIP',
      { DeviceNetworkEvents: [{ Timestamp: '2026-05-21T10:00:00Z', RemoteIP: '1.2.3.4' }] },
    );
    expect(r.columns).toEqual(['Timestamp', 'timestamp', 'RemoteIP', '_Source']);
    expect(r.rows[0].RemoteIP).toBe('1.2.3.4');
    expect(String(r.rows[0].timestamp)).toMatch(/11:00/);
  });

  it('joins on a conjunction of equalities', async () => {
    const r = await run(
      'datatable(a:string, b:long)["x", 1, "x", 2] | join kind=inner (datatable(c:string, d:long)["x", 2]) on $left.a == $right.c and $left.b == $right.d | project a, b',
    );
    expect(r.rows).toEqual([{ a: 'x', b: 2 }]);
  });

  it('takes a percentile from a function parameter, and percentilesw counts weights', async () => {
    const r = await run(
      'let f = (p:long) { datatable(x:long, w:long)[1, 3, 5, 1] | summarize percentiles(x, p), percentilesw(x, w, p) }; f(50)',
    );
    expect(Object.values(r.rows[0])).toEqual([1, 1]);
  });

  it('declares FileProfile() with its documented columns, null where no local data answers, and a warning', async () => {
    const r = await run(
      'datatable(h:string)["0123456789012345678901234567890123456789"] | invoke FileProfile(h)',
    );
    expect(r.columns).toContain('GlobalPrevalence');
    expect(r.rows[0].GlobalPrevalence).toBeNull();
    expect(r.warnings.join()).toMatch(/FileProfile/);
  });

  it('math functions and the deprecated makeset', async () => {
    const r = await run('print a = round(exp(1), 2), b = log(-1), c = sqrt(16), d = toscalar(1 + 2)');
    expect(r.rows).toEqual([{ a: 2.72, b: null, c: 4, d: 3 }]);
  });
});
