/**
 * `_GetWatchlist('alias')` over --watchlists DIR (one CSV per alias, Sentinel's columns incl. SearchKey):
 * the rows with SearchKey and WatchlistItem, joins on them, and a missing watchlist as an empty table with
 * one warning; through the library and the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { runKql } from '../../src/kql/index.js';
import { scratchDir, telltale } from '../helpers.js';
import { LOGS, NOW } from './fixtures.js';

const scratch = scratchDir('tt-asim-wl');
let store: Store;

beforeAll(async () => {
  scratch.file('MiraiPorts.csv', 'Port,Service,SearchKey\n23,telnet,23\n7547,tr-069,7547\n');
  store = await Store.open();
});
afterAll(() => store.close());

describe('_GetWatchlist', () => {
  it('reads DIR/<alias>.csv with SearchKey and WatchlistItem', async () => {
    const result = await runKql(
      store,
      "_GetWatchlist('MiraiPorts') | project SearchKey, Service, WatchlistItem",
      {
        now: NOW,
        watchlistsDir: scratch.dir,
      },
    );
    expect(result.rows.map((r) => [r.SearchKey, r.Service, r.WatchlistItem])).toEqual([
      ['23', 'telnet', { Port: '23', Service: 'telnet' }],
      ['7547', 'tr-069', { Port: '7547', Service: 'tr-069' }],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('is an empty table and one warning when the watchlist does not exist', async () => {
    const result = await runKql(
      store,
      "let cfg = _GetWatchlist('NetworkSession_Monitor_Configuration') | where Type == 'Detection' | project Ports, Threshold = toint(Threshold); cfg",
      { now: NOW, watchlistsDir: scratch.dir },
    );
    expect(result.rows).toEqual([]);
    expect(result.columns).toEqual(['Ports', 'Threshold']);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/watchlist 'NetworkSession_Monitor_Configuration': no .*\.csv/);
  });

  it('works from `telltale kql --watchlists`, joined with ASIM sessions', () => {
    scratch.file('conn.log', LOGS['conn.log']);
    const query =
      "_Im_NetworkSession | join kind=inner (_GetWatchlist('MiraiPorts') | extend DstPortNumber = toint(SearchKey)) on DstPortNumber | project SrcIpAddr, DstPortNumber, Service";
    const out = telltale(
      'kql',
      query,
      `${scratch.dir}/conn.log`,
      '--watchlists',
      scratch.dir,
      '--format',
      'json',
    );
    expect(out.status, out.stderr).toBe(0);
    const rows = JSON.parse(out.stdout) as { SrcIpAddr: string; DstPortNumber: number; Service: string }[];
    expect(rows.map((r) => [r.SrcIpAddr, r.DstPortNumber, r.Service]).sort()).toEqual([
      ['10.20.0.17', 23, 'telnet'],
      ['10.20.0.17', 23, 'telnet'],
      ['198.51.100.7', 7547, 'tr-069'],
    ]);
  });
});
