import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { compileKql, runKql } from '../../src/kql/index.js';
import { NOW, storeWith } from './helpers.js';

// Five firewall rows; NOW is 2026-05-21T12:00:00Z. Row 5 has no DestinationPort and no DeviceAction.
const ROWS = [
  {
    TimeGenerated: '2026-05-21T10:00:00Z',
    SourceIP: '10.0.0.5',
    DestinationIP: '176.65.139.7',
    DestinationPort: 3778,
    DeviceAction: 'allow',
    Activity: 'TCP connect',
    SentBytes: 100,
  },
  {
    TimeGenerated: '2026-05-21T11:00:00Z',
    SourceIP: '176.65.139.7',
    DestinationIP: '10.0.0.9',
    DestinationPort: 23,
    DeviceAction: 'deny',
    Activity: 'Telnet',
    SentBytes: 40,
  },
  {
    TimeGenerated: '2026-05-21T09:30:00Z',
    SourceIP: '10.0.0.5',
    DestinationIP: '176.65.139.70',
    DestinationPort: 3778,
    DeviceAction: 'allow',
    Activity: 'TCP connect',
    SentBytes: 60,
  },
  {
    TimeGenerated: '2026-05-20T23:59:00Z',
    SourceIP: '10.0.0.6',
    DestinationIP: '8.8.8.8',
    DestinationPort: 53,
    DeviceAction: 'Allow',
    Activity: 'DNS query',
    SentBytes: 10,
  },
  {
    TimeGenerated: '2026-05-21T10:15:00Z',
    SourceIP: '10.0.0.6',
    DestinationIP: '1.1.1.1',
    Activity: 'North America traffic',
    SentBytes: 5,
  },
];

let store: Store;
beforeAll(async () => {
  store = await storeWith({ CommonSecurityLog: ROWS });
});
afterAll(() => store.close());

const T = 'CommonSecurityLog';

async function run(query: string) {
  return runKql(store, query, { now: NOW });
}

/** Row numbers (1-based, from _Source) of a query's result, in result order. */
async function rowsOf(query: string): Promise<number[]> {
  const { rows } = await run(query);
  return rows.map((r) => Number(String(r._Source).split(':')[1]));
}

/** Row numbers matching a predicate, sorted: the set semantics of `where`. */
async function matching(predicate: string): Promise<number[]> {
  return (await rowsOf(`${T} | where ${predicate}`)).sort((a, b) => a - b);
}

describe('where: string predicates', () => {
  it('== and != are case-sensitive; a missing string is "" (so != matches it)', async () => {
    expect(await matching('DeviceAction == "allow"')).toEqual([1, 3]);
    expect(await matching('DeviceAction != "allow"')).toEqual([2, 4, 5]);
    expect(await matching('DeviceAction == ""')).toEqual([5]);
  });

  it('=~ and !~ ignore case', async () => {
    expect(await matching('DeviceAction =~ "ALLOW"')).toEqual([1, 3, 4]);
    expect(await matching('DeviceAction !~ "ALLOW"')).toEqual([2, 5]);
  });

  it('contains / !contains ignore case, contains_cs does not', async () => {
    expect(await matching('Activity contains "CONNECT"')).toEqual([1, 3]);
    expect(await matching('Activity !contains "tcp"')).toEqual([2, 4, 5]);
    expect(await matching('Activity contains_cs "connect"')).toEqual([1, 3]);
    expect(await matching('Activity contains_cs "Connect"')).toEqual([]);
  });

  it('startswith / endswith ignore case', async () => {
    expect(await matching('Activity startswith "tcp"')).toEqual([1, 3]);
    expect(await matching('Activity endswith "QUERY"')).toEqual([4]);
    expect(await matching('SourceIP startswith "10.0.0."')).toEqual([1, 3, 4, 5]);
  });

  it('has matches whole terms only; !has is its negation; has_any takes a list', async () => {
    expect(await matching('Activity has "america"')).toEqual([5]);
    expect(await matching('Activity has "amer"')).toEqual([]);
    expect(await matching('Activity !has "america"')).toEqual([1, 2, 3, 4]);
    expect(await matching('Activity has "north america"')).toEqual([5]);
    expect(await matching('Activity has_any ("telnet", "DNS")')).toEqual([2, 4]);
    expect(await matching('DestinationIP has "176.65.139.7"')).toEqual([1]);
  });

  it('has_any / has_all with needles known per row: a dynamic array gives its elements', async () => {
    const { rows } = await run(
      'datatable(s:string, l:dynamic)["a b.c", dynamic(["c", "z"]), "foo bar", dynamic(["ba"]), "q r", dynamic(null)] | project any = s has_any (l), all = s has_all (l, "a")',
    );
    expect(rows.map((r) => [r.any, r.all])).toEqual([
      [true, false],
      [false, false],
      [false, false],
    ]);
  });
});

describe('where: in, between, null rules, logic', () => {
  it('in / !in / in~ / !in~ with literal lists', async () => {
    expect(await matching('DeviceAction in ("allow", "deny")')).toEqual([1, 2, 3]);
    expect(await matching('DeviceAction !in ("allow")')).toEqual([2, 4, 5]);
    expect(await matching('DeviceAction in~ ("ALLOW")')).toEqual([1, 3, 4]);
    expect(await matching('DeviceAction !in~ ("ALLOW")')).toEqual([2, 5]);
    expect(await matching('DestinationPort in (23, 53)')).toEqual([2, 4]);
    expect(await matching('DestinationPort !in (23, 53)')).toEqual([1, 3, 5]);
  });

  it('in with a let dynamic array and with a tabular subquery / tabular let', async () => {
    expect(
      await rowsOf(
        `let ips = dynamic(["176.65.139.7", "8.8.8.8"]); ${T} | where DestinationIP in (ips) | order by TimeGenerated asc`,
      ),
    ).toEqual([4, 1]);
    expect(
      await matching(`SourceIP in (${T} | where DestinationPort == 23 | project DestinationIP)`),
    ).toEqual([]);
    expect(await matching(`SourceIP in (${T} | where DestinationPort == 3778 | project SourceIP)`)).toEqual([
      1, 3,
    ]);
    expect(
      await rowsOf(
        `let bad = ${T} | where DeviceAction == "deny" | project SourceIP; ${T} | where DestinationIP in (bad)`,
      ),
    ).toEqual([1]);
  });

  it('numeric comparisons drop nulls, but != and not(==) keep them as Kusto does', async () => {
    expect(await matching('DestinationPort > 100')).toEqual([1, 3]);
    expect(await matching('DestinationPort <= 53')).toEqual([2, 4]);
    expect(await matching('DestinationPort != 23')).toEqual([1, 3, 4, 5]);
    expect(await matching('not(DestinationPort == 23)')).toEqual([1, 3, 4, 5]);
    expect(await matching('DestinationPort == 23 or SentBytes * 2 >= 200')).toEqual([1, 2]);
    expect(await matching('DestinationPort == 3778 and SentBytes / 3 == 33')).toEqual([1]); // long division truncates
  });

  it('isnull / isnotnull / isempty / isnotempty (strings are never null)', async () => {
    expect(await matching('isnull(DestinationPort)')).toEqual([5]);
    expect(await matching('isnotnull(DestinationPort)')).toEqual([1, 2, 3, 4]);
    expect(await matching('isempty(DeviceAction)')).toEqual([5]);
    expect(await matching('isnotempty(DeviceAction)')).toEqual([1, 2, 3, 4]);
    expect(await matching('isnull(DeviceAction)')).toEqual([]);
  });

  it('between, with numbers and with a datetime and a span', async () => {
    expect(await matching('DestinationPort between (20 .. 60)')).toEqual([2, 4]);
    expect(await matching('DestinationPort !between (20 .. 60)')).toEqual([1, 3]);
    expect(await matching('TimeGenerated between (datetime(2026-05-21 09:00) .. 2h)')).toEqual([1, 2, 3, 5]);
  });

  it('ago(), now() and datetime literals read the query clock', async () => {
    expect(await matching('TimeGenerated > ago(2h)')).toEqual([2, 5]);
    expect(await matching('TimeGenerated >= ago(2h)')).toEqual([1, 2, 5]);
    expect(await matching('TimeGenerated < now(-12h)')).toEqual([4]);
    expect(await matching('TimeGenerated < datetime(2026-05-21)')).toEqual([4]);
    expect(await matching('TimeGenerated == datetime(2026-05-21T10:15:00Z)')).toEqual([5]);
    expect(await matching('TimeGenerated > ago(1d)')).toEqual([1, 2, 3, 4, 5]);
    expect(await matching('now() - TimeGenerated < 90m')).toEqual([2]);
  });

  it('let scalars', async () => {
    expect(
      await rowsOf(
        `let port = 3778; let action = "allow"; ${T} | where DestinationPort == port and DeviceAction == action | order by TimeGenerated`,
      ),
    ).toEqual([1, 3]);
  });
});

describe('project, extend, order, take', () => {
  it('project keeps _Source last, even when not named', async () => {
    const { columns, rows } = await run(
      `${T} | where DestinationPort == 23 | project Activity, Port = DestinationPort`,
    );
    expect(columns).toEqual(['Activity', 'Port', '_Source']);
    expect(rows).toEqual([{ Activity: 'Telnet', Port: 23, _Source: 'CommonSecurityLog:2' }]);
  });

  it('extend with arithmetic, strcat/tostring, iff, tolower/toupper; later expressions see earlier ones', async () => {
    const { columns, rows } = await run(
      `${T} | where SourceIP == "10.0.0.6" | order by TimeGenerated asc
       | extend total = DestinationPort + 1, label = strcat(SourceIP, ":", tostring(DestinationPort)), big = iff(SentBytes > 7, "big", "small")
       | extend twice = total * 2, up = toupper(big), low = tolower("AbC")
       | project label, total, twice, big, up, low`,
    );
    expect(columns).toEqual(['label', 'total', 'twice', 'big', 'up', 'low', '_Source']);
    expect(rows).toEqual([
      {
        label: '10.0.0.6:53',
        total: 54,
        twice: 108,
        big: 'big',
        up: 'BIG',
        low: 'abc',
        _Source: 'CommonSecurityLog:4',
      },
      {
        label: '10.0.0.6:',
        total: null,
        twice: null,
        big: 'small',
        up: 'SMALL',
        low: 'abc',
        _Source: 'CommonSecurityLog:5',
      },
    ]);
  });

  it('toint / tolong / tostring of a datetime, timespan literals', async () => {
    const { rows } = await run(
      `${T} | where DestinationPort == 23
       | project i = toint("2.7"), l = tolong("12"), bad = toint("x"), s = tostring(TimeGenerated), d = 1h + 5m + 30s + 2d + 100ms`,
    );
    expect(rows).toEqual([
      {
        i: 2,
        l: 12,
        bad: null,
        s: '2026-05-21T11:00:00Z',
        d: '2.01:05:30.1000000',
        _Source: 'CommonSecurityLog:2',
      },
    ]);
  });

  it('order by defaults to descending with nulls last; asc puts nulls first', async () => {
    expect(await rowsOf(`${T} | order by DestinationPort, TimeGenerated asc`)).toEqual([3, 1, 4, 2, 5]);
    expect(await rowsOf(`${T} | sort by DestinationPort asc, TimeGenerated asc`)).toEqual([5, 2, 4, 3, 1]);
    expect(await rowsOf(`${T} | sort by DestinationPort asc nulls last, TimeGenerated desc`)).toEqual([
      2, 4, 1, 3, 5,
    ]);
  });

  it('order survives a project that drops the sort column, and take after order', async () => {
    const { rows } = await run(`${T} | order by TimeGenerated desc | project Activity`);
    expect(rows.map((r) => r.Activity)).toEqual([
      'Telnet',
      'North America traffic',
      'TCP connect',
      'TCP connect',
      'DNS query',
    ]);
    expect(await rowsOf(`${T} | order by TimeGenerated asc | take 2`)).toEqual([4, 3]);
    expect(
      await rowsOf(`${T} | sort by strlen(Activity) asc, TimeGenerated asc | limit 3 | project SourceIP`),
    ).toEqual([2, 4, 3]);
  });

  it('top N by, with Kusto null placement', async () => {
    expect(await rowsOf(`${T} | top 2 by SentBytes`)).toEqual([1, 3]);
    expect(await rowsOf(`${T} | top 2 by DestinationPort asc`)).toEqual([5, 2]);
  });

  it('project-away and project-rename', async () => {
    const away = await run(
      `${T} | where DestinationPort == 23 | project SourceIP, DestinationIP, Activity | project-away DestinationIP`,
    );
    expect(away.columns).toEqual(['SourceIP', 'Activity', '_Source']);
    const renamed = await run(
      `${T} | where DestinationPort == 23 | project SourceIP, Activity | project-rename Src = SourceIP`,
    );
    expect(renamed.columns).toEqual(['Src', 'Activity', '_Source']);
    expect(renamed.rows).toEqual([
      { Src: '176.65.139.7', Activity: 'Telnet', _Source: 'CommonSecurityLog:2' },
    ]);
  });
});

describe('summarize, count, distinct', () => {
  it('count, dcount, min, max, sum by a column, with Kusto column names and up to 10 sources', async () => {
    const { columns, rows } = await run(
      `${T} | summarize count(), dcount(DestinationIP), min(DestinationPort), max(DestinationPort), sum(DestinationPort) by SourceIP | order by SourceIP asc`,
    );
    expect(columns).toEqual([
      'SourceIP',
      'count_',
      'dcount_DestinationIP',
      'min_DestinationPort',
      'max_DestinationPort',
      'sum_DestinationPort',
      '_Source',
    ]);
    expect(rows).toEqual([
      {
        SourceIP: '10.0.0.5',
        count_: 2,
        dcount_DestinationIP: 2,
        min_DestinationPort: 3778,
        max_DestinationPort: 3778,
        sum_DestinationPort: 7556,
        _Source: ['CommonSecurityLog:1', 'CommonSecurityLog:3'],
      },
      {
        SourceIP: '10.0.0.6',
        count_: 2,
        dcount_DestinationIP: 2,
        min_DestinationPort: 53,
        max_DestinationPort: 53,
        sum_DestinationPort: 53,
        _Source: ['CommonSecurityLog:4', 'CommonSecurityLog:5'],
      },
      {
        SourceIP: '176.65.139.7',
        count_: 1,
        dcount_DestinationIP: 1,
        min_DestinationPort: 23,
        max_DestinationPort: 23,
        sum_DestinationPort: 23,
        _Source: ['CommonSecurityLog:2'],
      },
    ]);
  });

  it('by bin(TimeGenerated, 1h) and named aggregates', async () => {
    const { columns, rows } = await run(
      `${T} | summarize n = count(), bytes = sum(SentBytes) by bin(TimeGenerated, 1h) | order by TimeGenerated asc`,
    );
    expect(columns).toEqual(['TimeGenerated', 'n', 'bytes', '_Source']);
    expect(rows.map((r) => [r.TimeGenerated, r.n, r.bytes])).toEqual([
      ['2026-05-20T23:00:00.000Z', 1, 10],
      ['2026-05-21T09:00:00.000Z', 1, 60],
      ['2026-05-21T10:00:00.000Z', 2, 105],
      ['2026-05-21T11:00:00.000Z', 1, 40],
    ]);
  });

  it('summarize without by gives one row; a second summarize merges the source lists', async () => {
    const { rows } = await run(
      `${T} | summarize c = count() by SourceIP | summarize total = sum(c), groups = count()`,
    );
    expect(rows).toEqual([
      { total: 5, groups: 3, _Source: [1, 2, 3, 4, 5].map((i) => `CommonSecurityLog:${i}`) },
    ]);
  });

  it('the count operator and distinct', async () => {
    expect((await run(`${T} | where DeviceAction =~ "allow" | count`)).rows).toEqual([
      { Count: 3, _Source: ['CommonSecurityLog:1', 'CommonSecurityLog:3', 'CommonSecurityLog:4'] },
    ]);
    const distinct = await run(`${T} | distinct SourceIP | order by SourceIP asc`);
    expect(distinct.columns).toEqual(['SourceIP', '_Source']);
    expect(distinct.rows.map((r) => r.SourceIP)).toEqual(['10.0.0.5', '10.0.0.6', '176.65.139.7']);
  });
});

describe('cheaper filter forms keep Kusto semantics', () => {
  it('=~ a constant in a filter: lower(column) = lower-cased constant; a missing string is ""', async () => {
    const ports = async (q: string) =>
      (await run(`${T} | where ${q} | project DestinationPort`)).rows.map((r) => r.DestinationPort);
    expect(await ports('DeviceAction =~ "ALLOW"')).toEqual([3778, 3778, 53]);
    expect(await ports('DeviceAction =~ ""')).toEqual([null]); // row 5 has no DeviceAction
    expect(await ports('not(DeviceAction =~ "allow")')).toEqual([23, null]);
    expect(await ports('DeviceAction !~ "allow"')).toEqual([23, null]);
    const { sql } = compileKql(`${T} | where DeviceAction =~ "ALLOW"`, { schemas: store.schemas, now: NOW });
    expect(sql).toContain('(lower("DeviceAction") = CAST($1 AS VARCHAR))');
  });

  it('!in / in with numeric strings on an int column compare as integers; null stays out of any list', async () => {
    const ports = async (q: string) =>
      (await run(`${T} | where ${q} | project DestinationPort`)).rows.map((r) => r.DestinationPort);
    expect(await ports('DestinationPort !in ("3778", "53.0", "x")')).toEqual([23, null]);
    expect(await ports('DestinationPort in ("23", " 53 ", "3778.5")')).toEqual([23, 53]);
    const { sql } = compileKql(`${T} | where DestinationPort !in ("443", "53", "0.5")`, {
      schemas: store.schemas,
      now: NOW,
    });
    expect(sql).toContain('CAST($1 AS INTEGER), CAST($2 AS INTEGER), CAST($3 AS DOUBLE)');
  });
});
