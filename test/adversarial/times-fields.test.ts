// Issue 11 items 3 and 7: a Zeek header without the fields its mapping needs ingested rows with NULL
// times and addresses; year-9999 epochs were read as 1978 and a Zeek ts of 1e20 became NULL, silently.
// Each is now a reject with its reason, and read = ingested + rejected.
import { describe, expect, it } from 'vitest';
import { zeekConnHeader } from '../../src/telemetry/detect.js';
import { scratchDir } from '../helpers.js';
import { ingestOne } from './helpers.js';

const tmp = scratchDir('adv-times');

const row = (ts: string, i: number): string =>
  `${ts}\tCb${String(i).padStart(10, 'x')}\t10.20.0.${i + 2}\t${40000 + i}\t203.0.113.9\t23\ttcp\t-\t-\t-\t-\tS0\tT\tF\t0\tS\t1\t60\t0\t0\t-`;

const ledgerOf = (name: string, text: string) => ingestOne(tmp.file(name, text));

describe('Zeek #fields without the fields the mapping needs', () => {
  it('a conn.log whose #fields lacks ts and id.resp_h: every row rejected with the reason, none stored', async () => {
    const header = zeekConnHeader().map((h) =>
      h.startsWith('#fields') || h.startsWith('#types')
        ? h
            .split('\t')
            .filter((_, i) => i !== 1 && i !== 5)
            .join('\t')
        : h,
    );
    const rows = [0, 1, 2].map((i) =>
      row('1779321783.5', i)
        .split('\t')
        .filter((_, j) => j !== 0 && j !== 4)
        .join('\t'),
    );
    const ledger = await ledgerOf('conn.log', [...header, ...rows].join('\n') + '\n');
    expect(ledger).toMatchObject({ format: 'zeek-tsv', read: 3, ingested: 0 });
    expect(ledger.rejected.map((r) => r.reason)).toEqual(
      Array(3).fill(
        'Zeek conn log: #fields lacks ts, id.resp_h (the conn mapping needs them): file rejected',
      ),
    );
  });
});

describe('out-of-range epochs are rejects, not other dates or NULL', () => {
  it('CEF rt=253402300799000 (year 9999 in ms) is rejected, not read as 1978', async () => {
    const cef = (rt: string, i: number): string =>
      `CEF:0|Acme|EdgeFirewall|7.2|200|Connection allowed|3|rt=${rt} src=10.20.0.${i + 2} spt=34892 dst=140.82.121.4 dpt=123 proto=TCP act=accept`;
    const ledger = await ledgerOf(
      'fw.cef',
      [cef('1779321783000', 0), cef('253402300799000', 1), cef('1779321784000', 2)].join('\n') + '\n',
    );
    expect(ledger).toMatchObject({ format: 'cef', read: 3, ingested: 2 });
    expect(ledger.rejected).toEqual([
      expect.objectContaining({ line: 2, reason: expect.stringMatching(/rt|time/) }),
    ]);
  });

  it('a Zeek ts of 1e20 is a reject with its reason, not a row with a NULL time', async () => {
    const ledger = await ledgerOf(
      'conn.log',
      [...zeekConnHeader(), row('1779321783.5', 0), row('1e20', 1), row('1779321790.25', 2)].join('\n') +
        '\n',
    );
    expect(ledger).toMatchObject({ format: 'zeek-tsv', read: 3, ingested: 2 });
    expect(ledger.rejected).toEqual([
      expect.objectContaining({ line: 9, reason: expect.stringMatching(/ts/) }),
    ]);
  });

  it('an export whose TimeGenerated is epoch ms of year 9999 is rejected', async () => {
    const ledger = await ledgerOf(
      'DeviceNetworkEvents.ndjson',
      [
        '{"TimeGenerated":"2026-05-20T10:00:00Z","RemoteIP":"203.0.113.9","RemotePort":23}',
        '{"TimeGenerated":253402300799000,"RemoteIP":"203.0.113.9","RemotePort":23}',
      ].join('\n') + '\n',
    );
    expect(ledger).toMatchObject({ format: 'sentinel-ndjson', read: 2, ingested: 1 });
    expect(ledger.rejected).toEqual([
      expect.objectContaining({ line: 2, reason: expect.stringMatching(/out of range/) }),
    ]);
  });
});
