/**
 * The numbers behind the charts, as KQL run on the hunt's own store: aggregated in DuckDB, so a chart
 * of three million events is a few hundred points. Values taken from findings (an IP, a port, a time)
 * are validated before they enter a query, and the KQL is kept so the report can show it.
 */
import { isIP } from 'node:net';
import { compileKql } from '../kql/index.js';
import type { Store } from '../store/db.js';

export interface Series<T> {
  kql: string;
  rows: T[];
}

type Row = Record<string, unknown>;

/** Runs KQL without the `_Source` provenance lists (a chart needs counts, not a list per bin). */
async function run(store: Store, kql: string, now: Date): Promise<Row[]> {
  const compiled = compileKql(kql, { schemas: store.schemas, now, keepSource: false });
  return store.query(compiled.sql, compiled.params);
}

const ip = (value: unknown): string | null =>
  typeof value === 'string' && isIP(value) ? JSON.stringify(value) : null;
const port = (value: unknown): number | null => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
};
const datetime = (value: unknown): string | null => {
  const d = new Date(String(value));
  return typeof value === 'string' && !Number.isNaN(d.getTime()) ? `datetime(${d.toISOString()})` : null;
};
const iso = (value: unknown): string => {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return text.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`;
};

const HOUR = 3_600_000;

/**
 * First and last event time over the tables the logs filled (not the store's file-scan rows, which
 * carry the scan's clock): each table's TimeGenerated, or Defender's Timestamp.
 */
export async function logTimeRange(
  store: Store,
  now: Date,
  tables: string[],
): Promise<{ from: string | null; to: string | null }> {
  let from: string | null = null;
  let to: string | null = null;
  for (const table of tables) {
    const columns = new Set(store.schema(table).columns.map((c) => c.name));
    const column = ['TimeGenerated', 'Timestamp'].find((c) => columns.has(c));
    if (!column) continue;
    const [row] = await run(store, `${table} | summarize From = min(${column}), To = max(${column})`, now);
    if (row?.From === null || row?.From === undefined) continue;
    const [lo, hi] = [iso(row.From), iso(row.To)];
    if (from === null || lo < from) from = lo;
    if (to === null || hi > to) to = hi;
  }
  return { from, to };
}

export interface PortBin {
  time: string;
  port: string;
  events: number;
}

/** Destination ports per hour (per day past a week of data), for the top `top` ports by events. */
export async function portsPerHour(
  store: Store,
  now: Date,
  range: { from: string | null; to: string | null },
  top = 5,
): Promise<Series<PortBin>> {
  const span = range.from && range.to ? Date.parse(range.to) - Date.parse(range.from) : 0;
  const bin = span > 7 * 24 * HOUR ? '1d' : '1h';
  const ranked = await run(
    store,
    `_Im_NetworkSession | where DstPortNumber > 0 | summarize Events = count() by DstPortNumber | top ${top} by Events desc`,
    now,
  );
  const ports = ranked.map((r) => port(r.DstPortNumber)).filter((p): p is number => p !== null);
  if (!ports.length) return { kql: '', rows: [] };
  const kql = [
    `let top_ports = dynamic([${ports.join(', ')}]);`,
    '_Im_NetworkSession',
    // every other port in one 'other' series, so the chart's total is the whole traffic
    `| extend Port = iff(DstPortNumber in (top_ports), tostring(DstPortNumber), 'other')`,
    `| summarize Events = count() by Time = bin(TimeGenerated, ${bin}), Port`,
    '| order by Time asc',
  ].join('\n');
  const rows = await run(store, kql, now);
  return {
    kql,
    rows: rows.map((r) => ({ time: iso(r.Time), port: String(r.Port), events: Number(r.Events) })),
  };
}

export interface MinuteBin {
  time: string;
  connections: number;
}

/** Connections per minute from one source to one target, from 30 minutes before to 30 after the flood. */
export async function floodPerMinute(
  store: Store,
  now: Date,
  source: unknown,
  target: unknown,
  first: unknown,
  last: unknown,
): Promise<(Series<MinuteBin> & { window: [Date, Date] }) | null> {
  const [src, dst] = [ip(source), ip(target)];
  const [from, to] = [datetime(first), datetime(last)];
  if (!src || !dst || !from || !to) return null;
  const kql = [
    '_Im_NetworkSession',
    `| where SrcIpAddr == ${src} and DstIpAddr == ${dst}`,
    `| where TimeGenerated between ((${from} - 30m) .. (${to} + 30m))`,
    '| summarize Connections = count() by Minute = bin(TimeGenerated, 1m)',
    '| order by Minute asc',
  ].join('\n');
  const rows = await run(store, kql, now);
  const margin = 30 * 60_000;
  return {
    kql,
    rows: rows.map((r) => ({ time: iso(r.Minute), connections: Number(r.Connections) })),
    window: [new Date(Date.parse(String(first)) - margin), new Date(Date.parse(String(last)) + margin)],
  };
}

/** Seconds between successive connections of one source to one ip:port (the first 5,000). */
export async function beaconGaps(
  store: Store,
  now: Date,
  source: unknown,
  target: unknown,
  targetPort: unknown,
): Promise<Series<{ gap: number }> | null> {
  const [src, dst, p] = [ip(source), ip(target), port(targetPort)];
  if (!src || !dst || p === null) return null;
  const kql = [
    '_Im_NetworkSession',
    `| where SrcIpAddr == ${src} and DstIpAddr == ${dst} and DstPortNumber == ${p}`,
    '| project TimeGenerated',
    '| order by TimeGenerated asc',
    '| take 5000',
  ].join('\n');
  const times = (await run(store, kql, now)).map((r) => Date.parse(iso(r.TimeGenerated)));
  const rows = times.slice(1).map((t, i) => ({ gap: (t - times[i]) / 1000 }));
  return { kql, rows };
}

export interface Probe {
  time: string;
  target: string;
  /** The target as a 32-bit number: the y of the address-step plot. */
  address: number;
}

function ipv4Number(text: string): number | null {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return null;
  return ((parts[0] * 256 + parts[1]) * 256 + parts[2]) * 256 + parts[3];
}

/** A crawler's targets on one port in the order it first probed them (the first 2,000). */
export async function crawlProbes(
  store: Store,
  now: Date,
  source: unknown,
  targetPort: unknown,
): Promise<Series<Probe> | null> {
  const [src, p] = [ip(source), port(targetPort)];
  if (!src || p === null) return null;
  const kql = [
    '_Im_NetworkSession',
    `| where SrcIpAddr == ${src} and DstPortNumber == ${p}`,
    '| summarize FirstProbe = min(TimeGenerated) by DstIpAddr',
    '| order by FirstProbe asc',
    '| take 2000',
  ].join('\n');
  const rows = (await run(store, kql, now)).flatMap((r) => {
    const address = ipv4Number(String(r.DstIpAddr));
    return address === null ? [] : [{ time: iso(r.FirstProbe), target: String(r.DstIpAddr), address }];
  });
  return { kql, rows };
}
