/**
 * ASIM parser tables stored once per hunt run. Most of the pack reads `_Im_NetworkSession`: through
 * the parser, every hunt maps each source's rows onto the schema again (the Sentinel views' CASTs and
 * CASE arms, `_Source` built per row). A parser table that two or more hunts read is written once, for
 * the fields any of them names, into a temporary table under the run's current time window; the
 * hunts' compilations read it instead (asim/views.ts `StoredParserTables`). Same rows, same answers:
 * a query naming a field the copy lacks, or passing the table through whole, compiles as before.
 */
import { parserTablesRead } from '../asim/prelude.js';
import { parsers } from '../asim/parsers.js';
import { parserTableSql, type StoredParserTables } from '../asim/views.js';
import type { SourcePresence } from '../asim/source.js';
import { quoteIdent, type Store } from '../store/db.js';
import type { Hunt } from './model.js';
import type { TimeWindow } from './window.js';

/** Fields the run reads besides the hunts' own: the coverage count per source (runner.ts). */
const RUN_FIELDS = ['EventProduct'];

interface Plan {
  table: string;
  fields: Set<string>;
}

/** The parser tables two or more hunts read, each with the union of the fields they name. */
function plan(store: Store, hunts: readonly Hunt[]): Plan[] {
  const readers = new Map<string, { hunts: number; fields: Set<string> | undefined }>();
  for (const hunt of hunts) {
    const read = parserTablesRead(hunt.query, store.schemas);
    for (const table of read.tables) {
      const entry = readers.get(table) ?? { hunts: 0, fields: new Set(RUN_FIELDS) };
      entry.hunts++;
      if (!read.fields) entry.fields = undefined;
      else read.fields.forEach((f) => entry.fields?.add(f));
      readers.set(table, entry);
    }
  }
  return [...readers]
    .filter(([, r]) => r.hunts >= 2 && r.fields !== undefined)
    .map(([table, r]) => ({ table, fields: r.fields! }));
}

const windowKey = (w: TimeWindow) => `${w.since?.toISOString() ?? ''}|${w.until?.toISOString() ?? ''}`;

/**
 * The run's stored parser tables, built on first use for a window and rebuilt when the window moves
 * (a replay clock): one copy at a time, dropped by `release`.
 */
export class RunParsers {
  private key: string | undefined;
  private stored: StoredParserTables | undefined;
  private readonly plans: Plan[];
  private readonly built: string[] = [];

  constructor(
    private readonly store: Store,
    hunts: readonly Hunt[],
    private readonly vendors: SourcePresence,
  ) {
    this.plans = plan(store, hunts);
  }

  /** The stored tables if they were built for this window, without building them. */
  current(window: TimeWindow): StoredParserTables | undefined {
    return windowKey(window) === this.key ? this.stored : undefined;
  }

  /**
   * The stored tables for the window the store is narrowed to now (narrowToWindow); undefined when
   * none is worth storing, or storing failed (the hunts then read the parsers' SQL, as without it).
   */
  async tables(window: TimeWindow): Promise<StoredParserTables | undefined> {
    if (this.plans.length === 0) return undefined;
    const key = windowKey(window);
    if (key === this.key) return this.stored;
    await this.release();
    try {
      [this.key, this.stored] = [key, await this.build()];
    } catch {
      await this.release();
      this.plans.length = 0;
    }
    return this.stored;
  }

  private async build(): Promise<StoredParserTables> {
    const byName = parsers(this.store.schemas).tables;
    const stored = new Map<string, { relation: string; fields: ReadonlySet<string> }>();
    for (const { table, fields } of this.plans) {
      const parser = byName.get(table);
      if (!parser) continue;
      const relation = quoteIdent(`_tt_run${table}`);
      const sql = parserTableSql(this.store.schemas, parser, fields, this.vendors);
      await this.store.run(`CREATE OR REPLACE TEMP TABLE ${relation} AS ${sql}`);
      this.built.push(relation);
      stored.set(table, { relation: `temp.main.${relation}`, fields });
    }
    return stored;
  }

  /** Drops the stored tables (the run's end, or a new window). */
  async release(): Promise<void> {
    for (const relation of this.built.splice(0))
      await this.store.run(`DROP TABLE IF EXISTS temp.main.${relation}`);
    [this.key, this.stored] = [undefined, undefined];
  }
}
