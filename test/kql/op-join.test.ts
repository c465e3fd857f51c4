import { describe, expect, it } from 'vitest';
import { unordered, useFixture } from './op-fixture.js';

const run = useFixture();

const L = 'DnsEvents | project Computer, ClientIP, EventId';
const R = '(CommonSecurityLog | project ClientIP=SourceIP, Port=DestinationPort)';

describe('join', () => {
  it('innerunique (the default) keeps one left row per key, and names the clashing right key ClientIP1', async () => {
    const { columns, rows } = await run(`${L} | join ${R} on ClientIP`);
    expect(columns).toEqual(['Computer', 'ClientIP', 'EventId', 'ClientIP1', 'Port', '_Source']);
    // left rows 1 and 3 share 10.0.0.1: only one of them survives, matched with both firewall rows
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.EventId)).size).toBe(1);
    expect(rows.map((r) => r.Port).sort()).toEqual([443, 80]);
  });

  it('inner keeps every pair; _Source lists the left then the right row', async () => {
    const { rows } = await run(`${L} | join kind=inner ${R} on ClientIP`);
    expect(rows).toHaveLength(4);
    const sources = rows.map((r) => (r._Source as string[]).join(' ')).sort();
    expect(sources).toEqual([
      'DnsEvents:1 CommonSecurityLog:1',
      'DnsEvents:1 CommonSecurityLog:2',
      'DnsEvents:3 CommonSecurityLog:1',
      'DnsEvents:3 CommonSecurityLog:2',
    ]);
  });

  it('leftouter keeps unmatched left rows with null right columns', async () => {
    const { rows } = await run(`${L} | join kind=leftouter ${R} on ClientIP`);
    expect(rows).toHaveLength(6);
    const unmatched = rows.filter((r) => r.Port === null).map((r) => r.EventId);
    expect(unmatched.sort()).toEqual([5, 7]);
  });

  it('rightouter and fullouter', async () => {
    expect((await run(`${L} | join kind=rightouter ${R} on ClientIP`)).rows).toHaveLength(5);
    expect((await run(`${L} | join kind=fullouter ${R} on ClientIP`)).rows).toHaveLength(7);
  });

  it('semi and anti joins keep one side, its columns and its provenance', async () => {
    const semi = await run(`${L} | join kind=leftsemi ${R} on ClientIP`);
    expect(semi.columns).toEqual(['Computer', 'ClientIP', 'EventId', '_Source']);
    expect(semi.rows.map((r) => r._Source).sort()).toEqual(['DnsEvents:1', 'DnsEvents:3']);
    const anti = await run(`${L} | join kind=leftanti ${R} on ClientIP`);
    expect(anti.rows.map((r) => r._Source).sort()).toEqual(['DnsEvents:2', 'DnsEvents:4']);
    const rsemi = await run(`${L} | join kind=rightsemi ${R} on ClientIP`);
    expect(rsemi.columns).toEqual(['ClientIP', 'Port', '_Source']);
    expect(rsemi.rows.map((r) => r.Port).sort()).toEqual([443, 80]);
    const ranti = await run(`${L} | join kind=rightanti ${R} on ClientIP`);
    expect(ranti.rows).toEqual([{ ClientIP: '10.0.0.9', Port: 22, _Source: 'CommonSecurityLog:3' }]);
  });

  it('$left.a == $right.b, and several keys', async () => {
    const q = `${L} | join kind=inner (CommonSecurityLog | project SourceIP, DestinationPort) on $left.ClientIP == $right.SourceIP`;
    const { columns, rows } = await run(q);
    expect(columns).toEqual(['Computer', 'ClientIP', 'EventId', 'SourceIP', 'DestinationPort', '_Source']);
    expect(rows).toHaveLength(4);
    const two = await run(
      `${L} | join kind=inner (DnsEvents | project Computer, ClientIP, N=Name) on Computer, $left.ClientIP == $right.ClientIP`,
    );
    expect(two.rows.map((r) => `${r.Computer} ${r.N}`).sort()).toEqual([
      'a x.com',
      'a y.com',
      'b null',
      'b x.com',
    ]);
  });

  it('a missing string key matches another missing one ("" == "" in Kusto)', async () => {
    const { rows } = await run(
      'DnsEvents | project Computer, Name | join kind=inner (DnsEvents | project Name, E=EventId) on Name',
    );
    expect(rows.filter((r) => r.Name === null || r.Name === '').map((r) => r.E)).toEqual([7]);
  });

  it('join … where: any predicate over both rows; bare names read the side that has them', async () => {
    const q = (kind: string) =>
      `datatable(Port:int, N:long)[23, 2, 80, 3, 81, 0] | join kind=${kind} (datatable(Ports:string, N:long)["22,23", 1, "80", 5]) where Ports has tostring(Port) and $left.N > $right.N`;
    expect((await run(q('inner'))).rows).toEqual([{ Port: 23, N: 2, Ports: '22,23', N1: 1 }]);
    expect((await run(q('rightanti'))).rows).toEqual([{ Ports: '80', N: 5 }]);
    await expect(run(q('innerunique'))).rejects.toMatchObject({ code: 'TT001' });
  });

  it('refuses join conditions it cannot translate', async () => {
    await expect(run(`${L} | join kind=inner ${R} on $left.EventId < $right.Port`)).rejects.toThrow(
      /TT001|KS/,
    );
  });
});

describe('lookup', () => {
  it('adds the right columns without its keys, keeps every left row and the left provenance', async () => {
    const q = `${L} | lookup (CommonSecurityLog | where DestinationPort == 80 | project SourceIP, DeviceVendor) on $left.ClientIP == $right.SourceIP`;
    const { columns, rows } = await run(q);
    expect(columns).toEqual(['Computer', 'ClientIP', 'EventId', 'DeviceVendor', '_Source']);
    expect(unordered(rows)).toEqual(
      unordered([
        { Computer: 'a', ClientIP: '10.0.0.1', EventId: 1, DeviceVendor: 'v1', _Source: 'DnsEvents:1' },
        { Computer: 'a', ClientIP: '10.0.0.2', EventId: 5, DeviceVendor: null, _Source: 'DnsEvents:2' },
        { Computer: 'b', ClientIP: '10.0.0.1', EventId: 3, DeviceVendor: 'v1', _Source: 'DnsEvents:3' },
        { Computer: 'b', ClientIP: null, EventId: 7, DeviceVendor: null, _Source: 'DnsEvents:4' },
      ]),
    );
    const inner = await run(q.replace('lookup', 'lookup kind=inner'));
    expect(inner.rows).toHaveLength(2);
  });
});
