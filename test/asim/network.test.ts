/**
 * _Im_NetworkSession over every source Telltale reads: each session once (a Zeek conn line is written to
 * two tables; a Suricata alert is not a session), mapped fields and enumerations as in the schema, the
 * documented filtering parameters, and the other names Sentinel content uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { asimSchema } from '../../src/asim/schema.js';
import { scratchDir } from '../helpers.js';
import { compileKql } from '../../src/kql/index.js';
import { LOGS, loadedStore, NOW, rows, SESSIONS, countOf } from './fixtures.js';

const scratch = scratchDir('tt-asim-net');
let store: Store;

beforeAll(async () => {
  for (const [name, text] of Object.entries(LOGS)) scratch.file(name, text);
  store = await loadedStore(scratch.dir);
});
afterAll(() => store.close());

const byId = (list: Record<string, unknown>[], key: string) => new Map(list.map((r) => [String(r[key]), r]));

describe('_Im_NetworkSession', () => {
  it('has one row per session across Zeek, CEF, Suricata, nfdump and Defender', async () => {
    const all = await rows(
      store,
      '_Im_NetworkSession | summarize n = count() by EventProduct | order by EventProduct asc',
    );
    expect(all.map((r) => [r.EventProduct, r.n])).toEqual([
      ['EdgeFirewall', 2],
      ['M365 Defender for Endpoint', 2],
      ['NetFlow', 1],
      ['Suricata', 1],
      ['Zeek', 3],
    ]);
    expect(all.reduce((n, r) => n + Number(r.n), 0)).toBe(SESSIONS);
  });

  it('maps Zeek conn fields, conn_state to EventResult, and keeps the line in _Source', async () => {
    const zeek = byId(
      await rows(store, "_Im_NetworkSession | where EventVendor == 'Zeek'"),
      'NetworkSessionId',
    );
    const sf = zeek.get('Cz1')!;
    expect(sf).toMatchObject({
      EventType: 'NetworkSession',
      EventResult: 'Success',
      SrcIpAddr: '10.20.0.17',
      SrcPortNumber: 40001,
      DstIpAddr: '203.0.113.5',
      DstPortNumber: 23,
      NetworkProtocol: 'TCP',
      NetworkProtocolVersion: 'IPv4',
      NetworkDirection: 'Outbound',
      NetworkConnectionHistory: 'ShADadFf',
      NetworkDuration: 500,
      SrcBytes: 10,
      DstBytes: 20,
      SrcPackets: 5,
      EventSchema: 'NetworkSession',
      EventCount: 1,
      Src: '10.20.0.17',
      Dst: '203.0.113.5',
      IpAddr: '10.20.0.17',
    });
    expect(String(sf._Source)).toMatch(/conn\.log:8$/);
    expect(zeek.get('Cz2')).toMatchObject({ EventResult: 'Failure', EventOriginalResultDetails: 'REJ' });
    expect(zeek.get('Cz3')).toMatchObject({
      NetworkDirection: 'Inbound',
      NetworkApplicationProtocol: 'http',
    });
  });

  it('maps a CEF firewall deny, Defender inbound/outbound and nfdump flows', async () => {
    const deny = await rows(store, "_Im_NetworkSession | where DvcAction == 'Deny'");
    expect(deny).toHaveLength(1);
    expect(deny[0]).toMatchObject({
      EventVendor: 'Acme',
      EventResult: 'Failure',
      EventSeverity: 'High',
      NetworkRuleName: 'deny-telnet',
      Rule: 'deny-telnet',
      DvcHostname: 'fw-edge-01',
      Dvc: 'fw-edge-01',
    });
    const mde = byId(
      await rows(store, "_Im_NetworkSession | where EventType == 'EndpointNetworkSession'"),
      'EventUid',
    );
    expect(mde.get('7')).toMatchObject({
      NetworkDirection: 'Outbound',
      SrcIpAddr: '10.20.0.11',
      DstPortNumber: 443,
      DvcId: 'dev-1',
      DvcIdType: 'MDEid',
      SrcProcessName: '/usr/bin/curl',
      NetworkProtocol: 'TCP',
    });
    expect(mde.get('8')).toMatchObject({
      NetworkDirection: 'Inbound',
      SrcIpAddr: '10.20.0.99',
      DstIpAddr: '10.20.0.11',
      DstPortNumber: 22,
    });
    const flow = await rows(store, "_Im_NetworkSession | where EventType == 'Flow'");
    expect(flow[0]).toMatchObject({ EventProduct: 'NetFlow', EventResult: 'Failure', DstPortNumber: 23 });
  });

  it('returns every schema field with its type, and only documented enumerated values', async () => {
    const schema = asimSchema('NetworkSession');
    const { columns } = compileKql('_Im_NetworkSession', {
      schemas: store.schemas,
      now: NOW,
      keepSource: false,
    });
    expect(columns.map((c) => c.name)).toEqual(schema.fields.map((f) => f.name));
    const types = new Map(columns.map((c) => [c.name, c.type]));
    for (const f of schema.fields) expect(types.get(f.name), f.name).toBe(f.type);
    expect(types.get('DstPortNumber')).toBe('int');
    expect(types.get('SrcBytes')).toBe('long');
    const all = await rows(store, '_Im_NetworkSession');
    for (const f of schema.fields.filter((x) => x.allowed)) {
      for (const r of all)
        if (r[f.name]) expect(f.allowed, `${f.name} = ${String(r[f.name])}`).toContain(r[f.name]);
    }
  });

  it('applies the filtering parameters like a where on the fields', async () => {
    const count = (q: string) => countOf(store, q);
    expect(await count('_Im_NetworkSession(dstportnumber=23)')).toBe(
      await count('_Im_NetworkSession | where DstPortNumber == 23'),
    );
    expect(await count('_Im_NetworkSession(dstportnumber=23)')).toBe(4);
    expect(await count("_Im_NetworkSession(eventresult='Failure')")).toBe(3);
    expect(await count("_Im_NetworkSession(srcipaddr_has_any_prefix=dynamic(['10.20.0.1']))")).toBe(3);
    expect(await count("_Im_NetworkSession(dvcaction=dynamic(['Deny']), dstportnumber=23)")).toBe(1);
    expect(
      await count(
        '_Im_NetworkSession(starttime=datetime(2026-05-21 00:05:00), endtime=datetime(2026-05-21 00:07:30))',
      ),
    ).toBe(3);
    // positional, as Sentinel allows: (starttime, endtime, …, dstportnumber)
    expect(
      await count(
        '_Im_NetworkSession(datetime(null), datetime(null), dynamic([]), dynamic([]), dynamic([]), 443)',
      ),
    ).toBe(2);
  });

  it('answers to the names Sentinel content uses, and to the source-specific parsers', async () => {
    const count = (q: string) => countOf(store, q);
    expect(await count('imNetworkSession')).toBe(SESSIONS);
    expect(await count('_ASim_NetworkSession')).toBe(SESSIONS);
    expect(await count('ASimNetworkSession')).toBe(SESSIONS);
    expect(await count('_Im_NetworkSession_Zeek(dstportnumber=23)')).toBe(2);
    expect(await count('ASimNetworkSessionCEF(false)')).toBe(2);
    expect(await count('ASimNetworkSessionCEF(true)')).toBe(0);
    expect(await count('vimNetworkSessionMicrosoft365D')).toBe(2);
  });

  it('reads only the fields a query names, with the same answers as the whole table', async () => {
    const narrowed = `_Im_NetworkSession(dstportnumber=23) | summarize n = count(), bytes = sum(SrcBytes) by EventProduct, EventResult | order by EventProduct asc, EventResult asc`;
    // column_ifexists reads a column by name at run time: that query gets every field
    const whole = `_Im_NetworkSession(dstportnumber=23) | extend b = column_ifexists('SrcBytes', long(null)) | summarize n = count(), bytes = sum(b) by EventProduct, EventResult | order by EventProduct asc, EventResult asc`;
    const compiled = (q: string) => compileKql(q, { schemas: store.schemas, now: NOW });
    expect(compiled(narrowed).sql).not.toContain('DstGeoCity');
    expect(compiled(whole).sql).toContain('DstGeoCity');
    expect(await rows(store, narrowed)).toEqual(await rows(store, whole));
    expect((await rows(store, narrowed)).length).toBeGreaterThan(1);
    // a table passed through whole (here by arg_max(…, *)) keeps every field
    const latest = compiled('_Im_NetworkSession | summarize arg_max(TimeGenerated, *) by EventProduct');
    expect(latest.columns.map((c) => c.name)).toContain('DstGeoCity');
    expect(latest.columns.map((c) => c.name)).not.toContain('_tt_narrowed');
  });

  it('leaves a name the query declares itself alone', async () => {
    const own = await rows(store, 'let _Im_NetworkSession = () { print x = 1 }; _Im_NetworkSession');
    expect(own).toEqual([{ x: 1, _Source: undefined }]);
  });
});
