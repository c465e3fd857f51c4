/**
 * The run's time window over ingested telemetry. Logs on disk are history: by default a hunt sees all
 * of them; `--since` / `--until` narrow every table at once by shadowing each one with a TEMP VIEW of
 * the same name (DuckDB resolves the temp catalog first), so the KQL translator and the hunts need no
 * change and a persistent `--db` is never modified.
 */
import { quoteIdent, type Store } from '../store/db.js';
import { TI_TABLE } from '../intel/ti-select.js';
import { TI_STIX_TABLE } from '../intel/ti-indicators.js';
import { FILE_SCAN_TABLE } from '../scan/rows.js';

export interface TimeWindow {
  since?: Date;
  /** Inclusive: the replay clock's own instant is part of its tile. */
  until?: Date;
}

/** `coalesce(TimeGenerated, Timestamp)` for a table, or null when it has neither (never narrowed). */
function timeExpr(store: Store, table: string): string | null {
  const names = new Set(store.schema(table).columns.map((c) => c.name));
  const cols = ['TimeGenerated', 'Timestamp'].filter((c) => names.has(c)).map(quoteIdent);
  if (cols.length === 0) return null;
  return cols.length === 1 ? cols[0] : `coalesce(${cols.join(', ')})`;
}

/**
 * The telemetry tables that hold rows. Indicators are reference data, and file-scan rows are stamped
 * with the time of the scan: neither is an event of the logs, so neither moves the data's clock. With every
 * Sentinel/Defender schema created up front, most tables are empty: skipping them keeps the views and
 * the time-range queries small.
 */
async function eventTables(store: Store): Promise<string[]> {
  const filled = await store.filledTables();
  const reference = new Set([TI_TABLE, TI_STIX_TABLE, FILE_SCAN_TABLE]);
  return [...store.schemas.keys()].filter(
    (t) => !reference.has(t) && filled.has(t) && timeExpr(store, t) !== null,
  );
}

const ts = (d: Date) => d.toISOString().replace('Z', '');

/** Drops the shadowing views: every table reads its full content again. */
export async function clearWindow(store: Store): Promise<void> {
  const views = await store.query(`SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal`);
  for (const { view_name } of views)
    if (store.schemas.has(String(view_name)))
      await store.run(`DROP VIEW IF EXISTS temp.main.${quoteIdent(String(view_name))}`);
}

/** Creates (or replaces) the shadowing views; returns a function that drops them again. */
export async function narrowToWindow(store: Store, window: TimeWindow): Promise<() => Promise<void>> {
  if (!window.since && !window.until) return async () => {};
  const [{ db }] = await store.query('SELECT current_database() AS db');
  for (const table of await eventTables(store)) {
    const time = timeExpr(store, table)!;
    const clauses = [
      window.since && `${time} >= '${ts(window.since)}'::TIMESTAMP`,
      window.until && `${time} <= '${ts(window.until)}'::TIMESTAMP`,
    ];
    await store.run(
      `CREATE OR REPLACE TEMP VIEW ${quoteIdent(table)} AS SELECT * FROM ${quoteIdent(String(db))}.main.${quoteIdent(table)} WHERE ${clauses.filter(Boolean).join(' AND ')}`,
    );
  }
  return () => clearWindow(store);
}

/** One SQL relation `t` with the event time of every row of every telemetry table (through the window). */
async function allEventTimes(store: Store): Promise<string> {
  const tables = await eventTables(store);
  if (tables.length === 0) return 'SELECT NULL::TIMESTAMP AS t';
  return tables
    .map((table) => `SELECT ${timeExpr(store, table)} AS t FROM ${quoteIdent(table)}`)
    .join(' UNION ALL ');
}

/** Event times later than the wall clock plus this much skew are outliers (a forged `rt=Dec 31 9999`). */
export const FUTURE_SKEW_MS = 24 * 3600 * 1000;

/**
 * Earliest and latest event time in the (windowed) store; nulls when there are no timed events. Events
 * dated after `wall + FUTURE_SKEW_MS` cannot be genuine: they are counted as `outliers` (with the latest
 * of them) and do not move the replay clock, so one forged line cannot push an incident out of every
 * lookback.
 */
export async function dataTimeRange(
  store: Store,
  wall: Date = new Date(),
): Promise<{ min: Date | null; max: Date | null; outliers: number; latestOutlier: Date | null }> {
  const cutoff = ts(new Date(wall.getTime() + FUTURE_SKEW_MS));
  const [row] = await store.query(
    `SELECT min(t) AS lo, max(t) FILTER (WHERE t <= ?::TIMESTAMP) AS hi,
            count(*) FILTER (WHERE t > ?::TIMESTAMP) AS n, max(t) AS top
     FROM (${await allEventTimes(store)})`,
    [cutoff, cutoff],
  );
  const date = (v: unknown) => (typeof v === 'string' ? new Date(v.endsWith('Z') ? v : `${v}Z`) : null);
  const outliers = Number(row?.n ?? 0);
  return {
    min: date(row?.lo),
    max: date(row?.hi),
    outliers,
    latestOutlier: outliers ? date(row?.top) : null,
  };
}

/**
 * The indices k of the lookback tiles (end - (k+1)·L, end - k·L] that hold at least one event, most
 * recent first: a hunt replayed at clock end - k·L, with the data cut at that clock, covers tile k.
 */
export async function occupiedTiles(store: Store, end: Date, lookbackMs: number): Promise<number[]> {
  const rows = await store.query(
    `SELECT DISTINCT CAST(floor((epoch_ms(?::TIMESTAMP) - epoch_ms(t)) / ?) AS BIGINT) AS k
     FROM (${await allEventTimes(store)}) WHERE t IS NOT NULL AND t <= ?::TIMESTAMP ORDER BY k`,
    [ts(end), lookbackMs, ts(end)],
  );
  return rows.map((r) => Number(r.k)).filter((k) => k >= 0);
}
