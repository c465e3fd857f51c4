import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { coerceRow, CoerceError } from '../../src/store/coerce.js';

describe('Store', () => {
  it('creates every schema table with _Source and bulk-loads typed rows', async () => {
    const store = await Store.open();
    const schema = store.schema('CommonSecurityLog');
    const row = coerceRow(schema, {
      TimeGenerated: '2026-05-21T10:00:00Z',
      DestinationIP: '176.65.139.7',
      DestinationPort: '3778',
      SentBytes: 12,
      _Source: 'a.cef:3',
    });
    expect(await store.insertRows('CommonSecurityLog', [row])).toBe(1);
    const rows = await store.query(
      'SELECT TimeGenerated, DestinationIP, DestinationPort, _Source FROM CommonSecurityLog',
    );
    expect(rows).toEqual([
      {
        TimeGenerated: '2026-05-21T10:00:00.000Z',
        DestinationIP: '176.65.139.7',
        DestinationPort: 3778,
        _Source: 'a.cef:3',
      },
    ]);
    for (const table of [
      'DeviceNetworkEvents',
      'DnsEvents',
      'DeviceFileEvents',
      'ThreatIntelligenceIndicator',
    ])
      expect(await store.count(table)).toBe(0);
    store.close();
  });

  it('rejects a value that does not fit its column type, naming the column', () => {
    expect(() =>
      coerceRow({ table: 'T', columns: [{ name: 'Port', type: 'int' }] }, { Port: 'http' }),
    ).toThrow(CoerceError);
    expect(() =>
      coerceRow({ table: 'T', columns: [{ name: 'Port', type: 'int' }] }, { Port: 'http' }),
    ).toThrow(/Port/);
  });

  it('computes IPv4 ranges with the SQL macros', async () => {
    const store = await Store.open();
    const [row] = await store.query(
      "SELECT tt_ipv4_in_range('10.1.2.3', '10.0.0.0/8') AS a, tt_ipv4_in_range('11.1.2.3', '10.0.0.0/8') AS b, tt_ipv4_is_private('192.168.1.1') AS c, tt_ipv4_is_private('176.65.139.7') AS d",
    );
    expect(row).toEqual({ a: true, b: false, c: true, d: false });
    store.close();
  });
});
