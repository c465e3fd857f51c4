/**
 * The intel store's precomputed hunt lists (`intel_lists`): every matchable value of every list type a
 * hunt can bind (list-values.ts), one row per indicator and type, with what a run still has to test —
 * threat type, confidence, expiry. Kept in step with the store's ThreatIntelligenceIndicator rows at
 * import, so a hunt reads its lists straight from the attached store (a filtered scan) instead of
 * copying and deduplicating a million indicators on every run.
 */
import type { Store } from '../store/db.js';
import { ipKindSql, listRowsSql, routableSplit } from './list-values.js';
import { TI_TABLE } from './ti-select.js';

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
 * them (list-values.ts: only Active rows give values; addresses that are not global unicast never do).
 */
export async function refreshHuntLists(store: Store, ids?: string, params: unknown[] = []): Promise<void> {
  const p = ids ? params : [];
  const mine = ids ? ` WHERE indicator_id IN (${ids})` : '';
  await store.run(`DELETE FROM ${HUNT_LISTS}${mine}`, p);
  // one scan of the TI rows: each row gives a (kind, value) per list type it has a value for
  await store.run(
    `INSERT INTO ${HUNT_LISTS} ${listRowsSql(TI_TABLE, { where: ids && `IndicatorId IN (${ids})` })}`,
    p,
  );
  const rows = `SELECT kind AS Kind, value AS Value FROM ${HUNT_LISTS}${mine}`;
  const { unroutable } = await routableSplit(store, rows, p);
  if (unroutable.length)
    await store.run(
      `DELETE FROM ${HUNT_LISTS} WHERE ${ipKindSql('kind')} AND list_contains(CAST(?::JSON AS VARCHAR[]), value)`,
      [JSON.stringify(unroutable)],
    );
}

/** Drops the list rows of removed indicators (`ids`, a SQL subquery of IndicatorIds). */
export async function dropHuntLists(store: Store, ids: string, params: unknown[] = []): Promise<void> {
  await store.run(`DELETE FROM ${HUNT_LISTS} WHERE indicator_id IN (${ids})`, params);
}
