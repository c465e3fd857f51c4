/**
 * Source presence: a store tells which CommonSecurityLog vendors it holds, and the ASIM parsers leave
 * the absent sources out. Answers must not change; what changes is what DuckDB computes per row
 * (nfdump's EventResult reads its flags out of AdditionalExtensions text, for every row, when its arm
 * is in the union).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { asimVendors } from '../../src/asim/presence.js';
import { compileKql, runKql } from '../../src/kql/index.js';
import { scratchDir } from '../helpers.js';
import { LOGS, loadedStore, NOW } from './fixtures.js';

const everything = scratchDir('tt-asim-presence-all');
const zeekOnly = scratchDir('tt-asim-presence-zeek');
let all: Store;
let zeek: Store;

beforeAll(async () => {
  for (const [name, text] of Object.entries(LOGS)) everything.file(name, text);
  zeekOnly.file('conn.log', LOGS['conn.log']);
  [all, zeek] = await Promise.all([loadedStore(everything.dir), loadedStore(zeekOnly.dir)]);
});
afterAll(() => {
  all.close();
  zeek.close();
});

const QUERIES = [
  '_Im_NetworkSession | summarize n = count() by EventProduct, EventResult, DvcAction | order by EventProduct asc, EventResult asc, DvcAction asc',
  '_Im_NetworkSession(eventresult="Failure") | project SrcIpAddr, DstIpAddr, DstPortNumber, NetworkPackets | order by SrcIpAddr asc, DstPortNumber asc',
  'imNetworkSession | where EventProduct == "NetFlow" | count',
];

describe('CommonSecurityLog source presence', () => {
  it('lists the vendors a store holds', async () => {
    expect([...(await asimVendors(zeek))!]).toEqual(['Zeek']);
    expect([...(await asimVendors(all))!].sort()).toEqual(['Acme', 'OISF', 'Zeek', 'nfdump']);
  });

  it('gives the same answers with the absent sources left out', async () => {
    for (const store of [all, zeek]) {
      const vendors = await asimVendors(store);
      for (const query of QUERIES) {
        const whole = await runKql(store, query, { now: NOW });
        const pruned = await runKql(store, query, { now: NOW, asimVendors: vendors });
        expect(pruned.rows, query).toEqual(whole.rows);
      }
    }
    // the store with every source is not a trivial case: each query found rows
    expect((await runKql(all, QUERIES[0], { now: NOW })).rows.length).toBeGreaterThan(3);
  });

  it('does not read extension text for a result no present source needs', async () => {
    const query = '_Im_NetworkSession | project EventResult';
    const vendors = await asimVendors(zeek);
    const pruned = compileKql(query, { schemas: zeek.schemas, now: NOW, asimVendors: vendors });
    const whole = compileKql(query, { schemas: zeek.schemas, now: NOW });
    expect(whole.sql).toContain('AdditionalExtensions');
    expect(pruned.sql).not.toContain('AdditionalExtensions');
  });

  it('keeps every source when the vendors cannot be known', async () => {
    const unknown = compileKql('_Im_NetworkSession | project EventResult', {
      schemas: zeek.schemas,
      now: NOW,
      asimVendors: undefined,
    });
    expect(unknown.sql).toContain('nfdump');
  });
});
