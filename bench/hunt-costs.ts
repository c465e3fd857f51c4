/**
 * `npm run bench -- hunt-costs`: where `telltale hunt` spends its time, per hunt, on the scale bench's
 * inputs (bench/scale.ts: Zeek conn TSV, Defender NDJSON, firewall CEF). One process per format runs
 * the library's `hunt()` (ingest + the whole pack, as the CLI does with `--no-intel-db --now`), then,
 * on the same store, one plain scan of each table a hunt reads (`T | summarize count(), max(TimeGenerated)`):
 * the hunt's CPU / its table's scan CPU says what the hunt costs beyond reading its rows once.
 * CPU is the process's (DuckDB's threads included), steadier than wall time on a shared machine.
 *
 * Sizes: BENCH_HUNT_COST_EVENTS (default 1,000,000) per format; BENCH_HUNT_COST_FORMATS (zeek,ndjson,cef).
 * Each format runs in a child process of its own (`tsx bench/hunt-costs.ts <format> <events>`).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hunt } from '../src/index.js';
import { runKql } from '../src/kql/index.js';
import type { BenchResult } from './types.js';
import { C2, defenderNdjson, firewallCef, zeekConn } from './scale.js';

const root = resolve(import.meta.dirname, '..');
const NOW = new Date('2026-05-22T00:00:00Z');
const INPUTS: Record<string, (events: number) => Promise<string>> = {
  zeek: zeekConn,
  ndjson: defenderNdjson,
  cef: firewallCef,
};

interface Cost {
  label: string;
  ms: number;
  cpuMs: number;
  /** CPU of one plain scan of the table the hunt reads (first of its required tables). */
  scanCpuMs?: number;
  rows?: number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** The child: one format, one process; prints its costs as one JSON line. */
async function measureFormat(format: string, events: number): Promise<Cost[]> {
  const file = await INPUTS[format](events);
  const costs: Cost[] = [];
  const whole = await timed(() =>
    hunt([file], {
      now: NOW,
      inspect: async (store, result) => {
        const scans = new Map<string, Cost>();
        for (const table of new Set(result.huntRuns.flatMap((r) => r.hunt.requiredTables))) {
          const scan = await timed(() => runKql(store, `${table} | summarize count(), max(TimeGenerated)`));
          const rows = Number(Object.values(scan.value.rows[0] ?? {})[0] ?? 0);
          scans.set(table, { label: `scan ${table}`, ms: scan.ms, cpuMs: scan.cpuMs, rows });
        }
        for (const run of result.huntRuns)
          costs.push({
            label: `${run.hunt.key} (${run.findings.length} findings)`,
            ms: run.ms,
            cpuMs: run.cpuMs,
            scanCpuMs: scans.get(run.hunt.requiredTables[0] ?? '')?.cpuMs,
          });
        costs.push(...scans.values());
        if (!result.findings.some((f) => JSON.stringify(f).includes(C2)))
          throw new Error(`no finding names ${C2}`);
      },
    }),
  );
  const scanMs = costs.filter((c) => c.label.startsWith('scan ')).reduce((n, c) => n + c.cpuMs, 0);
  const huntMs = costs.filter((c) => !c.label.startsWith('scan ')).reduce((n, c) => n + c.cpuMs, 0);
  costs.push({ label: 'hunts (sum)', ms: 0, cpuMs: huntMs });
  costs.push({ label: 'whole hunt() less scans', ms: whole.ms, cpuMs: whole.cpuMs - scanMs });
  return costs;
}

export async function benchHuntCosts(opts: { events: number; formats: string[] }): Promise<BenchResult> {
  const result: BenchResult = {
    name: 'hunt costs: each hunt against one scan of its table',
    rows: [],
    ratios: {},
  };
  for (const format of opts.formats) {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.filename), format, String(opts.events)],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const line = child.stdout.split('\n').find((l) => l.startsWith('@@costs '));
    if (child.status !== 0 || !line)
      throw new Error(`${format}: exit ${child.status}: ${child.stderr.slice(-2000)}`);
    for (const c of JSON.parse(line.slice('@@costs '.length)) as Cost[]) {
      const ratio = c.scanCpuMs ? `, ${(c.cpuMs / c.scanCpuMs).toFixed(1)}× its scan` : '';
      const label = `${format}: ${c.label}, CPU ${(c.cpuMs / 1000).toFixed(2)} s${ratio}`;
      console.error(`[hunt-costs] ${label}, wall ${(c.ms / 1000).toFixed(2)} s`);
      result.rows.push({
        label: c.rows === undefined ? label : `${label}, ${c.rows} rows`,
        seconds: c.ms / 1000,
        files: 1,
        bytes: 0,
      });
    }
  }
  return result;
}

if (process.argv[1] === import.meta.filename && process.argv[2] in INPUTS) {
  const costs = await measureFormat(process.argv[2], Number(process.argv[3]));
  console.log(`@@costs ${JSON.stringify(costs)}`);
}
