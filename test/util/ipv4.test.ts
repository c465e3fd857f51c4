// The one IPv4 pattern says the same in JavaScript and in DuckDB (RE2), and the intel checks built on it agree.
import { describe, expect, it } from 'vitest';
import { IPV4_PATTERN, isIPv4 } from '../../src/util/ipv4.js';
import { isRoutableIp } from '../../src/intel/list-values.js';
import { Store } from '../../src/store/db.js';
import { sqlString } from '../../src/util/sql.js';

const CASES: Array<[string, boolean]> = [
  ['0.0.0.0', true],
  ['1.2.3.4', true],
  ['255.255.255.255', true],
  ['176.65.139.7', true],
  ['256.1.1.1', false],
  ['1.2.3.256', false],
  ['010.0.0.1', false], // octal to some parsers, decimal to others
  ['1.02.3.4', false],
  ['00.1.2.3', false],
  ['1.2.3', false],
  ['1.2.3.4.5', false],
  ['1.2.3.4/24', false],
  [' 1.2.3.4', false],
  ['1.2.3.4:80', false],
  ['a.b.c.d', false],
  ['', false],
];

describe('IPv4 pattern', () => {
  it('accepts four octets 0-255 without leading zeros, nothing else', () => {
    for (const [text, valid] of CASES) expect([text, isIPv4(text)]).toEqual([text, valid]);
  });

  it('DuckDB reads the same pattern the same way', async () => {
    const store = await Store.open({});
    try {
      const values = CASES.map(([t], i) => `(${i}, ${sqlString(t)})`).join(', ');
      const rows = await store.query(
        `SELECT t, regexp_full_match(t, '${IPV4_PATTERN}') AS ok FROM (VALUES ${values}) AS v(i, t) ORDER BY i`,
      );
      expect(rows.map((r) => [r.t, r.ok])).toEqual(CASES);
    } finally {
      store.close();
    }
  });

  it('a non-canonical dotted quad is never routable (ipaddr.js would read 010 as octal 8)', () => {
    expect(isRoutableIp('8.0.0.1')).toBe(true);
    expect(isRoutableIp('010.0.0.1')).toBe(false);
    expect(isRoutableIp('176.65.139.7:3778')).toBe(true);
    expect(isRoutableIp('176.065.139.7:3778')).toBe(false);
  });
});
