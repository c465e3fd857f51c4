import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';

/** Reference: four decimal octets 0–255 of up to three digits each, nothing else. */
function ipv4ToInt(ip: string | null): number | null {
  if (ip === null || !/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) return null;
  const octets = ip.split('.').map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

function inRange(ip: string | null, cidr: string): boolean | null {
  const v = ipv4ToInt(ip);
  const [net, bits = '32'] = cidr.split('/');
  const n = /^\d+$/.test(bits) ? Number(bits) : NaN;
  const base = ipv4ToInt(net);
  if (v === null || base === null || !(n >= 0 && n <= 32)) return null;
  const size = 2 ** (32 - n);
  return Math.floor(v / size) === Math.floor(base / size);
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16'];
function isPrivate(ip: string | null): boolean | null {
  return ipv4ToInt(ip) === null ? null : PRIVATE.some((c) => inRange(ip, c));
}

const ADDRESSES: (string | null)[] = [
  '0.0.0.0',
  '255.255.255.255',
  '1.2.3.4',
  '01.002.3.4',
  '010.1.2.3',
  '172.016.0.1',
  '172.032.0.1',
  '0172.16.0.1',
  '192.168.255.255',
  '10.0.0.0/8',
  '9.255.255.255',
  '10.0.0.0',
  '10.255.255.255',
  '11.0.0.0',
  '100.64.0.1',
  '127.0.0.1',
  '169.253.255.255',
  '169.254.0.1',
  '169.255.0.0',
  '172.15.255.255',
  '172.16.0.0',
  '172.31.255.255',
  '172.32.0.0',
  '192.167.255.255',
  '192.168.1.1',
  '192.169.0.0',
  '176.65.139.7',
  '256.0.0.1',
  '10.0.0.256',
  '10.999.1.1',
  '0001.2.3.4',
  '1.2.3',
  '1.2.3.4.5',
  '1.2.3.',
  '.1.2.3',
  '1..2.3',
  '1.2.3.4/24',
  ' 10.0.0.1',
  '10.0.0.1 ',
  '+1.2.3.4',
  '1.2.3.-4',
  '1e1.2.3.4',
  '0x10.0.0.1',
  '１.2.3.4',
  '::1',
  '::ffff:10.0.0.1',
  'fe80::1',
  '',
  'not an ip',
  null,
];

const CIDRS = [
  '10.0.0.0/8',
  '0.0.0.0/0',
  '1.2.3.4/0',
  '10.0.0.0/32',
  '10.0.0.0',
  '172.16.0.0/12',
  '100.64.0.0/10',
  '255.255.255.255/32',
  '10.1.2.3/8',
  '10.0.0.0/33',
  '10.0.0.0/-1',
  '10.0.0.0/x',
  '10.0.0.0/',
  '256.0.0.0/8',
  '',
];

describe('IPv4 SQL macros', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open();
    const values = ADDRESSES.map((ip, i) => `(${i}, ${ip === null ? 'NULL' : `'${ip}'`})`).join(', ');
    await store.run(`CREATE TEMP TABLE addresses AS SELECT * FROM (VALUES ${values}) t(i, ip)`);
  });
  afterAll(() => store.close());

  const one = async (sql: string, params: unknown[]) => Object.values((await store.query(sql, params))[0])[0];

  it('tt_ipv4_to_int: integers for dotted quads with octets 0–255, NULL for anything else', async () => {
    for (const ip of ADDRESSES) {
      const got = await one('SELECT tt_ipv4_to_int(CAST(? AS VARCHAR)) AS v', [ip]);
      expect([ip, got === null ? null : Number(got)]).toEqual([ip, ipv4ToInt(ip)]);
    }
  });

  it('tt_ipv4_is_private: RFC 1918, loopback, link-local; NULL when not IPv4', async () => {
    for (const ip of ADDRESSES)
      expect([ip, await one('SELECT tt_ipv4_is_private(CAST(? AS VARCHAR)) AS v', [ip])]).toEqual([
        ip,
        isPrivate(ip),
      ]);
  });

  it('tt_ipv4_in_range: /0 and /32 edges, bare addresses, malformed prefixes, literal and parameter CIDRs', async () => {
    for (const cidr of CIDRS) {
      const rows = await store.query(
        `SELECT ip, tt_ipv4_in_range(ip, CAST(? AS VARCHAR)) AS param, tt_ipv4_in_range(ip, '${cidr}') AS literal
         FROM addresses ORDER BY i`,
        [cidr],
      );
      const expected = ADDRESSES.map((ip) => ({ ip, param: inRange(ip, cidr), literal: inRange(ip, cidr) }));
      expect([cidr, rows]).toEqual([cidr, expected]);
    }
  });

  it('gives the same answers in a WHERE over a column as row by row', async () => {
    const count = async (where: string) =>
      Number(Object.values((await store.query(`SELECT count(*) FROM addresses WHERE ${where}`))[0])[0]);
    const expected = ADDRESSES.map(isPrivate);
    expect(await count('tt_ipv4_is_private(ip)')).toBe(expected.filter((v) => v === true).length);
    expect(await count('NOT tt_ipv4_is_private(ip)')).toBe(expected.filter((v) => v === false).length);
    expect(await count('tt_ipv4_is_private(ip) IS NULL')).toBe(expected.filter((v) => v === null).length);
    expect(await count("tt_ipv4_is_private(ip) OR tt_ipv4_in_range(ip, '100.64.0.0/10')")).toBe(
      ADDRESSES.filter((ip) => isPrivate(ip) || inRange(ip, '100.64.0.0/10')).length,
    );
  });
});
