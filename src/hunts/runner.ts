/**
 * Runs hunts against the store: bind IOC lists, attach exclusions, pick the clock(s), translate KQL,
 * execute, split suppressed rows off, group rows into findings.
 *
 * The clock: `--now` if given (one run, Sentinel's semantics exactly). Otherwise the end of the data
 * (`--until`, else the latest event), and a hunt with Sentinel-style `ago()` lookbacks is replayed once
 * per lookback-sized tile of the logs that holds events, each time with the data cut at that tile's
 * clock — the scheduled query, re-run over history.
 */
import { runKql } from '../kql/index.js';
import type { Store } from '../store/db.js';
import type { Row } from '../store/coerce.js';
import { findingsFromRows, type Finding } from './findings.js';
import { bindIndicatorLists } from './indicator-lists.js';
import type { Hunt } from './model.js';
import type { Exclusion } from './exclusions/model.js';
import { applicableExclusions, splitExcluded, withExclusionColumn } from './exclusions/apply.js';
import { queryLookbackMs } from './lookback.js';
import { labelResearchScanners } from './research-scanners.js';
import { parsers } from '../asim/parsers.js';
import { asimVendors } from '../asim/presence.js';
import { RunParsers } from './run-parsers.js';
import { clearWindow, dataTimeRange, narrowToWindow, occupiedTiles, type TimeWindow } from './window.js';

/** More replays than this (an `ago(1m)` hunt over months of logs) are cut to the most recent ones. */
export const MAX_REPLAYS = 2000;

export interface RunOptions {
  /** Explicit clock (`--now`): one run at it. */
  now?: Date;
  /** Clock for indicator and exclusion expiry (default: `now`, else the end of the data). */
  intelNow?: Date;
  window?: TimeWindow;
  minConfidence?: number;
  exclusions?: Exclusion[];
  /** Evidence rows per finding (default 5). */
  evidence?: number | 'all';
  /** The intel store's lists are attached (intel/attach-lists.ts): bind large lists to them. */
  intelLists?: { skipIds: readonly string[] };
  /** Sentinel watchlist exports for `_GetWatchlist('alias')`: DIR/alias.csv. */
  watchlistsDir?: string;
  /** Store the ASIM parser tables several hunts read once per run (default true; run-parsers.ts). */
  shareParserTables?: boolean;
}

export interface HuntRun {
  hunt: Hunt;
  rows: number;
  findings: Finding[];
  /** Findings an exclusion suppressed, each with `suppressedBy`. */
  suppressed: Finding[];
  /** How many times the query ran (lookback replays), and the last clock it ran at. */
  replays: number;
  clock: string | null;
  ms: number;
  /** CPU time of the process while the hunt ran (DuckDB's threads included), and of its coverage counts. */
  cpuMs: number;
  coverageMs: number;
  error?: string;
  /** The tables the hunt needs (its requiredDataConnectors) and the rows each held in the run's window. */
  coverage: TableCoverage[];
}

export interface TableCoverage {
  table: string;
  /** Rows in the window; null when the table (or ASIM parser) could not be counted. */
  rows: number | null;
  /** For an ASIM parser: rows per source product (Zeek, a firewall, Defender…), so a hunt says which sources it read. */
  sources?: Record<string, number>;
}

async function countTable(
  store: Store,
  table: string,
  ctx: RunContext,
): Promise<Omit<TableCoverage, 'table'>> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) return { rows: null };
  try {
    // an ASIM parser's rows are counted per source product
    if (!parsers(store.schemas).functions.has(table))
      return { rows: Number((await runKql(store, `${table} | count`)).rows[0]?.Count ?? 0) };
    const bySource = await runKql(store, `${table} | summarize Rows = count() by EventProduct`, {
      asimVendors: ctx.vendors,
      asimTables: ctx.parsers.current(ctx.window),
    });
    // by name: the groups come in no fixed order
    const sources: Record<string, number> = {};
    const byName = bySource.rows.map((row) => [String(row.EventProduct ?? ''), Number(row.Rows)] as const);
    for (const [name, rows] of byName.sort(([a], [b]) => a.localeCompare(b))) sources[name] = rows;
    return { rows: Object.values(sources).reduce((sum, n) => sum + n, 0), sources };
  } catch {
    return { rows: null };
  }
}

/** Rows per required table, counted once per run through KQL (so ASIM parsers count as Sentinel's do). */
async function tableCoverage(store: Store, tables: string[], ctx: RunContext) {
  const cache = ctx.counts;
  const coverage: TableCoverage[] = [];
  for (const table of tables) {
    if (!cache.has(table)) cache.set(table, await countTable(store, table, ctx));
    coverage.push({ table, ...cache.get(table)! });
  }
  return coverage;
}

interface RunContext extends RunOptions {
  /** Row counts of required tables, shared by the run's hunts. */
  counts: Map<string, Omit<TableCoverage, 'table'>>;
  /** The CommonSecurityLog vendors in the store, asked once (the ASIM parsers skip absent sources). */
  vendors: ReadonlySet<string> | undefined;
  /** The ASIM parser tables several hunts read, stored once (run-parsers.ts). */
  parsers: RunParsers;
  intelNow: Date;
  window: TimeWindow;
  end: Date;
}

function rowKey(row: Row): string {
  return JSON.stringify(row);
}

async function clocksFor(
  store: Store,
  hunt: Hunt,
  query: string,
  ctx: RunContext,
): Promise<{ clocks: Date[]; narrow: boolean }> {
  if (ctx.now) return { clocks: [ctx.now], narrow: false };
  const tile = hunt.queryFrequencyMs ?? queryLookbackMs(query);
  if (tile === null) return { clocks: [ctx.end], narrow: false };
  // tiles end on multiples of their size (midnight for 1d), so fixed bins inside them are never split
  const end = new Date(Math.ceil(ctx.end.getTime() / tile) * tile);
  const tiles = (await occupiedTiles(store, end, tile)).slice(0, MAX_REPLAYS);
  return { clocks: tiles.map((k) => new Date(end.getTime() - k * tile)), narrow: true };
}

async function execute(
  store: Store,
  hunt: Hunt,
  query: string,
  ctx: RunContext,
): Promise<{ rows: Row[]; replays: number; clock: Date | null }> {
  const { clocks, narrow } = await clocksFor(store, hunt, query, ctx);
  const seen = new Set<string>();
  const rows: Row[] = [];
  try {
    for (const clock of clocks) {
      const window = narrow ? { since: ctx.window.since, until: clock } : ctx.window;
      if (narrow) await narrowToWindow(store, window);
      // a hunt replayed over many tiles reads the parsers' SQL: one stored copy per tile would cost more
      const asimTables = clocks.length === 1 ? await ctx.parsers.tables(window) : undefined;
      const options = { now: clock, watchlistsDir: ctx.watchlistsDir, asimVendors: ctx.vendors, asimTables };
      for (const row of (await runKql(store, query, options)).rows) {
        const key = rowKey(row);
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push(row);
      }
    }
  } finally {
    if (narrow) {
      await clearWindow(store);
      await narrowToWindow(store, ctx.window);
    }
  }
  return { rows, replays: clocks.length, clock: clocks[0] ?? null };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

type HuntOutcome = Omit<HuntRun, 'ms' | 'cpuMs' | 'coverageMs' | 'coverage'>;

export async function runHunt(store: Store, hunt: Hunt, ctx: RunContext): Promise<HuntRun> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await huntOutcome(store, hunt, ctx);
  // counted after the query: an ASIM parser it stored for the run's window (run-parsers.ts) is counted
  // from that copy, not through the parser's SQL again
  const counting = performance.now();
  const coverage = await tableCoverage(store, hunt.requiredTables, ctx);
  return {
    ...outcome,
    ms: performance.now() - started,
    cpuMs: cpuMsSince(cpu),
    coverageMs: performance.now() - counting,
    coverage,
  };
}

async function huntOutcome(store: Store, hunt: Hunt, ctx: RunContext): Promise<HuntOutcome> {
  const base = {
    huntId: hunt.key,
    title: hunt.name,
    severity: hunt.severity,
    description: hunt.description,
    techniques: hunt.relevantTechniques,
  };
  const group = { severityColumn: hunt.severityColumn, groupBy: hunt.groupBy, evidence: ctx.evidence ?? 5 };
  try {
    const bound = await bindIndicatorLists(store, hunt, {
      now: ctx.intelNow,
      minConfidence: ctx.minConfidence,
      intelLists: ctx.intelLists,
    });
    const applicable = applicableExclusions(bound, hunt, ctx.exclusions ?? [], {
      schemas: store.schemas,
      now: ctx.intelNow,
    });
    const { rows, replays, clock } = await execute(
      store,
      hunt,
      withExclusionColumn(bound, applicable.exclusions),
      ctx,
    );
    const { kept, suppressed } = splitExcluded(rows);
    const findings = findingsFromRows(kept, base, hunt.entityMappings, group);
    const suppressedFindings = [...suppressed].flatMap(([by, excluded]) =>
      findingsFromRows(excluded, base, hunt.entityMappings, group).map((f) => ({
        ...f,
        title: `${f.title} [suppressed by ${by}]`,
        suppressedBy: by,
      })),
    );
    return {
      hunt,
      rows: rows.length,
      findings: hunt.labelResearchScanners ? labelResearchScanners(findings) : findings,
      suppressed: suppressedFindings,
      replays,
      clock: clock?.toISOString() ?? null,
      error: applicable.errors.length ? applicable.errors.join('; ') : undefined,
    };
  } catch (err) {
    return {
      hunt,
      rows: 0,
      findings: [],
      suppressed: [],
      replays: 0,
      clock: null,
      error: `${hunt.file}: ${(err as Error).message}`,
    };
  }
}

/** Hunts run one after another: DuckDB parallelises each query across the cores already. */
export async function runHunts(store: Store, hunts: Hunt[], options: RunOptions = {}): Promise<HuntRun[]> {
  const window = options.window ?? {};
  const restore = await narrowToWindow(store, window);
  try {
    const range = await dataTimeRange(store);
    const end = window.until ?? range.max ?? options.now ?? new Date();
    // indicators are judged at the clock the hunt runs at: replayed over last month's logs, an indicator
    // that was active then still matches (a bundled or --intel feed ages out of live hunting, not of replay)
    const intelNow = options.intelNow ?? options.now ?? end;
    const vendors = await asimVendors(store);
    const parsers = new RunParsers(store, options.shareParserTables === false ? [] : hunts, vendors);
    const ctx: RunContext = { ...options, intelNow, window, end, counts: new Map(), vendors, parsers };
    try {
      const runs: HuntRun[] = [];
      for (const hunt of hunts) runs.push(await runHunt(store, hunt, ctx));
      return runs;
    } finally {
      await parsers.release();
    }
  } finally {
    await restore();
  }
}
