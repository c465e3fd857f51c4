/**
 * Intel benchmarks. (1) Import: N generated ThreatFox CSV rows (the export's exact layout) into a fresh
 * intel store — parse, warning-list flagging, upsert, ThreatIntelligenceIndicator sync — as rows/s and
 * peak RSS. (2) Indicator-hit cost: a TI-map KQL hunt (flows joined to active indicators, as Sentinel's
 * TI-map rules do) over F flows with 10, 10k and 1M indicators; the join must stay flat in the number
 * of indicators (target ≤ 1.3× from 10 to 1M).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Store, runKql } from '../src/index.js';
import { IntelStore } from '../src/intel/store.js';
import { importIntoStore } from '../src/intel/pipeline.js';
import type { BenchResult, BenchRow } from './types.js';

const corpusDir = resolve(import.meta.dirname, '.corpus');

const ip = (n: number) => `${45 + (n >> 24)}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** ThreatFox CSV export rows: ip:port, domain, url and sha256 IOCs in the proportions of the real feed. */
function writeThreatFoxCsv(rows: number): string {
  const file = join(corpusDir, `threatfox-${rows}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(
    file,
    '################################################################\n# ThreatFox IOCs: CSV export (generated for benchmarks)\n#\n' +
      '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"\n',
  );
  const start = Date.UTC(2026, 0, 1);
  for (let k = 0; k < rows; k += 100_000) {
    const chunk: string[] = [];
    for (let n = k; n < Math.min(rows, k + 100_000); n++) {
      const kind = n % 10;
      const [value, type, threat] =
        kind < 5
          ? [`${ip(n)}:${1024 + (n % 60000)}`, 'ip:port', 'botnet_cc']
          : kind < 7
            ? [`c2-${n.toString(36)}.example-${n % 97}.su`, 'domain', 'botnet_cc']
            : kind < 8
              ? [`http://${ip(n)}/bins/mirai.${n.toString(36)}`, 'url', 'payload_delivery']
              : [`f${n.toString(16)}`.padStart(64, '0'), 'sha256_hash', 'payload'];
      const seen = new Date(start + n * 1000).toISOString().slice(0, 19).replace('T', ' ');
      chunk.push(
        `"${seen}", "${n + 1}", "${value}", "${type}", "${threat}", "elf.mirai", "Katana", "Mirai", "", "${50 + (n % 51)}", "False", "", "Mirai,elf", "0", "bench"`,
      );
    }
    writeFileSync(file, chunk.join('\n') + '\n', { flag: 'a' });
  }
  return file;
}

async function benchImport(rows: number): Promise<{ row: BenchRow; peakRssMiB: number }> {
  const file = writeThreatFoxCsv(rows);
  const dir = mkdtempSync(join(tmpdir(), 'telltale-bench-intel-'));
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const t0 = performance.now();
    const store = await IntelStore.open(join(dir, 'intel.duckdb'));
    const [result] = await importIntoStore(store, [file], { now: new Date('2026-05-22T00:00:00Z') });
    const stored = await store.count();
    store.close();
    const seconds = (performance.now() - t0) / 1000;
    if (result!.rejects.length || stored !== rows)
      throw new Error(`import: ${stored} stored, ${result!.rejects.length} rejected of ${rows}`);
    return {
      row: {
        label: `import ${rows.toLocaleString('en')} ThreatFox CSV rows`,
        seconds,
        files: 1,
        bytes: 0,
        events: rows,
      },
      peakRssMiB: peak / 1048576,
    };
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

const HUNT = `let ioc = ThreatIntelligenceIndicator
  | where Active == true and ExpirationDateTime > now()
  | where isnotempty(NetworkIP)
  | summarize by NetworkIP;
CommonSecurityLog
| join kind=inner (ioc) on $left.DestinationIP == $right.NetworkIP
| summarize hits = count()`;

/** F flows to public addresses; 1 in 100,000 goes to one of the first 10 indicators (so every size hits the same flows). */
async function hitCost(
  store: Store,
  indicators: number,
  now: Date,
): Promise<{ seconds: number; hits: number }> {
  await store.run('DELETE FROM ThreatIntelligenceIndicator');
  await store.run(
    `INSERT INTO ThreatIntelligenceIndicator (TimeGenerated, NetworkIP, Active, ExpirationDateTime, ThreatType, ConfidenceScore)
     SELECT TIMESTAMP '2026-05-20', '176.' || (i // 65536 % 256) || '.' || (i // 256 % 256) || '.' || (i % 256), true, TIMESTAMP '2026-12-31', 'C2', 80
     FROM range(${indicators}) t(i)`,
  );
  let best = Infinity;
  let hits = 0;
  for (let run = 0; run < 4; run++) {
    const t0 = performance.now();
    const result = await runKql(store, HUNT, { now } as never);
    const seconds = (performance.now() - t0) / 1000;
    hits = Number(result.rows[0]?.hits ?? 0);
    if (run > 0) best = Math.min(best, seconds); // the first run warms the KQL parser and caches
  }
  return { seconds: best, hits };
}

export async function benchIntel(opts: { rows: number; flows: number }): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  const imported = await benchImport(opts.rows);
  rows.push(imported.row);
  ratios['import rows/s'] = opts.rows / imported.row.seconds;
  ratios['import peak RSS MiB'] = imported.peakRssMiB;

  const store = await Store.open();
  try {
    await store.run(
      `INSERT INTO CommonSecurityLog (TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction)
       SELECT TIMESTAMP '2026-05-21' + to_milliseconds(i), '10.0.' || (i // 256 % 256) || '.' || (i % 256),
              CASE WHEN i % 100000 = 99999 THEN '176.0.0.' || (i // 100000 % 10) ELSE '93.' || (i // 65536 % 256) || '.' || (i // 256 % 256) || '.' || (i % 256) END,
              443, 'accept'
       FROM range(${opts.flows}) t(i)`,
    );
    const now = new Date('2026-05-22T00:00:00Z');
    const times: Record<number, number> = {};
    let expected: number | undefined;
    for (const n of [10, 10_000, 1_000_000]) {
      const { seconds, hits } = await hitCost(store, n, now);
      expected ??= hits;
      if (hits !== expected) throw new Error(`${n} indicators: ${hits} hits, expected ${expected}`);
      times[n] = seconds;
      rows.push({
        label: `TI-map hunt, ${opts.flows.toLocaleString('en')} flows × ${n.toLocaleString('en')} indicators (${hits} hits)`,
        seconds,
        files: 1,
        bytes: 0,
        events: opts.flows,
      });
    }
    ratios['hit cost 1M / 10 indicators (target ≤ 1.3)'] = times[1_000_000]! / times[10]!;
    ratios['hit cost 10k / 10 indicators'] = times[10_000]! / times[10]!;
  } finally {
    store.close();
  }
  return { name: 'intel: import and indicator-hit cost', rows, ratios };
}
