/**
 * The intel store's precomputed hunt lists (`intel_lists`): every matchable value of every list type a
 * hunt can bind (list-values.ts), one row per indicator and type, with what a run still has to test —
 * threat type, confidence, expiry. Kept in step with the store's ThreatIntelligenceIndicator rows at
 * import, so a hunt reads its lists straight from the attached store (a filtered scan) instead of
 * copying and deduplicating a million indicators on every run.
 */
import type { Store } from '../store/db.js';
import { IP_TYPES, isRoutableIp, surelyRoutableSql, VALUE_SQL } from './list-values.js';
import { TI_TABLE } from './ti-table.js';

export const HUNT_LISTS = 'intel_lists';

export async function createHuntListsTable(store: Store): Promise<boolean> {
  const [row] = await store.query(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${HUNT_LISTS}'`,
  );
  if (Number(row?.n)) return false;
  await store.run(
    `CREATE TABLE ${HUNT_LISTS} (kind VARCHAR, value VARCHAR, threat_type VARCHAR, confidence INTEGER, ` +
      `expires TIMESTAMP, indicator_id VARCHAR)`,
  );
  return true;
}

/**
 * Rewrites the list rows of the TI rows whose IndicatorId `ids` (a SQL subquery) selects, or of all of
 * them. Only Active rows (matchable at their sync clock: not revoked, switched off, warning-listed or
 * expired) give values; addresses that are not global unicast never do.
 */
export async function refreshHuntLists(store: Store, ids?: string, params: unknown[] = []): Promise<void> {
  const only = ids ? `AND IndicatorId IN (${ids})` : '';
  await store.run(
    ids ? `DELETE FROM ${HUNT_LISTS} WHERE indicator_id IN (${ids})` : `DELETE FROM ${HUNT_LISTS}`,
    ids ? params : [],
  );
  // one scan of the TI rows: each row gives a (kind, value) per list type, NULL where it is not of it
  const kinds = Object.entries(VALUE_SQL)
    .map(([kind, expr]) => `{'kind': '${kind}', 'value': ${expr}}`)
    .join(', ');
  await store.run(
    `INSERT INTO ${HUNT_LISTS} SELECT l.kind, l.value, ThreatType, ConfidenceScore, ExpirationDateTime, IndicatorId ` +
      `FROM (SELECT *, unnest([${kinds}]) AS l FROM ${TI_TABLE} WHERE coalesce(Active, false) ${only}) WHERE l.value IS NOT NULL`,
    ids ? params : [],
  );
  // addresses SQL cannot clear (IPv6, odd spellings) are decided in JS: few values
  const ipKinds = [...IP_TYPES].map((k) => `'${k}'`).join(', ');
  const undecided = await store.query(
    `SELECT DISTINCT value FROM ${HUNT_LISTS} WHERE kind IN (${ipKinds}) AND NOT ${surelyRoutableSql('value')} ` +
      (ids ? `AND indicator_id IN (${ids})` : ''),
    ids ? params : [],
  );
  const drop = undecided.map((r) => String(r.value)).filter((v) => !isRoutableIp(v));
  if (drop.length)
    await store.run(
      `DELETE FROM ${HUNT_LISTS} WHERE kind IN (${ipKinds}) AND list_contains(CAST(?::JSON AS VARCHAR[]), value)`,
      [JSON.stringify(drop)],
    );
}

/** Drops the list rows of removed indicators (`ids`, a SQL subquery of IndicatorIds). */
export async function dropHuntLists(store: Store, ids: string, params: unknown[] = []): Promise<void> {
  await store.run(`DELETE FROM ${HUNT_LISTS} WHERE indicator_id IN (${ids})`, params);
}
