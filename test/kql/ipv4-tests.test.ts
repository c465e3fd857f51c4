import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { IPV4_PATTERN } from '../../src/store/macros.js';
import { ipv4InConstantRangeSql, ipv4IsPrivateSql } from '../../src/kql/ipv4-tests.js';
import { useEvaluator } from './fn-eval.js';

/** The translation before the prefix tests: two regexes, kept here as the oracle. */
const TWO_REGEX_PRIVATE = (ip: string) =>
  `(CASE WHEN regexp_full_match(${ip}, '${IPV4_PATTERN}(/([0-9]|[12][0-9]|3[0-2]))?') THEN regexp_full_match(${ip}, '(0?10\\.\\d+|172\\.0?(1[6-9]|2\\d|3[01])|192\\.168)\\.\\d+\\.\\d+(/\\d+)?') END)`;

const EDGES = [
  '',
  '0.0.0.0',
  '255.255.255.255',
  '256.1.1.1',
  '1.2.3',
  '1.2.3.4.5',
  ' 10.0.0.1',
  '10.0.0.1 ',
  '10.0.0.1/8',
  '10.0.0.1/33',
  '10.0.0.1/',
  '10..0.1',
  '0010.0.0.1',
  '010.0.0.1',
  '10.0.0.01',
  '9.255.255.255',
  '11.0.0.0',
  '172.15.255.255',
  '172.16.0.0',
  '172.016.0.1',
  '172.031.9.9',
  '172.032.0.1',
  '172.31.255.255',
  '172.32.0.0',
  '0172.16.0.1',
  '172.16',
  '172.16.1.1/24',
  '192.168.0.0',
  '192.168.255.255/16',
  '192.169.0.1',
  '192.0168.1.1',
  '100.63.255.255',
  '100.64.0.0',
  '100.064.0.1',
  '100.127.255.255',
  '100.128.0.0',
  '8.8.8.8',
  '1.2.3.4',
  '001.2.3.4',
  '01.2.3.5',
  'a.b.c.d',
  '1.2.3.4x',
];

const CIDRS = [
  '100.64.0.0/10',
  '100.64.1.1/10',
  '10.0.0.0/8',
  '010.0.0.0/8',
  '172.16.0.0/12',
  '192.168.1.0/24',
  '1.2.3.4',
  '1.2.3.4/32',
  '1.2.3.4/31',
  '8.8.8.0/29',
  '255.255.255.255/30',
  '0.0.0.0/8',
  '128.0.0.0/9',
];

/** Addresses around every range's edges, with the leading zeros the validator allows, and junk. */
function addresses(seed: number): string[] {
  let state = seed;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const octet = (v: number) => {
    const text = String(v);
    const pad = rand(4);
    return pad === 1 && text.length < 3 ? `0${text}` : pad === 2 && text.length < 2 ? `00${text}` : text;
  };
  const near = [0, 1, 7, 8, 9, 10, 63, 64, 99, 100, 127, 128, 168, 172, 191, 192, 254, 255, 256];
  const out: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const pick = () => (rand(3) === 0 ? rand(300) : near[rand(near.length)]);
    const ip = [pick(), pick(), pick(), pick()].map(octet).join('.');
    const suffix = rand(6) === 0 ? `/${rand(40)}` : '';
    out.push(ip + suffix);
  }
  return out;
}

describe('IPv4 tests on the address text (kql/ipv4-tests.ts)', () => {
  let store: Store;
  const ips = [...EDGES, ...addresses(7)];
  beforeAll(async () => {
    store = await Store.open();
    await store.run('CREATE TEMP TABLE ips (ip VARCHAR)');
    const rows = ips.map((ip) => `('${ip.replace(/'/g, "''")}')`);
    await store.run(`INSERT INTO ips VALUES ${rows.join(', ')}, (NULL)`);
  });
  afterAll(() => store.close());

  /** Rows where the two SQL expressions differ (NULL counts as a value). */
  async function differences(fast: string, oracle: string) {
    return store.query(
      `SELECT ip, ${fast} AS fast, ${oracle} AS oracle FROM ips WHERE (${fast}) IS DISTINCT FROM (${oracle})`,
    );
  }

  it('ipv4_is_private answers as the two-regex translation: true, false, or NULL when not IPv4', async () => {
    const ip = "coalesce(ip, '')";
    expect(await differences(ipv4IsPrivateSql(ip), TWO_REGEX_PRIVATE(ip))).toEqual([]);
    const [row] = await store.query(
      `SELECT count(*) FILTER (WHERE ${ipv4IsPrivateSql(ip)}) AS yes, count(*) FILTER (WHERE ${ipv4IsPrivateSql(ip)} IS NULL) AS unknown FROM ips`,
    );
    expect(Number(row.yes)).toBeGreaterThan(100);
    expect(Number(row.unknown)).toBeGreaterThan(100);
  });

  it.each(CIDRS)('ipv4_is_in_range(ip, "%s") answers as the tt_ipv4_in_range macro', async (cidr) => {
    const ip = "coalesce(ip, '')";
    const fast = ipv4InConstantRangeSql(ip, cidr);
    expect(fast).toBeDefined();
    expect(await differences(fast!, `tt_ipv4_in_range(${ip}, '${cidr}')`)).toEqual([]);
  });

  it('leaves ranges it cannot read to the macro (short prefixes, malformed ranges)', () => {
    for (const cidr of [
      '10.0.0.0/7',
      '0.0.0.0/0',
      '10.0.0.0/33',
      '10.0.0/8',
      'abc',
      '10.0.0.0/8/9',
      '10.0.0.0/ 8',
    ])
      expect(ipv4InConstantRangeSql('ip', cidr)).toBeUndefined();
  });
});

describe('ipv4_is_in_range through KQL', () => {
  const { value } = useEvaluator();
  it.each([
    ['ipv4_is_in_range("100.64.0.1", "100.64.0.0/10")', true],
    ['ipv4_is_in_range("100.128.0.1", "100.64.0.0/10")', false],
    ['ipv4_is_in_range("100.64.0", "100.64.0.0/10")', null],
    ['ipv4_is_in_range("10.1.2.3", "10.0.0.0/7")', true],
    ['ipv4_is_in_range("10.1.2.3", "10.0.0.0/33")', null],
    ['ipv4_is_private("172.20.1.1")', true],
    ['ipv4_is_private("172.32.1.1")', false],
    ['ipv4_is_private("172.20.1")', null],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });
});
