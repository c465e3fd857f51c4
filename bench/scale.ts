/**
 * `npm run bench -- scale`: logs at real scale. For each generated input (Zeek conn TSV, Defender
 * DeviceNetworkEvents NDJSON, firewall CEF) it runs, each in its own process and one after the other:
 *   - the reference: DuckDB's own reader (read_csv / read_json with explicit columns) of the same file
 *     into a table, then one GROUP BY, in a Node process (the same process kind as the CLI);
 *   - `telltale ingest FILE` (in memory);
 *   - `telltale hunt FILE` (the whole bundled pack, findings printed).
 * Wall time, CPU time (user + system: steadier on a shared machine) and peak RSS come from
 * /usr/bin/time; results are ratios against the reference.
 *
 * Sizes: BENCH_SCALE_EVENTS (default 3,000,000) events per input; BENCH_SCALE_FORMATS (zeek,ndjson,cef);
 * BENCH_SCALE_BIG=1 adds 30,000,000 Zeek conn lines (~4 GB; ingest and hunt only against the reference).
 * The CLI runs from dist/ (`npm run build` first). Inputs are cached in bench/.corpus/scale. Each step
 * is printed to stderr as it ends; a failed step (an exit code, a hunt without the C2) is a row saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResult } from './types.js';
import {
  generateLines,
  type LineMaker,
  ZEEK_CONN_HEADER,
  ZEEK_CONN_FIELDS,
  ZEEK_CONN_TYPES,
} from './generate.js';

const root = resolve(import.meta.dirname, '..');
const corpusDir = join(root, 'bench', '.corpus', 'scale');
const START = 1779321600; // 2026-05-21T00:00:00Z
export const C2 = '176.65.139.7';

/** Writes `lines` generated lines (after `header`); cached by name. */
function generate(name: string, header: string[], lines: number, make: LineMaker): Promise<string> {
  return generateLines(corpusDir, name, header, lines, make);
}

/** A public address spread over many /8s; one in 50,000 events goes to the seed C2. */
const remote = (i: number) =>
  i % 50_000 === 49_999 ? C2 : `${45 + (i % 150)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const local = (i: number) => `10.${(i >> 16) & 63}.${(i >> 8) & 255}.${i & 255}`;
const remotePort = (i: number) => (i % 50_000 === 49_999 ? 3778 : [443, 80, 23, 7547, 53][i % 5]);

export function zeekConn(lines: number, name = `conn-${lines}.log`): Promise<string> {
  return generate(
    name,
    ZEEK_CONN_HEADER,
    lines,
    (i) =>
      `${(START + i / 100).toFixed(6)}\tC${i.toString(36)}\t${local(i)}\t${30000 + (i % 30000)}\t${remote(i)}\t` +
      `${remotePort(i)}\ttcp\t${i % 3 ? '-' : 'ssl'}\t${((i % 100) / 10).toFixed(6)}\t${i % 500}\t${i % 900}\t` +
      `${i % 4 ? 'S0' : 'SF'}\tT\tF\t0\tShADadfF\t${i % 9}\t${i % 700}\t${i % 8}\t${i % 800}\t(empty)`,
  );
}

export function defenderNdjson(events: number): Promise<string> {
  return generate(`DeviceNetworkEvents-${events}.ndjson`, [], events, (i) =>
    JSON.stringify({
      Timestamp: new Date((START + i / 100) * 1000).toISOString(),
      DeviceId: `d${i % 500}`,
      DeviceName: `host-${i % 500}`,
      ActionType: i % 7 ? 'ConnectionSuccess' : 'ConnectionAttempt',
      LocalIP: local(i),
      LocalPort: 30000 + (i % 30000),
      RemoteIP: remote(i),
      RemotePort: remotePort(i),
      Protocol: 'Tcp',
      InitiatingProcessFileName: i % 11 ? 'curl' : 'busybox',
      InitiatingProcessCommandLine: `curl -s https://example.org/${i % 1000}`,
    }),
  );
}

export function firewallCef(lines: number): Promise<string> {
  return generate(`edge-fw-${lines}.cef`, [], lines, (i) => {
    const t = new Date((START + i / 100) * 1000);
    const hms = t.toISOString().slice(11, 19);
    return (
      `<134>May ${String(t.getUTCDate()).padStart(2, ' ')} ${hms} fw01 CEF:0|Acme|Gate|7.2|${1000 + (i % 50)}|traffic allowed|${i % 10}|` +
      `rt=${t.getTime()} src=${local(i)} spt=${1024 + (i % 60000)} dst=${remote(i)} dpt=${remotePort(i)} proto=TCP act=accept ` +
      `app=HTTPS in=${i % 9000} out=${(i * 7) % 9000} dvchost=fw01 cs1Label=Policy cs1=allow-out cn1Label=Rule cn1=${i % 300} msg=session ${i} closed`
    );
  });
}

/** The reference: DuckDB's own reader into a table, then one GROUP BY (result count printed). */
/** The groups are counted in SQL: at 30M lines there are millions of them, too many for a JS heap. */
function referenceScript(load: string, group: string): string {
  return `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run(${JSON.stringify(load)});
const r = await con.runAndReadAll(${JSON.stringify(`SELECT count(*) FROM (${group})`)});
console.log(String(r.getRows()[0][0]));
con.closeSync(); instance.closeSync();`;
}

interface Workload {
  name: string;
  file: string;
  events: number;
  load: string;
  group: string;
}

const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function workloads(events: number, formats: Set<string>, big: boolean): Promise<Workload[]> {
  const out: Workload[] = [];
  const zeekColumns = ZEEK_CONN_FIELDS.map((f, i) => {
    const t = ZEEK_CONN_TYPES[i];
    const type =
      t === 'time' || t === 'interval'
        ? 'DOUBLE'
        : t === 'port'
          ? 'INTEGER'
          : t === 'count'
            ? 'BIGINT'
            : t === 'set[string]'
              ? 'VARCHAR'
              : 'VARCHAR';
    return `${sq(f)}: ${sq(type)}`;
  }).join(', ');
  const zeek = (file: string, n: number): Workload => ({
    name: `Zeek conn TSV, ${n.toLocaleString('en')} lines`,
    file,
    events: n,
    load: `CREATE TABLE t AS SELECT * FROM read_csv(${sq(file)}, delim='\\t', header=false, comment='#', quote='', escape='', auto_detect=false, nullstr='-', columns={${zeekColumns}})`,
    group: `SELECT "id.resp_h", count(*) FROM t GROUP BY ALL`,
  });
  if (formats.has('zeek')) out.push(zeek(await zeekConn(events), events));
  if (formats.has('ndjson')) {
    const file = await defenderNdjson(events);
    out.push({
      name: `Defender DeviceNetworkEvents NDJSON, ${events.toLocaleString('en')} events`,
      file,
      events,
      load:
        `CREATE TABLE t AS SELECT * FROM read_json(${sq(file)}, format='newline_delimited', columns={Timestamp: 'TIMESTAMP', DeviceId: 'VARCHAR', DeviceName: 'VARCHAR', ActionType: 'VARCHAR', ` +
        `LocalIP: 'VARCHAR', LocalPort: 'INTEGER', RemoteIP: 'VARCHAR', RemotePort: 'INTEGER', Protocol: 'VARCHAR', InitiatingProcessFileName: 'VARCHAR', InitiatingProcessCommandLine: 'VARCHAR'})`,
      group: `SELECT RemoteIP, count(*) FROM t GROUP BY ALL`,
    });
  }
  if (formats.has('cef')) {
    const file = await firewallCef(events);
    // DuckDB has no CEF reader: its CSV reader on raw lines, the destination cut with one regex
    out.push({
      name: `firewall CEF, ${events.toLocaleString('en')} lines`,
      file,
      events,
      load: `CREATE TABLE t AS SELECT l, regexp_extract(l, ' dst=(\\S+)', 1) AS dst FROM read_csv(${sq(file)}, columns={'l': 'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false)`,
      group: `SELECT dst, count(*) FROM t GROUP BY ALL`,
    });
  }
  if (big) out.push(zeek(await zeekConn(30_000_000), 30_000_000));
  return out;
}

export interface Measured {
  seconds: number;
  /** user + system CPU: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  rssMiB: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** One process under /usr/bin/time: wall time and peak RSS. */
export function measure(args: string[]): Measured {
  const run = spawnSync('/usr/bin/time', ['-f', '@@time %e %M %U %S', process.execPath, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  const line = run.stderr
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('@@time '));
  if (!line) throw new Error(`no timing from /usr/bin/time: ${run.stderr.slice(-2000)}`);
  const [, seconds, kib, user, sys] = line.split(' ');
  return {
    seconds: Number(seconds),
    cpuSeconds: Number(user) + Number(sys),
    rssMiB: Number(kib) / 1024,
    code: run.status ?? -1,
    stdout: run.stdout,
    stderr: run.stderr.replace(line, ''),
  };
}

export async function benchScale(opts: {
  events: number;
  formats: Set<string>;
  big: boolean;
}): Promise<BenchResult> {
  const cli = join(root, 'bin', 'telltale.js');
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first');
  const result: BenchResult = {
    name: 'logs at scale: telltale vs DuckDB reader + GROUP BY',
    rows: [],
    ratios: {},
  };
  for (const w of await workloads(opts.events, opts.formats, opts.big)) {
    const bytes = statSync(w.file).size;
    // each step is printed as it ends, and a failed step is a row, not the end of the run: a full run
    // takes an hour, and a failure at 30M lines must not lose the 3M figures
    const step = (label: string, args: string[], ok: (m: Measured) => string | undefined) => {
      const m = measure(args);
      const failure = ok(m);
      const text =
        `${w.name}: ${label}, CPU ${m.cpuSeconds.toFixed(1)} s, peak RSS ${m.rssMiB.toFixed(0)} MiB` +
        (failure ? `, FAILED: ${failure}` : '');
      console.error(`[scale] ${text}, ${m.seconds.toFixed(1)} s`);
      result.rows.push({ label: text, seconds: m.seconds, files: 1, bytes, events: w.events });
      return failure ? undefined : m;
    };
    const lastLine = (m: Measured) => m.stderr.trim().split('\n').slice(-1)[0] ?? '';
    const ref = step(
      'reference (DuckDB reader + GROUP BY)',
      ['--input-type=module', '-e', referenceScript(w.load, w.group)],
      (m) => (m.code === 0 ? undefined : `exit ${m.code}: ${lastLine(m)}`),
    );
    const ingest = step('telltale ingest', [cli, 'ingest', w.file], (m) =>
      m.code === 0 ? undefined : `exit ${m.code}: ${lastLine(m)}`,
    );
    const hunt = step(
      'telltale hunt (whole pack)',
      [cli, 'hunt', '--no-intel-db', '--now', '2026-05-22T00:00:00Z', w.file],
      (m) =>
        m.code !== 1
          ? `exit ${m.code}: ${lastLine(m)}`
          : m.stdout.includes(C2)
            ? undefined
            : `no finding names ${C2}`,
    );
    if (!ref) continue;
    if (ingest) {
      result.ratios[`${w.name}: ingest time / reference`] = ingest.seconds / ref.seconds;
      result.ratios[`${w.name}: ingest peak RSS / reference`] = ingest.rssMiB / ref.rssMiB;
      result.ratios[`${w.name}: ingest CPU / reference`] = ingest.cpuSeconds / ref.cpuSeconds;
      result.ratios[`${w.name}: ingest events/s`] = w.events / ingest.seconds;
    }
    if (hunt) {
      result.ratios[`${w.name}: hunt time / reference`] = hunt.seconds / ref.seconds;
      result.ratios[`${w.name}: hunt CPU / reference`] = hunt.cpuSeconds / ref.cpuSeconds;
      result.ratios[`${w.name}: hunt peak RSS / reference`] = hunt.rssMiB / ref.rssMiB;
    }
  }
  return result;
}
