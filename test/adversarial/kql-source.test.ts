// Issue 11 "Also": `kql` always appends `_Source`, so `project-away _Source` failed with a bare KS109 and
// `getschema` was unsupported. getschema lists the table's own columns only (never Telltale's provenance
// or ordering columns); `project-away _Source` (or `_*`) and `--no-source` leave it out; naming it
// elsewhere says what it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKql } from '../../src/kql/index.js';
import { Store } from '../../src/store/db.js';
import { ingestFile } from '../../src/telemetry/ingest.js';
import { scratchDir, telltale } from '../helpers.js';
import { QUIET_CEF } from './helpers.js';

const tmp = scratchDir('adv-kql-source');
const cef = tmp.file('fw.cef', QUIET_CEF);
let store: Store;
beforeAll(async () => {
  store = await Store.open();
  await ingestFile(store, cef);
});
afterAll(() => store.close());

describe('_Source is provenance, not a column of the table', () => {
  it('getschema lists the columns a query can name, in order, with Kusto types; no _Source', async () => {
    const r = await runKql(store, 'CommonSecurityLog | getschema');
    expect(r.columns).toEqual(['ColumnName', 'ColumnOrdinal', 'DataType', 'ColumnType']);
    const names = r.rows.map((row) => row.ColumnName);
    expect(names.slice(0, 3)).toEqual(['TimeGenerated', 'DeviceVendor', 'DeviceProduct']);
    expect(names).not.toContain('_Source');
    expect(names.filter((n) => /^_(source|file|line|ordinal|q\d)/i.test(String(n)))).toEqual([]);
    expect(r.rows[0]).toMatchObject({
      ColumnOrdinal: 0,
      DataType: 'System.DateTime',
      ColumnType: 'datetime',
    });
    expect(r.rows.map((row) => row.ColumnOrdinal)).toEqual(names.map((_, i) => i));
  });

  it('getschema of a projection is the projection', async () => {
    const r = await runKql(store, 'CommonSecurityLog | project SourceIP, DestinationPort | getschema');
    expect(r.rows.map((row) => [row.ColumnName, row.ColumnType])).toEqual([
      ['SourceIP', 'string'],
      ['DestinationPort', 'int'],
    ]);
  });

  it('project-away _Source leaves the provenance out; nothing else disappears', async () => {
    const r = await runKql(
      store,
      'CommonSecurityLog | project SourceIP, DestinationPort | project-away _Source',
    );
    expect(r.columns).toEqual(['SourceIP', 'DestinationPort']);
    expect(r.rows).toEqual([{ SourceIP: '10.20.0.21', DestinationPort: 123 }]);
    const mixed = await runKql(
      store,
      'CommonSecurityLog | project SourceIP, b = 2 | project-away b, _Source | take 5',
    );
    expect(mixed.columns).toEqual(['SourceIP']);
    const aggregated = await runKql(
      store,
      'CommonSecurityLog | project-away _Source | summarize n = count() by SourceIP',
    );
    expect(aggregated.columns).toEqual(['SourceIP', 'n']);
  });

  it("project-away _* removes the query's _ columns and the provenance, never exposes internal ones", async () => {
    const own = await runKql(store, 'CommonSecurityLog | project SourceIP, _x = 1 | project-away _*');
    expect(own.columns).toEqual(['SourceIP']);
    expect(Object.keys(own.rows[0])).toEqual(['SourceIP']);
    // a pattern that matches no column of the query (Kusto: KS109) still removes the provenance
    const none = await runKql(
      store,
      'CommonSecurityLog | project SourceIP | sort by SourceIP | project-away _Sou* | take 1',
    );
    expect(none.columns).toEqual(['SourceIP']);
    expect(Object.keys(none.rows[0])).toEqual(['SourceIP']);
  });

  it('_Source elsewhere fails with what it is and how to leave it out', async () => {
    await expect(runKql(store, 'CommonSecurityLog | where _Source has "fw"')).rejects.toThrow(
      /KS142.*_Source is Telltale's provenance column.*project-away _Source.*--no-source/,
    );
    await expect(
      runKql(store, 'CommonSecurityLog | project-away _Source | project-away Nope'),
    ).rejects.toThrow(/KS109.*column 57\)/);
  });

  it('telltale kql --no-source prints the query columns only', () => {
    const r = telltale(
      'kql',
      'CommonSecurityLog | project DestinationIP',
      cef,
      '--no-source',
      '--format',
      'csv',
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['DestinationIP', '140.82.121.4']);
    const kept = telltale('kql', 'CommonSecurityLog | project DestinationIP', cef, '--format', 'csv');
    expect(kept.stdout.trim().split('\n')).toEqual(['DestinationIP,_Source', `140.82.121.4,${cef}:1`]);
  });
});
