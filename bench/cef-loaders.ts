/**
 * `npx tsx bench/cef-loaders.ts FILE [runs]`: the CEF designs side by side in one process, timed by
 * process.cpuUsage() (user + system of every thread: DuckDB's included), which is steadier than wall
 * time on a shared machine. Each design ingests FILE into a fresh in-memory store (`ingestFile`, the
 * CLI's path): the native tokenizer (store/cef-native.ts), the SQL plan (TELLTALE_CEF_LOADER=sql), and
 * DuckDB's own reference (raw lines into a table with one regexp, as bench/scale.ts), `runs` times each,
 * interleaved (BENCH_CEF_DESIGNS=native,sql,reference picks some). Prints one line per run: design,
 * wall s, CPU s, lines per CPU-second, lines per second, and (Linux) the main thread's CPU-s: the native
 * design's long pole (DuckDB's appender) runs there while a worker thread cuts the next batch, so on two
 * free cores its wall time is about max(main thread, CPU / 2) — the figure a loaded machine hides.
 */
import { readFileSync } from 'node:fs';
import { Store } from '../src/store/db.js';
import { setCefSchema } from '../src/telemetry/cef.js';
import { ingestFile } from '../src/telemetry/ingest.js';

const [file, runsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/cef-loaders.ts FILE [runs]');
const runs = Number(runsArg ?? 2);

/** This thread's user + system CPU seconds, from /proc (Linux); NaN elsewhere. */
function threadCpuSeconds(): number {
  try {
    // fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in ticks
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function timed(name: string, run: () => Promise<number>): Promise<void> {
  const main0 = threadCpuSeconds();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const lines = await run();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const main = threadCpuSeconds() - main0;
  console.log(
    `${name.padEnd(10)} ${lines} lines  wall ${wall.toFixed(2)} s  cpu ${cpuSeconds.toFixed(2)} s  ` +
      `${Math.round(lines / cpuSeconds).toLocaleString('en')} lines/CPU-s  ${Math.round(lines / wall).toLocaleString('en')} lines/s  ` +
      `main thread ${main.toFixed(2)} CPU-s`,
  );
}

async function ingest(loader: 'native' | 'sql'): Promise<number> {
  process.env.TELLTALE_CEF_LOADER = loader;
  const store = await Store.open();
  try {
    setCefSchema(store.schema('CommonSecurityLog'));
    const ledger = await ingestFile(store, file, { format: 'cef' });
    if (ledger.ingested !== ledger.read) throw new Error(`${loader}: ${ledger.rejected.length} rejected`);
    return ledger.ingested;
  } finally {
    store.close();
  }
}

async function reference(): Promise<number> {
  const store = await Store.open();
  try {
    const q = file.replace(/'/g, "''");
    await store.query(
      `CREATE TABLE t AS SELECT l, regexp_extract(l, ' dst=(\\S+)', 1) AS dst FROM read_csv('${q}', columns={'l': 'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false)`,
    );
    const [row] = await store.query('SELECT count(*) AS n FROM t');
    return Number(row.n);
  } finally {
    store.close();
  }
}

const designs = new Set((process.env.BENCH_CEF_DESIGNS ?? 'native,sql,reference').split(','));
for (let i = 0; i < runs; i++) {
  if (designs.has('native')) await timed('native', () => ingest('native'));
  if (designs.has('sql')) await timed('sql', () => ingest('sql'));
  if (designs.has('reference')) await timed('reference', reference);
}
