/**
 * ASIM pushdown: `_Im_NetworkSession | where DstPortNumber == 23` over N sessions from four sources
 * (Zeek, a CEF firewall, nfdump in CommonSecurityLog; Defender in DeviceNetworkEvents; Zeek's
 * DeviceNetworkEvents twins as the reader writes them), against the same filter on one source table
 * and against hand-written SQL over both tables, in one run. DuckDB pushes the filter into each branch
 * of the parsers' UNION ALL, so the ASIM query should cost about what the single-table query costs.
 */
import { performance } from 'node:perf_hooks';
import { Store } from '../src/store/db.js';
import { compileKql } from '../src/kql/index.js';
import type { BenchResult, BenchRow } from './types.js';

const NOW = new Date('2026-05-22T00:00:00Z');

/** N CommonSecurityLog sessions (a third each Zeek, firewall, nfdump); N/4 Defender rows plus the Zeek twins. */
function generate(rows: number): string[] {
  const time = `TIMESTAMP '2026-05-21' + to_microseconds(CAST(i * (86400000000 // ${rows}) AS BIGINT))`;
  const port = `CASE WHEN i % 97 = 0 THEN 23 ELSE [443, 80, 53, 123, 7547][1 + i % 5] END`;
  return [
    `INSERT INTO CommonSecurityLog (TimeGenerated, StartTime, DeviceVendor, DeviceProduct, DeviceEventClassID, Activity,
       DeviceAction, SourceIP, SourcePort, DestinationIP, DestinationPort, Protocol, SentBytes, ReceivedBytes, AdditionalExtensions, _Source)
     SELECT ${time}, ${time}, ['Zeek', 'Acme', 'nfdump'][1 + i % 3], ['conn', 'EdgeFirewall', 'NetFlow'][1 + i % 3],
       ['conn', '200', 'flow'][1 + i % 3], ['SF', 'Connection allowed', NULL][1 + i % 3], ['', 'accept', ''][1 + i % 3],
       '10.20.' || (i % 250) || '.' || (i % 200), 1024 + i % 60000, '93.184.' || (hash(i) % 250) || '.1', ${port}, 'TCP',
       i % 5000, i % 7000, 'uid=C' || i || ';history=ShADadFf', 'bench:' || i
     FROM range(${rows}) r(i)`,
    `INSERT INTO DeviceNetworkEvents (TimeGenerated, Timestamp, DeviceId, DeviceName, ActionType, LocalIP, LocalPort,
       RemoteIP, RemotePort, Protocol, ReportId, _Source)
     SELECT ${time}, ${time}, 'dev-' || (i % 50), 'host-' || (i % 50), 'ConnectionSuccess', '10.30.0.' || (i % 200),
       1024 + i % 60000, '93.184.' || (hash(i) % 250) || '.1', ${port}, 'Tcp', i, 'bench-dne:' || i
     FROM range(${Math.floor(rows / 4)}) r(i)`,
    // the reader's DeviceNetworkEvents twin of each Zeek line: no DeviceId, ReportId or process
    `INSERT INTO DeviceNetworkEvents (TimeGenerated, Timestamp, DeviceName, ActionType, LocalIP, LocalPort, RemoteIP,
       RemotePort, Protocol, _Source)
     SELECT TimeGenerated, TimeGenerated, 'sensor', 'ConnectionSuccess', SourceIP, SourcePort, DestinationIP,
       DestinationPort, 'Tcp', _Source FROM CommonSecurityLog WHERE DeviceVendor = 'Zeek'`,
  ];
}

async function best(work: () => Promise<unknown>, runs = 3): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    min = Math.min(min, (performance.now() - t0) / 1000);
  }
  return min;
}

export async function benchAsim(opts: { rows: number }): Promise<BenchResult> {
  const store = await Store.open();
  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  try {
    for (const sql of generate(opts.rows)) await store.run(sql);
    const events = opts.rows + Math.floor(opts.rows / 4);
    const count = async (kql: string) => {
      const compiled = compileKql(kql, { schemas: store.schemas, now: NOW, keepSource: false });
      const run = () => store.query(compiled.sql, compiled.params);
      const n = Number((await run())[0].Count);
      return { n, seconds: await best(run) };
    };
    const t0 = performance.now();
    compileKql('_Im_NetworkSession | where DstPortNumber == 23 | count', {
      schemas: store.schemas,
      now: NOW,
    });
    const firstCompile = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    compileKql('_Im_NetworkSession | where DstPortNumber == 23 | count', {
      schemas: store.schemas,
      now: NOW,
    });
    const compile = (performance.now() - t1) / 1000;

    const one = await count('CommonSecurityLog | where DestinationPort == 23 | count');
    const asim = await count('_Im_NetworkSession | where DstPortNumber == 23 | count');
    const param = await count('_Im_NetworkSession(dstportnumber=23) | count');
    const handSql = `SELECT (SELECT count(*) FROM CommonSecurityLog WHERE DestinationPort = 23)
      + (SELECT count(*) FROM DeviceNetworkEvents WHERE RemotePort = 23 AND DeviceId IS NOT NULL) AS n`;
    const hand = Number((await store.query(handSql))[0].n);
    const handSeconds = await best(() => store.query(handSql));
    if (asim.n !== hand || param.n !== hand)
      throw new Error(`bench asim: ASIM counted ${asim.n} / ${param.n}, hand-written SQL ${hand}`);
    rows.push({
      label: `CommonSecurityLog | where DestinationPort == 23 (${one.n})`,
      seconds: one.seconds,
      files: 1,
      bytes: 0,
      events: opts.rows,
    });
    rows.push({
      label: `_Im_NetworkSession | where DstPortNumber == 23 (${asim.n})`,
      seconds: asim.seconds,
      files: 1,
      bytes: 0,
      events,
    });
    rows.push({
      label: `_Im_NetworkSession(dstportnumber=23) (${param.n})`,
      seconds: param.seconds,
      files: 1,
      bytes: 0,
      events,
    });
    rows.push({
      label: 'hand-written SQL over both tables',
      seconds: handSeconds,
      files: 1,
      bytes: 0,
      events,
    });
    rows.push({
      label: 'compile of the ASIM query, first in the process',
      seconds: firstCompile,
      files: 1,
      bytes: 0,
    });
    rows.push({ label: 'compile of the ASIM query, later', seconds: compile, files: 1, bytes: 0 });
    ratios['ASIM where / one table where'] = asim.seconds / one.seconds;
    ratios['ASIM parameter / one table where'] = param.seconds / one.seconds;
    ratios['ASIM where / hand-written SQL'] = asim.seconds / handSeconds;
  } finally {
    store.close();
  }
  return {
    name: `ASIM pushdown, ${opts.rows.toLocaleString('en')} CommonSecurityLog + ${Math.floor(opts.rows / 4).toLocaleString('en')} Defender sessions`,
    rows,
    ratios,
  };
}
