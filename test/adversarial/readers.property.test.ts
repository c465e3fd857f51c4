// Issue 11, fast-check over every log reader, through the real ingest into a real DuckDB store: random and
// mutated lines (cut, spliced, hostile strings inserted) never throw, every line is accounted for
// (read = ingested + rejected, plus ignored), every reject names its file, its line and a reason, the
// rows stored are exactly the lines counted as ingested, and nothing a line carries reaches the terminal raw.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Store } from '../../src/store/db.js';
import { zeekConnHeader } from '../../src/telemetry/detect.js';
import { ingestFile } from '../../src/telemetry/ingest.js';
import type { IngestLedger, LogFormat } from '../../src/telemetry/types.js';
import { reportLedgers } from '../../src/cli/common.js';
import { scratchDir } from '../helpers.js';
import { HOSTILE, mutatedText, TERMINAL_UNSAFE } from './mutate.js';

const tmp = scratchDir('adv-readers');
let store: Store;
beforeAll(async () => {
  store = await Store.open();
});
afterAll(() => store.close());
afterEach(() => vi.restoreAllMocks());

const cef = (i: number, text = 'telnet try'): string =>
  `<134>May 20 10:00:0${i % 10} fw01 CEF:0|Acme|EdgeFirewall|7.2|200|Connection allowed|3|rt=1779321783000 src=10.20.0.${i + 2} spt=34892 dst=140.82.121.4 dpt=23 proto=TCP act=accept msg=${text}`;
const eve = (i: number, text = 'ET TELNET Mirai'): string =>
  `{"timestamp":"2026-05-20T10:00:0${i % 10}.000000+0000","flow_id":${1000 + i},"event_type":"${i % 2 ? 'alert' : 'flow'}","src_ip":"192.168.1.${i + 2}","src_port":${40000 + i},"dest_ip":"176.65.139.7","dest_port":23,"proto":"TCP","alert":{"signature":${JSON.stringify(text)},"severity":2},"flow":{"pkts_toserver":1,"bytes_toserver":60,"start":"2026-05-20T10:00:00.000000+0000"}}`;
const zeekTsv = (i: number, text = `Ca${i}x`): string =>
  `1779321783.${100000 + i}\t${text}\t10.20.0.${i + 2}\t${40000 + i}\t203.0.113.${i + 1}\t23\ttcp\t-\t0.5\t60\t0\tS0\tT\tF\t0\tS\t1\t60\t0\t0\t-`;
const zeekJson = (i: number, text = `C${i}`): string =>
  i % 2
    ? `{"ts":1779321783.${i},"uid":${JSON.stringify(text)},"id.orig_h":"10.0.0.${i + 2}","id.orig_p":5353,"id.resp_h":"8.8.8.8","id.resp_p":53,"proto":"udp","query":"tvt.miraibotnet.su","qtype_name":"A","rcode_name":"NOERROR","answers":["176.65.139.7"]}`
    : `{"ts":1779321783.${i},"uid":${JSON.stringify(text)},"id.orig_h":"10.0.0.${i + 2}","id.orig_p":40000,"id.resp_h":"203.0.113.9","id.resp_p":23,"proto":"tcp","conn_state":"S0","orig_bytes":60}`;
const NFDUMP_HEADER =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';
const nfdump = (i: number, text = '....S.'): string =>
  `2024-05-21 10:00:0${i % 10}.000,2024-05-21 10:00:0${i % 10}.250,0.250,10.1.0.${i + 2},176.65.139.7,${40000 + i},3778,TCP,${text},0,0,1,60,0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0.000,0.000,0.000,0.0.0.0,0/0,1,2024-05-21 10:00:01.120`;
const sentinel = (i: number, text = `cam-${i}`): string =>
  `{"TimeGenerated":"2024-05-01T10:00:0${i % 10}Z","Type":"DeviceNetworkEvents","DeviceName":${JSON.stringify(text)},"RemoteIP":"176.65.139.${i + 1}","RemotePort":23,"ActionType":"ConnectionSuccess","InitiatingProcessCommandLine":"sh -c wget x"}`;
const SENTINEL_CSV_HEADER =
  'Timestamp,DeviceName,RemoteIP,RemotePort,ActionType,InitiatingProcessCommandLine';
const sentinelCsv = (i: number, text = `cam-${i}`): string =>
  `"4/2/2024, 1:02:0${i % 10}.004 PM","${text.replace(/"/g, '""')}",176.65.139.${i + 1},${20 + i},ConnectionSuccess,"sh -c ""wget x"""`;

interface Reader {
  format: LogFormat;
  /** File name: Sentinel exports name their table in it. */
  name: string;
  header: string[];
  /** A realistic line; `text` goes into one of its string fields, encoded as the format encodes it. */
  line: (i: number, text?: string) => string;
  /** Whole-file text from its lines (a JSON array wraps them). */
  join?: (lines: string[]) => string;
  /** One record a line: read + ignored is then exactly the number of lines. */
  lineRecords: boolean;
}

const READERS: Reader[] = [
  { format: 'cef', name: 'fw.log', header: [], line: cef, lineRecords: true },
  { format: 'suricata-eve', name: 'eve.json', header: [], line: eve, lineRecords: true },
  { format: 'zeek-tsv', name: 'conn.log', header: zeekConnHeader(), line: zeekTsv, lineRecords: true },
  { format: 'zeek-json', name: 'zeek.json', header: [], line: zeekJson, lineRecords: true },
  { format: 'nfdump-csv', name: 'flows.csv', header: [NFDUMP_HEADER], line: nfdump, lineRecords: true },
  { format: 'sentinel-ndjson', name: 'export.ndjson', header: [], line: sentinel, lineRecords: true },
  {
    format: 'sentinel-json',
    name: 'export.json',
    header: [],
    line: sentinel,
    join: (lines) => `[\n${lines.join(',\n')}\n]\n`,
    lineRecords: false,
  },
  {
    format: 'sentinel-csv',
    name: 'DeviceNetworkEvents.csv',
    header: [SENTINEL_CSV_HEADER],
    line: sentinelCsv,
    lineRecords: false, // a quoted field may span lines
  },
];

let files = 0;

/** What a user checks of one file's ledger, against the file's text and the rows the store holds. */
async function checkLedger(ledger: IngestLedger, path: string, text: string, reader: Reader): Promise<void> {
  const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  expect(ledger.read).toBe(ledger.ingested + ledger.rejected.length);
  for (const r of ledger.rejected) {
    expect(r.file).toBe(path);
    expect(Number.isInteger(r.line) && r.line >= 0 && r.line <= lines).toBe(true);
    expect(r.reason.trim().length).toBeGreaterThan(0);
    expect(r.reason.length).toBeLessThanOrEqual(400);
  }
  const fileLevel = ledger.rejected.some((r) => r.line === 0);
  if (reader.lineRecords && !fileLevel) expect(ledger.read + ledger.ignored).toBe(lines);
  else expect(ledger.read + ledger.ignored).toBeLessThanOrEqual(lines + 1);

  // The rows stored are the lines ingested, no more (a rejected line left nothing behind), no fewer.
  const stored = new Set<number>();
  for (const table of Object.keys(ledger.tables)) {
    const rows = await store.query(`SELECT DISTINCT _Source FROM ${table} WHERE starts_with(_Source, ?)`, [
      `${path}:`,
    ]);
    for (const { _Source } of rows) stored.add(Number(String(_Source).slice(path.length + 1)));
  }
  expect(stored.size).toBe(ledger.ingested);
  for (const r of ledger.rejected) expect(stored.has(r.line)).toBe(false);
}

/** The ingest summary as the terminal gets it (stderr of `telltale ingest`). */
function terminalText(ledger: IngestLedger): string {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  reportLedgers([ledger]);
  vi.restoreAllMocks();
  return written.join('');
}

describe.each(READERS)('the $format reader on random and mutated lines', (reader) => {
  it('never throws, accounts for every line, names file + line + reason, keeps the terminal clean', async () => {
    const seeds = Array.from({ length: 6 }, (_, i) => reader.line(i));
    const seen = { ingested: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(mutatedText(seeds, { header: reader.header, join: reader.join }), async (text) => {
        const path = tmp.file(`${files++}-${reader.name}`, text);
        const ledger = await ingestFile(store, path, { format: reader.format });
        await checkLedger(ledger, path, text, reader);
        expect(terminalText(ledger)).not.toMatch(TERMINAL_UNSAFE);
        seen.ingested += ledger.ingested;
        seen.rejected += ledger.rejected.length;
      }),
      { numRuns: 12, seed: 11, endOnFailure: true },
    );
    // the generator reached both outcomes: lines stored and lines refused
    expect(seen.ingested).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
  });

  it('a file of hostile lines only: each is a reject or a row, and the summary shows none of it raw', async () => {
    const lines = HOSTILE.map((h, i) => reader.line(i, h));
    const text = reader.join ? reader.join(lines) : [...reader.header, ...lines].join('\n') + '\n';
    const path = tmp.file(`${files++}-hostile-${reader.name}`, text);
    const ledger = await ingestFile(store, path, { format: reader.format });
    expect(ledger.read).toBe(ledger.ingested + ledger.rejected.length);
    expect(ledger.read).toBeGreaterThan(0);
    expect(terminalText(ledger)).not.toMatch(TERMINAL_UNSAFE);
  });
});
