/**
 * Ingest throughput on generated files (not a vitest test): `npx tsx test/telemetry/bench-ingest.ts [lines]`.
 * Writes a CEF file (RFC 3164 header, ~20 extension keys) and a Zeek conn TSV file of the same number
 * of lines, ingests each into an in-memory store, and prints lines/s end to end (read → parse → type →
 * DuckDB). Zeek conn lines feed two tables, so rows/s is twice lines/s.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Store } from '../../src/store/db.js';
import { ingestFile } from '../../src/telemetry/ingest.js';
import { tempDir } from './shared.js';

const n = Number(process.argv[2] ?? 200_000);
const dir = tempDir();

function ip(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

const cef: string[] = [];
for (let i = 0; i < n; i++) {
  cef.push(
    `<134>Nov 26 10:${String(((i / 60) % 60) | 0).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} fw01 CEF:0|Acme|Gate|7.2|${1000 + (i % 50)}|traffic allowed|${i % 10}|` +
      `rt=${1764151200000 + i} src=${ip(i)} spt=${1024 + (i % 60000)} dst=176.65.139.${i % 255} dpt=${i % 2 ? 7547 : 23} proto=TCP act=accept ` +
      `app=HTTP in=${i % 9000} out=${(i * 7) % 9000} suser=user${i % 100} dvchost=fw01 deviceExternalId=FG100 cs1Label=Policy cs1=allow-out ` +
      `cn1Label=Rule cn1=${i % 300} request=http://x${i % 30}.example/path?id\\=${i} msg=session ${i} closed vendorKey=${i}`,
  );
}
const zeek = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2025-11-26-10-00-00',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
];
for (let i = 0; i < n; i++) {
  zeek.push(
    `${1764151200 + i / 1000}\tC${i.toString(36)}x\t${ip(i)}\t${1024 + (i % 60000)}\t176.65.139.${i % 255}\t${i % 2 ? 7547 : 23}\ttcp\t` +
      `${i % 3 ? '-' : 'http'}\t${(i % 100) / 10}\t${i % 500}\t${i % 900}\t${i % 4 ? 'S0' : 'SF'}\tT\tF\t0\tShADadfF\t${i % 9}\t${i % 700}\t${i % 8}\t${i % 800}\t(empty)`,
  );
}
const cefFile = `${dir}/bench.cef`;
const zeekFile = `${dir}/conn.log`;
writeFileSync(cefFile, cef.join('\n') + '\n');
writeFileSync(zeekFile, zeek.join('\n') + '\n');

/**
 * The JavaScript readers alone (the fallback path): a store that has no loadFile, so no SQL fast path,
 * and accepts rows and drops them (no JSON staging, no DuckDB).
 */
function nullStore(real: Store): Store {
  return {
    schemas: real.schemas,
    schema: (t: string) => real.schema(t),
    insertRows: async (_t: string, r: unknown[]) => r.length,
  } as unknown as Store;
}

for (const file of [cefFile, zeekFile]) {
  for (const mode of ['readers only', 'end to end'] as const) {
    const store = await Store.open();
    const start = process.hrtime.bigint();
    const ledger = await ingestFile(mode === 'end to end' ? store : nullStore(store), file);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rows = Object.values(ledger.tables).reduce((a, b) => a + b, 0);
    console.log(
      `${ledger.format.padEnd(8)} ${mode.padEnd(12)} ${ledger.read} lines (${ledger.rejected.length} rejected) → ${rows} rows in ${seconds.toFixed(2)} s: ` +
        `${Math.round(ledger.read / seconds).toLocaleString('en-US')} lines/s, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`,
    );
    store.close();
  }
}
rmSync(dir, { recursive: true, force: true });
