/**
 * A hunt run reading its large indicator lists in place from the intel store: the store is attached
 * read-only and its precomputed `intel_lists` (hunt-lists.ts) shows as the TelltaleIntelList view, so
 * binding a million-value list costs a count, not a copy (the run's cost stays flat in the number of
 * indicators). The copy path (copyMatchableIndicators) remains for what this cannot answer: warning-listed
 * indicators on request, a clock earlier than the store's last sync, and queries that read
 * ThreatIntelligenceIndicator itself.
 */
import { existsSync } from 'node:fs';
import { sqlString, type Store } from '../store/db.js';
import { HUNT_LISTS } from './hunt-lists.js';
import { ACTIVE_SQL, INTEL_LIST_TABLE, NOT_EXPIRED_SQL } from './list-values.js';
import { activeSql, IntelStore, TABLE } from './store.js';
import { TI_TABLE } from './ti-select.js';

const ALIAS = 'telltale_intel_lists';

export interface AttachedIntelLists {
  /** TI IndicatorIds of store indicators the run holds itself (the run's copy wins over the store's). */
  skipIds: string[];
  /** Matchable indicators in the store at the run's clock. */
  matchable: number;
  detach(): Promise<void>;
}

export async function attachIntelLists(
  target: Store,
  path: string,
  now: Date,
  options: { includeWarninglisted?: boolean; skipKeys?: readonly string[] } = {},
): Promise<AttachedIntelLists | undefined> {
  if (options.includeWarninglisted) return undefined; // the lists leave warning-listed values out
  const detach = async () => {
    await target.run(`DROP VIEW IF EXISTS temp.${INTEL_LIST_TABLE}`);
    await target.run(`DETACH ${ALIAS}`);
  };
  if (!(await attachCurrent(target, path))) {
    (await IntelStore.open(path)).close(); // creates the store, or brings an older one up to date
    await target.run(`ATTACH ${sqlString(path)} AS ${ALIAS} (READ_ONLY)`);
  }
  try {
    const at = now.toISOString().replace('Z', '');
    // rows synced after the clock (a replay of the past) say Active for a later time: copy path
    const [later] = await target.query(
      `SELECT count(*) AS n FROM ${ALIAS}.${TI_TABLE} WHERE TimeGenerated > ?::TIMESTAMP`,
      [at],
    );
    if (Number(later?.n)) {
      await detach();
      return undefined;
    }
    // a temporary view shadows the empty table of the same name for this connection
    await target.run(
      `CREATE OR REPLACE TEMP VIEW ${INTEL_LIST_TABLE} AS SELECT kind AS Kind, value AS Value, threat_type AS ThreatType, ` +
        `confidence AS ConfidenceScore, expires AS ExpirationDateTime, indicator_id AS IndicatorId, NULL::VARCHAR AS _Source FROM ${ALIAS}.${HUNT_LISTS}`,
    );
    // the run's own copy of an indicator wins: its store twin (if any, and matchable) is left out
    const keys = options.skipKeys ?? [];
    const twins = keys.length
      ? await target.query(
          `SELECT upper(sha256(key)) AS id FROM ${ALIAS}.${TABLE} WHERE key IN (${keys.map(sqlString).join(', ')}) AND ${activeSql(false)}`,
          [at],
        )
      : [];
    const skipIds = twins.map((r) => String(r.id));
    // counted from two narrow columns, not a million IndicatorIds
    const [matchable] = await target.query(
      `SELECT count(*) AS n FROM ${ALIAS}.${TI_TABLE} WHERE ${ACTIVE_SQL} AND ${NOT_EXPIRED_SQL}`,
      [at],
    );
    return { skipIds, matchable: Number(matchable?.n ?? 0) - skipIds.length, detach };
  } catch (err) {
    await detach();
    throw err;
  }
}

/** Attaches the store read-only if it exists and already holds its lists (opening it for writing costs ~0.1 s). */
async function attachCurrent(target: Store, path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  await target.run(`ATTACH ${sqlString(path)} AS ${ALIAS} (READ_ONLY)`);
  const [row] = await target.query(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = ? AND table_name = ?`,
    [ALIAS, HUNT_LISTS],
  );
  if (Number(row?.n)) return true;
  await target.run(`DETACH ${ALIAS}`);
  return false;
}
