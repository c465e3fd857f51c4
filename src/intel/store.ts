/**
 * The persistent intel store: one DuckDB file holding every indicator ever imported, with provenance,
 * lifecycle and sightings (`intel_indicators`), plus Sentinel's ThreatIntelligenceIndicator table kept
 * in step, so `telltale kql --db` and TI-map hunts run on it directly. Re-importing is idempotent: an
 * upsert merges dates (earliest first seen, latest last seen), confidence (highest), tags and sources
 * (union); only `lastImported` moves. Expired, revoked and warning-listed indicators stay but stop
 * matching. Writes go through NDJSON staging (DuckDB types it at ~1M rows/s) inside one transaction,
 * so a failed import leaves the store as it was.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Store, sqlString } from '../store/db.js';
import type { Row } from '../store/coerce.js';
import { compact, indicatorKey, type Indicator, type IndicatorType } from './model.js';
import { DEFAULT_TTL_DAYS, expiryOf, type TtlDays } from './lifecycle.js';
import { HASH, threatIntelligenceSelect, TI_TABLE } from './ti-select.js';
import { createHuntListsTable, dropHuntLists, refreshHuntLists } from './hunt-lists.js';
import { ACTIVE_SQL, NOT_EXPIRED_SQL } from './list-values.js';

/** `$TELLTALE_INTEL_DB`, else `$XDG_DATA_HOME/telltale/intel.duckdb`, else `~/.local/share/telltale/intel.duckdb`. */
export function defaultIntelDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TELLTALE_INTEL_DB) return env.TELLTALE_INTEL_DB;
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'telltale', 'intel.duckdb');
}

export interface StoredIndicator extends Indicator {
  key: string;
  /** Every source that listed it. */
  sources: string[];
  firstImported: string;
  lastImported: string;
  sightings: number;
  lastSighted?: string;
}

export interface IntelFilter {
  types?: IndicatorType[];
  /** Malware family: display name, machine id or alias, case-insensitive. */
  family?: string;
  source?: string;
  minConfidence?: number;
  /** true: only matchable at `now`; false: only not matchable (expired, revoked, inactive, warning-listed). */
  active?: boolean;
  sighted?: boolean;
  /** Exact values (`1.2.3.4`, `1.2.3.4:80`, a domain, a hash). */
  values?: string[];
  /** Keep warning-listed indicators among the active ones (default: they are never active). */
  includeWarninglisted?: boolean;
  /** true: only warning-listed; false: never warning-listed (exports). */
  warninglisted?: boolean;
  limit?: number;
}

export interface UpsertOptions {
  now?: Date;
  ttl?: Readonly<TtlDays>;
}

// Column → DuckDB type; also the NDJSON staging spec. Lists stay lists (DuckDB VARCHAR[]).
const COLUMNS: Array<[string, string]> = [
  ['key', 'VARCHAR'],
  ['type', 'VARCHAR'],
  ['value', 'VARCHAR'],
  ['port', 'INTEGER'],
  ['threat_type', 'VARCHAR'],
  ['malware', 'VARCHAR'],
  ['malware_id', 'VARCHAR'],
  ['malware_aliases', 'VARCHAR[]'],
  ['confidence', 'DOUBLE'],
  ['first_seen', 'TIMESTAMP'],
  ['last_seen', 'TIMESTAMP'],
  ['expires', 'TIMESTAMP'],
  ['source', 'VARCHAR'],
  ['sources', 'VARCHAR[]'],
  ['reference', 'VARCHAR'],
  ['reporter', 'VARCHAR'],
  ['tags', 'VARCHAR[]'],
  ['context', 'VARCHAR'],
  ['external_id', 'VARCHAR'],
  ['origin', 'VARCHAR'],
  ['active', 'BOOLEAN'],
  ['revoked', 'BOOLEAN'],
  ['warninglists', 'VARCHAR[]'],
  ['first_imported', 'TIMESTAMP'],
  ['last_imported', 'TIMESTAMP'],
  ['sightings', 'INTEGER'],
  ['last_sighted', 'TIMESTAMP'],
];

export const TABLE = 'intel_indicators';
const STAGE = 'intel_stage';
const STAGE_SPEC: Array<[string, string]> = [...COLUMNS, ['ord', 'BIGINT']];
const SIGHTINGS = 'intel_sightings';
/** Every evidence row already counted as a sighting of an indicator: a re-run on the same logs adds none. */
const SIGHTED_ROWS = 'intel_sighted_rows';
const FEEDS = 'intel_feeds';

// What a re-import does to each column (`t` the stored row, `excluded` the incoming one). Keys,
// first import time, origin and sightings are never touched by an import.
const MERGE: Record<string, string> = {
  threat_type: 'coalesce(t.threat_type, excluded.threat_type)',
  malware: 'coalesce(t.malware, excluded.malware)',
  malware_id: 'coalesce(t.malware_id, excluded.malware_id)',
  malware_aliases: 'list_sort(list_distinct(list_concat(t.malware_aliases, excluded.malware_aliases)))',
  confidence: 'greatest(t.confidence, excluded.confidence)',
  first_seen: 'least(t.first_seen, excluded.first_seen)',
  last_seen: 'greatest(t.last_seen, excluded.last_seen)',
  expires: 'greatest(t.expires, excluded.expires)',
  sources: 'list_sort(list_distinct(list_concat(t.sources, excluded.sources)))',
  reference: 'coalesce(t.reference, excluded.reference)',
  reporter: 'coalesce(t.reporter, excluded.reporter)',
  tags: 'list_sort(list_distinct(list_concat(t.tags, excluded.tags)))',
  context: 'coalesce(t.context, excluded.context)',
  external_id: 'coalesce(t.external_id, excluded.external_id)',
  // Any source still vouching for it keeps it active; a revocation by a source sticks.
  active: 'coalesce(t.active, true) OR coalesce(excluded.active, true)',
  revoked: 'coalesce(t.revoked, false) OR coalesce(excluded.revoked, false)',
  warninglists: 'excluded.warninglists',
  last_imported: 'greatest(t.last_imported, excluded.last_imported)',
};

// Staged rows → one per key, the way `dedupe` (model.ts) merges: the first occurrence's single-valued
// fields, widest dates, highest confidence, unions of lists, active if any row is, revoked if all are.
const FIRST = [
  'threat_type',
  'malware',
  'malware_id',
  'source',
  'reference',
  'reporter',
  'context',
  'external_id',
  'origin',
];
const UNION = ['malware_aliases', 'sources', 'tags'];
const AGGREGATE: Record<string, string> = {
  key: 'key',
  confidence: 'max(confidence)',
  first_seen: 'min(first_seen)',
  last_seen: 'max(last_seen)',
  expires: 'max(expires)',
  active: 'bool_or(coalesce(active, true))',
  revoked: 'bool_and(coalesce(revoked, false))',
  ...Object.fromEntries(FIRST.map((c) => [c, `arg_min(${c}, ord)`])),
  ...Object.fromEntries(
    UNION.map((c) => [
      c,
      `CASE WHEN count(*) = 1 THEN any_value(${c}) ELSE list_sort(list_distinct(flatten(list(${c})))) END`,
    ]),
  ),
};
// Everything else (type, value, port, warning lists, import times) is the same on every row of a key.
const DEDUPE = COLUMNS.map(([c]) => `${AGGREGATE[c] ?? `any_value(${c})`} AS ${c}`).join(', ');

const ISO = `'%Y-%m-%dT%H:%M:%S.%gZ'`;
const ts = (d: Date) => d.toISOString().replace('Z', '');
/** The staging format's timestamp (`…T…:ss.mmmZ`) for any date JavaScript reads; else as given (rejected). */
const stagedTime = (v: string | undefined): string | null =>
  v === undefined ? null : Number.isNaN(Date.parse(v)) ? v : new Date(v).toISOString();

function toRow(i: Indicator, now: Date, ttl: Readonly<TtlDays>, ord: number): Row {
  return {
    ord,
    key: indicatorKey(i),
    type: i.type,
    value: i.value,
    port: i.port ?? null,
    threat_type: i.threatType ?? null,
    malware: i.malware ?? null,
    malware_id: i.malwareId ?? null,
    malware_aliases: i.malwareAliases ?? [],
    confidence: i.confidence ?? null,
    first_seen: stagedTime(i.firstSeen),
    last_seen: stagedTime(i.lastSeen),
    expires: stagedTime(expiryOf(i, now, ttl)),
    source: i.source,
    sources: [i.source],
    reference: i.reference ?? null,
    reporter: i.reporter ?? null,
    tags: i.tags ?? [],
    context: i.context ?? null,
    external_id: i.externalId ?? null,
    origin: i.origin ?? null,
    active: i.active ?? null,
    revoked: i.revoked ?? false,
    warninglists: i.warninglists?.length ? i.warninglists : null,
    first_imported: now.toISOString(),
    last_imported: now.toISOString(),
    sightings: 0,
    last_sighted: null,
  };
}

const list = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length ? v.map(String) : undefined);
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function fromRow(r: Row): StoredIndicator {
  return compact({
    key: String(r.key),
    type: r.type as IndicatorType,
    value: String(r.value),
    port: r.port === null ? undefined : Number(r.port),
    threatType: str(r.threat_type),
    malware: str(r.malware),
    malwareId: str(r.malware_id),
    malwareAliases: list(r.malware_aliases),
    confidence: r.confidence === null ? undefined : Number(r.confidence),
    firstSeen: str(r.first_seen),
    lastSeen: str(r.last_seen),
    expires: str(r.expires),
    source: String(r.source),
    sources: list(r.sources) ?? [],
    reference: str(r.reference),
    reporter: str(r.reporter),
    tags: list(r.tags),
    context: str(r.context),
    externalId: str(r.external_id),
    origin: str(r.origin),
    active: r.active === false ? false : undefined,
    revoked: r.revoked === true ? true : undefined,
    warninglists: list(r.warninglists),
    firstImported: String(r.first_imported),
    lastImported: String(r.last_imported),
    sightings: Number(r.sightings ?? 0),
    lastSighted: str(r.last_sighted),
  });
}

/** Not revoked, not switched off by its source. */
const LIVE = 'NOT coalesce(revoked, false) AND coalesce(active, true)';
/** Matchable whenever it has not expired: live and not warning-listed. */
const MATCHABLE = `${LIVE} AND warninglists IS NULL`;

/** SQL for "matchable at ?": not revoked, not switched off, not expired, not warning-listed. */
export function activeSql(includeWarninglisted: boolean): string {
  return `(${includeWarninglisted ? LIVE : MATCHABLE} AND (expires IS NULL OR expires > ?::TIMESTAMP))`;
}

export class IntelStore {
  private constructor(readonly store: Store) {}

  get path(): string {
    return this.store.path;
  }

  /** Opens (creating the file and its folder) the store at `path`, default `defaultIntelDbPath()`. */
  static async open(path: string = defaultIntelDbPath()): Promise<IntelStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const store = await Store.open({ path: path === ':memory:' ? undefined : path });
    // Bounded: a large import spills to disk instead of growing with the file (DuckDB's default is 80% of RAM).
    await store.run(`SET memory_limit = '1GB'`);
    await store.run('SET preserve_insertion_order = false'); // lets large INSERT … SELECTs spill; reads ORDER BY
    // No PRIMARY KEY: upsert keeps keys unique, and an ART index on a million keys costs more than it saves.
    const cols = COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ');
    await store.run(`CREATE TABLE IF NOT EXISTS ${TABLE} (${cols})`);
    await store.run(
      `CREATE TABLE IF NOT EXISTS ${SIGHTINGS} (key VARCHAR, sighted_at TIMESTAMP, count INTEGER, hunts VARCHAR[])`,
    );
    await store.run(`CREATE TABLE IF NOT EXISTS ${SIGHTED_ROWS} (key VARCHAR, row VARCHAR)`);
    await store.run(
      `CREATE TABLE IF NOT EXISTS ${FEEDS} (name VARCHAR PRIMARY KEY, url VARCHAR, etag VARCHAR, last_modified VARCHAR, ` +
        `last_fetch TIMESTAMP, last_status VARCHAR, last_count INTEGER)`,
    );
    const intel = new IntelStore(store);
    if (await createHuntListsTable(store)) await refreshHuntLists(store); // a store from before intel_lists
    await store.run('DROP TABLE IF EXISTS intel_match'); // what intel_lists replaced
    return intel;
  }

  close(): void {
    this.store.close();
  }

  /**
   * Adds or merges indicators; returns how many were new and how many already stored. One
   * transaction: either every indicator is stored (and the TI table updated) or none is.
   */
  async upsert(
    indicators: readonly Indicator[],
    options: UpsertOptions = {},
  ): Promise<{ added: number; updated: number }> {
    if (indicators.length === 0) return { added: 0, updated: 0 };
    const batch = await this.beginImport(options);
    try {
      await batch.add(indicators);
      return await batch.commit();
    } catch (err) {
      await batch.abort();
      throw err;
    }
  }

  /**
   * Starts one import transaction: `add` stages indicators chunk by chunk (a million-row feed never
   * sits in JS at once), `commit` deduplicates the staged rows in SQL and merges them in.
   */
  async beginImport(options: UpsertOptions = {}): Promise<IntelImport> {
    await this.store.run('BEGIN TRANSACTION');
    try {
      await this.store.run(
        `CREATE OR REPLACE TEMP TABLE ${STAGE} (${STAGE_SPEC.map(([n, t]) => `${n} ${t}`).join(', ')})`,
      );
    } catch (err) {
      await this.store.run('ROLLBACK');
      throw err;
    }
    return new IntelImport(this, options.now ?? new Date(), options.ttl ?? DEFAULT_TTL_DAYS);
  }

  /** Merges the staged rows into the store and the TI table (`IntelImport.commit`, in its transaction). */
  async mergeStaged(now: Date): Promise<ImportCounts> {
    // One row per key, merged the way `dedupe` merges (model.ts): the first occurrence's single-valued
    // fields, widest dates, highest confidence, unions of lists, active if any row is. Only repeated keys
    // are aggregated; the rest go through as staged (no per-key aggregate states to hold).
    await this.store.run(
      `CREATE OR REPLACE TEMP TABLE repeated AS SELECT key FROM ${STAGE} GROUP BY key HAVING count(*) > 1`,
    );
    await this.store.run(
      `CREATE OR REPLACE TEMP TABLE staged AS SELECT ${COLUMNS.map(([c]) => c).join(', ')} FROM ${STAGE} ` +
        `WHERE key NOT IN (SELECT key FROM repeated) ` +
        `UNION ALL SELECT ${DEDUPE} FROM ${STAGE} WHERE key IN (SELECT key FROM repeated) GROUP BY key`,
    );
    await this.store.run('DROP TABLE repeated');
    await this.store.run(`DROP TABLE ${STAGE}`);
    const [counts] = await this.store.query(
      `SELECT count(*) AS indicators, count(*) FILTER (WHERE t.key IS NULL) AS added, count(t.key) AS updated, ` +
        `count(*) FILTER (WHERE s.warninglists IS NOT NULL) AS warninglisted FROM staged s LEFT JOIN ${TABLE} t USING (key)`,
    );
    const set = Object.entries(MERGE)
      .map(([c, e]) => `${c} = ${e}`)
      .join(', ');
    // UPDATE + anti-join INSERT rather than ON CONFLICT: two hash joins, ~10× faster on a million rows
    // than DuckDB's per-row conflict path (staged keys are unique: grouped above).
    if (Number(counts!.updated))
      await this.store.run(
        `UPDATE ${TABLE} AS t SET ${set} FROM staged AS excluded WHERE t.key = excluded.key`,
      );
    await this.store.run(
      Number(counts!.updated)
        ? `INSERT INTO ${TABLE} SELECT * FROM staged WHERE key NOT IN (SELECT key FROM ${TABLE})`
        : `INSERT INTO ${TABLE} SELECT * FROM staged`,
    );
    await this.syncThreatIntelligence(
      now,
      'WHERE key IN (SELECT key FROM staged)',
      [],
      !Number(counts!.updated),
    );
    await this.store.run('DROP TABLE staged');
    return {
      indicators: Number(counts!.indicators),
      added: Number(counts!.added),
      updated: Number(counts!.updated),
      warninglisted: Number(counts!.warninglisted),
    };
  }

  /**
   * Rewrites the ThreatIntelligenceIndicator rows of the indicators selected by `where` (all by
   * default) from their merged state; Active there means matchable at `now` (ti-select.ts).
   */
  async syncThreatIntelligence(now: Date, where = '', params: unknown[] = [], fresh = false): Promise<void> {
    // `fresh`: every selected key is new, so there is nothing to delete.
    if (!fresh)
      await this.store.run(
        where
          ? `DELETE FROM ${TI_TABLE} WHERE IndicatorId IN (SELECT upper(sha256(key)) FROM ${TABLE} ${where})`
          : `DELETE FROM ${TI_TABLE}`,
        where ? params : [],
      );
    await this.store.run(
      `INSERT INTO ${TI_TABLE} BY NAME SELECT ${threatIntelligenceSelect(true)} FROM ${TABLE} ${where}`,
      [ts(now), ts(now), ...params],
    );
    await refreshHuntLists(
      this.store,
      where ? `SELECT upper(sha256(key)) FROM ${TABLE} ${where}` : undefined,
      params,
    );
  }

  private where(filter: IntelFilter, now: Date): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (filter.types?.length) {
      clauses.push(`type IN (${filter.types.map(() => '?').join(', ')})`);
      params.push(...filter.types);
    }
    if (filter.family) {
      clauses.push(
        `(lower(malware) = lower(?) OR lower(malware_id) = lower(?) OR list_contains(list_transform(malware_aliases, x -> lower(x)), lower(?)))`,
      );
      params.push(filter.family, filter.family, filter.family);
    }
    if (filter.source) {
      clauses.push(`list_contains(list_transform(sources, x -> lower(x)), lower(?))`);
      params.push(filter.source);
    }
    if (filter.minConfidence !== undefined) {
      clauses.push(`confidence >= ?`);
      params.push(filter.minConfidence);
    }
    if (filter.active !== undefined) {
      clauses.push(
        filter.active
          ? activeSql(!!filter.includeWarninglisted)
          : `NOT ${activeSql(!!filter.includeWarninglisted)}`,
      );
      params.push(ts(now));
    }
    if (filter.sighted) clauses.push('sightings > 0');
    if (filter.warninglisted !== undefined)
      clauses.push(filter.warninglisted ? 'warninglists IS NOT NULL' : 'warninglists IS NULL');
    if (filter.values?.length) {
      clauses.push(
        `(value IN (${filter.values.map(() => '?').join(', ')}) OR (value || ':' || port) IN (${filter.values.map(() => '?').join(', ')}))`,
      );
      params.push(...filter.values, ...filter.values);
    }
    return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  async list(filter: IntelFilter = {}, now: Date = new Date()): Promise<StoredIndicator[]> {
    const out: StoredIndicator[] = [];
    for await (const batch of this.batches(filter, now)) for (const i of batch) out.push(i);
    return out;
  }

  /** What `list` returns, a few thousand at a time: a million indicators never sit in memory as rows. */
  async *batches(filter: IntelFilter = {}, now: Date = new Date()): AsyncGenerator<StoredIndicator[]> {
    const { sql, params } = this.where(filter, now);
    const order = filter.sighted ? 'sightings DESC, last_sighted DESC, type, value' : 'type, value, port';
    const limit = filter.limit ? ` LIMIT ${Math.trunc(filter.limit)}` : '';
    for await (const rows of this.store.queryBatches(
      `SELECT * FROM ${TABLE} ${sql} ORDER BY ${order}${limit}`,
      params,
    ))
      yield rows.map(fromRow);
  }

  /** Indicators a hunt may match at `now` (warning-listed ones only when asked). */
  async activeIndicators(now: Date, includeWarninglisted = false): Promise<StoredIndicator[]> {
    return this.list({ active: true, includeWarninglisted }, now);
  }

  /**
   * The indicators matchable at `now` whose value is one of `values` (case-insensitive): what a run
   * looks up for its evidence and scanned files, instead of reading the whole store.
   */
  async matchableWithValues(
    values: Iterable<string>,
    now: Date,
    includeWarninglisted = false,
  ): Promise<StoredIndicator[]> {
    const wanted = [...new Set([...values].map((v) => v.toLowerCase()))];
    if (wanted.length === 0) return [];
    const list = `[${wanted.map(sqlString).join(', ')}]`;
    const rows = await this.store.query(
      `SELECT * FROM ${TABLE} WHERE lower(value) IN (SELECT unnest(${list})) AND ${activeSql(includeWarninglisted)}`,
      [ts(now)],
    );
    return rows.map(fromRow);
  }

  /** The hash types among the indicators matchable at `now` (which digests a scan must compute). */
  async matchableHashTypes(now: Date, includeWarninglisted = false): Promise<IndicatorType[]> {
    const rows = await this.store.query(
      `SELECT DISTINCT type FROM ${TABLE} WHERE ${HASH} AND ${activeSql(includeWarninglisted)} ORDER BY type`,
      [ts(now)],
    );
    return rows.map((r) => r.type as IndicatorType);
  }

  async count(filter: IntelFilter = {}, now: Date = new Date()): Promise<number> {
    const { sql, params } = this.where(filter, now);
    const [row] = await this.store.query(`SELECT count(*) AS n FROM ${TABLE} ${sql}`, params);
    return Number(row?.n ?? 0);
  }

  /** Deletes (or, with `revoke`, marks revoked) the indicators the filter selects; returns how many. */
  async remove(filter: IntelFilter, options: { revoke?: boolean; now?: Date } = {}): Promise<number> {
    const now = options.now ?? new Date();
    const { sql, params } = this.where(filter, now);
    const n = await this.count(filter, now);
    if (n === 0) return 0;
    await this.store.run('BEGIN TRANSACTION');
    try {
      const keys = `SELECT key FROM ${TABLE} ${sql}`;
      if (options.revoke) {
        await this.store.run(`UPDATE ${TABLE} SET revoked = true WHERE key IN (${keys})`, params);
        await this.syncThreatIntelligence(now, sql, params);
      } else {
        await this.store.run(
          `DELETE FROM ${TI_TABLE} WHERE IndicatorId IN (SELECT upper(sha256(key)) FROM ${TABLE} ${sql})`,
          params,
        );
        await dropHuntLists(this.store, `SELECT upper(sha256(key)) FROM ${TABLE} ${sql}`, params);
        await this.store.run(`DELETE FROM ${SIGHTINGS} WHERE key IN (${keys})`, params);
        await this.store.run(`DELETE FROM ${SIGHTED_ROWS} WHERE key IN (${keys})`, params);
        await this.store.run(`DELETE FROM ${TABLE} WHERE key IN (${keys})`, params);
      }
      await this.store.run('COMMIT');
    } catch (err) {
      await this.store.run('ROLLBACK');
      throw err;
    }
    return n;
  }

  /**
   * Records one hunt run's matches: `rows` maps indicator keys to the ids of the evidence rows that
   * matched them. A row counts once per indicator, ever: rows sighted by an earlier run (the same logs
   * hunted again) add nothing. Adds the new rows to each indicator's sighting count, sets its last
   * sighting, and logs the run. Returns how many indicators had new sightings.
   */
  async recordSightings(
    rows: ReadonlyMap<string, Iterable<string>>,
    at: Date,
    hunts: string[] = [],
  ): Promise<number> {
    if (rows.size === 0) return 0;
    const dir = mkdtempSync(join(tmpdir(), 'telltale-sight-'));
    const file = join(dir, 'sightings.ndjson');
    try {
      const pairs = [...rows].flatMap(([key, ids]) => [...new Set(ids)].map((row) => ({ key, row, hunts })));
      writeNdjson(file, pairs, (pair) => pair);
      const source = ndjsonSource(file, [
        ['key', 'VARCHAR'],
        ['row', 'VARCHAR'],
        ['hunts', 'VARCHAR[]'],
      ]);
      // the pairs of stored indicators not counted before
      const fresh =
        `SELECT s.key, s.row, s.hunts FROM ${source} s WHERE s.key IN (SELECT key FROM ${TABLE}) ` +
        `AND NOT EXISTS (SELECT 1 FROM ${SIGHTED_ROWS} r WHERE r.key = s.key AND r.row = s.row)`;
      await this.store.run('BEGIN TRANSACTION');
      await this.store.run(
        `INSERT INTO ${SIGHTINGS} SELECT key, ?::TIMESTAMP, count(*)::INTEGER, any_value(hunts) FROM (${fresh}) GROUP BY key`,
        [ts(at)],
      );
      await this.store.run(`INSERT INTO ${SIGHTED_ROWS} SELECT key, row FROM (${fresh})`);
      await this.store.run(
        `UPDATE ${TABLE} SET sightings = coalesce(sightings, 0) + s.count, last_sighted = greatest(last_sighted, s.sighted_at) ` +
          `FROM (SELECT key, sum(count)::INTEGER AS count, max(sighted_at) AS sighted_at FROM ${SIGHTINGS} WHERE sighted_at = ?::TIMESTAMP GROUP BY key) s ` +
          `WHERE ${TABLE}.key = s.key`,
        [ts(at)],
      );
      const [row] = await this.store.query(
        `SELECT count(DISTINCT key) AS n FROM ${SIGHTINGS} WHERE sighted_at = ?::TIMESTAMP`,
        [ts(at)],
      );
      await this.store.run('COMMIT');
      return Number(row?.n ?? 0);
    } catch (err) {
      await this.store.run('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The sighting log of one indicator, newest first. */
  async sightingsOf(key: string): Promise<Array<{ sightedAt: string; count: number; hunts: string[] }>> {
    const rows = await this.store.query(`SELECT * FROM ${SIGHTINGS} WHERE key = ? ORDER BY sighted_at DESC`, [
      key,
    ]);
    return rows.map((r) => ({
      sightedAt: String(r.sighted_at),
      count: Number(r.count),
      hunts: list(r.hunts) ?? [],
    }));
  }

  async feedState(name: string): Promise<{ etag?: string; lastModified?: string } | undefined> {
    const [row] = await this.store.query(`SELECT etag, last_modified FROM ${FEEDS} WHERE name = ?`, [name]);
    return row ? compact({ etag: str(row.etag), lastModified: str(row.last_modified) }) : undefined;
  }

  async feeds(): Promise<Row[]> {
    return this.store.query(`SELECT * FROM ${FEEDS} ORDER BY name`);
  }

  async saveFeedState(
    name: string,
    state: { url: string; etag?: string; lastModified?: string; status: string; count?: number; at: Date },
  ): Promise<void> {
    await this.store.run(
      `INSERT INTO ${FEEDS} VALUES (?, ?, ?, ?, ?::TIMESTAMP, ?, ?) ON CONFLICT (name) DO UPDATE SET url = excluded.url, ` +
        `etag = coalesce(excluded.etag, ${FEEDS}.etag), last_modified = coalesce(excluded.last_modified, ${FEEDS}.last_modified), ` +
        `last_fetch = excluded.last_fetch, last_status = excluded.last_status, last_count = excluded.last_count`,
      [
        name,
        state.url,
        state.etag ?? null,
        state.lastModified ?? null,
        ts(state.at),
        state.status,
        state.count ?? null,
      ],
    );
  }
}

/**
 * Copies the indicators of the intel store at `path` that are matchable at `now` into `target`'s
 * ThreatIntelligenceIndicator table in SQL (ATTACH, read-only) — a hunt never reads the store into JS.
 * `skipKeys`: indicators the run already loaded (bundled, `--intel`). Returns the rows copied.
 */
export async function copyMatchableIndicators(
  target: Store,
  path: string,
  now: Date,
  options: { includeWarninglisted?: boolean; skipKeys?: readonly string[] } = {},
): Promise<number> {
  (await IntelStore.open(path)).close(); // creates the store, or brings an older one up to date
  const alias = 'telltale_intel';
  const at = ts(now);
  const keys = options.skipKeys ?? [];
  const skip = (column: string, list: readonly string[]) =>
    list.length ? `AND ${column} NOT IN (${list.map(sqlString).join(', ')})` : '';
  const ids = keys.map((k) => createHash('sha256').update(k).digest('hex').toUpperCase());
  const before = await target.count(TI_TABLE);
  await target.run(`ATTACH ${sqlString(path)} AS ${alias} (READ_ONLY)`);
  try {
    // The store's TI rows are already mapped; each one's Active holds at the clock it was synced at
    // (its TimeGenerated), so for a later `now` it is still matchable iff Active and not yet expired.
    // Rows synced after `now` (a replay with an earlier clock) and warning-listed ones are mapped again.
    const fresh = options.includeWarninglisted ? 'false' : `TimeGenerated <= ?::TIMESTAMP`;
    const params = options.includeWarninglisted ? [] : [at];
    if (!options.includeWarninglisted)
      await target.run(
        `INSERT INTO ${TI_TABLE} BY NAME SELECT * REPLACE (?::TIMESTAMP AS TimeGenerated) FROM ${alias}.${TI_TABLE} ` +
          `WHERE ${fresh} AND ${ACTIVE_SQL} AND ${NOT_EXPIRED_SQL} ${skip('IndicatorId', ids)}`,
        [at, ...params, at],
      );
    const [stale] = await target.query(
      `SELECT count(*) AS n FROM ${alias}.${TI_TABLE} WHERE NOT (${fresh})`,
      params,
    );
    if (Number(stale?.n))
      await target.run(
        `INSERT INTO ${TI_TABLE} BY NAME SELECT ${threatIntelligenceSelect(true)} FROM ${alias}.${TABLE} WHERE ${activeSql(!!options.includeWarninglisted)} ` +
          `${skip('key', keys)} AND upper(sha256(key)) IN (SELECT IndicatorId FROM ${alias}.${TI_TABLE} WHERE NOT (${fresh}))`,
        [at, at, at, ...params],
      );
  } finally {
    await target.run(`DETACH ${alias}`);
  }
  return (await target.count(TI_TABLE)) - before;
}

/** Streams rows to an NDJSON file in chunks (a million rows never sit in one string). */
function writeNdjson<T>(file: string, items: readonly T[], toRow: (item: T, index: number) => unknown): void {
  writeFileSync(file, '');
  for (let k = 0; k < items.length; k += 50_000) {
    const chunk = items.slice(k, k + 50_000).map((i, n) => JSON.stringify(toRow(i, k + n)));
    writeFileSync(file, chunk.join('\n') + '\n', { flag: 'a' });
  }
}

/** DuckDB reading an NDJSON staging file with the given column types (it types ~1M rows/s). */
function ndjsonSource(file: string, columns: ReadonlyArray<[string, string]>): string {
  const spec = columns.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(', ');
  return `read_ndjson(${sqlString(file)}, columns={${spec}}, timestampformat=${ISO}, maximum_object_size=67108864)`;
}

/**
 * Writes a run's own indicators (bundled, `--intel`) to its ThreatIntelligenceIndicator table through the
 * same staging and the same SQL mapping as the store, so a feed matches the same whether it was passed
 * with `--intel` or imported first. Expiry is left to the hunts' clock (a replay). Returns the rows written.
 */
export async function insertThreatIntelligence(
  store: Store,
  indicators: readonly Indicator[],
  now: Date,
): Promise<number> {
  if (indicators.length === 0) return 0;
  const dir = mkdtempSync(join(tmpdir(), 'telltale-ti-'));
  try {
    const file = join(dir, 'indicators.ndjson');
    writeNdjson(file, indicators, (i, k) => toRow(i, now, DEFAULT_TTL_DAYS, k));
    await store.run(
      `INSERT INTO ${TI_TABLE} BY NAME SELECT ${threatIntelligenceSelect(false)} FROM ${ndjsonSource(file, STAGE_SPEC)}`,
      [ts(now)],
    );
    return indicators.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ImportCounts {
  /** Distinct indicators in the import. */
  indicators: number;
  added: number;
  updated: number;
  warninglisted: number;
}

/**
 * One import in progress (`IntelStore.beginImport`): an open transaction and a staging table. `add`
 * stages a chunk (NDJSON → DuckDB), `commit` merges everything staged, `abort` leaves the store as it was.
 */
export class IntelImport {
  private staged = 0;
  private done = false;
  private readonly dir = mkdtempSync(join(tmpdir(), 'telltale-intel-'));

  constructor(
    private readonly intel: IntelStore,
    private readonly now: Date,
    private readonly ttl: Readonly<TtlDays>,
  ) {}

  async add(indicators: readonly Indicator[]): Promise<void> {
    if (indicators.length === 0) return;
    const file = join(this.dir, 'chunk.ndjson');
    const first = this.staged;
    writeNdjson(file, indicators, (i, k) => toRow(i, this.now, this.ttl, first + k));
    this.staged += indicators.length;
    await this.intel.store.run(`INSERT INTO ${STAGE} SELECT * FROM ${ndjsonSource(file, STAGE_SPEC)}`);
  }

  async commit(): Promise<ImportCounts> {
    try {
      const counts = await this.intel.mergeStaged(this.now);
      await this.intel.store.run('COMMIT');
      this.finish();
      return counts;
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.finish();
    await this.intel.store.run('ROLLBACK').catch(() => undefined);
  }

  private finish(): void {
    this.done = true;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
