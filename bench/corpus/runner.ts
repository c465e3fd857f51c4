/**
 * Runs every query of a KQL corpus against the schemas and the generated fixtures, and classifies each:
 * ran (compiled and executed), unsupported (TT001: the construct and its position), or error (Kusto's own
 * diagnostic for queries broken upstream, or a failure while running). Queries are never special-cased:
 * any URL an externaldata names gets a small generated file of the declared shape (feeds.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ExternalDataMissing, KqlError, runKql } from '../../src/kql/index.js';
import { Store } from '../../src/store/db.js';
import { coerceRow } from '../../src/store/coerce.js';
import { UNSUPPORTED } from '../../src/kql/errors.js';
import { fixtureRows } from './fixtures.js';
import { writeFeed } from './feeds.js';

export type Status = 'ran' | 'unsupported' | 'error';

export interface Outcome {
  file: string;
  status: Status;
  /** rows returned, or the error message (code, message, line and column) */
  detail: string;
  /** for unsupported: the construct named by TT001 */
  construct?: string;
}

export interface CorpusOptions {
  dir: string;
  externaldataDir: string;
  now: Date;
}

export function corpusFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else if (entry.name.endsWith('.kql')) files.push(join(d, entry.name));
    }
  };
  walk(dir);
  return files;
}

export async function fixtureStore(now: Date): Promise<Store> {
  const store = await Store.open();
  for (const schema of store.schemas.values()) {
    await store.insertRows(
      schema.table,
      fixtureRows(schema, now).map((row) => coerceRow(schema, row)),
    );
  }
  return store;
}

/** `Unsupported KQL: JoinOperator (detail): '…'` → `JoinOperator (detail)`. */
function constructOf(message: string): string {
  return /Unsupported KQL: (.*?): '/.exec(message)?.[1] ?? message;
}

const MAX_FEEDS = 20;

async function runOne(store: Store, file: string, options: CorpusOptions): Promise<Outcome> {
  return runQuery(store, relative(options.dir, file), readFileSync(file, 'utf8'), options);
}

/** Runs one query of a corpus and classifies the outcome (`name` labels it in the report). */
export async function runQuery(
  store: Store,
  name: string,
  query: string,
  options: Omit<CorpusOptions, 'dir'> & { watchlistsDir?: string },
): Promise<Outcome> {
  for (let feeds = 0; feeds <= MAX_FEEDS; feeds++) {
    try {
      const result = await runKql(store, query, {
        now: options.now,
        externaldataDir: options.externaldataDir,
        watchlistsDir: options.watchlistsDir,
      });
      return { file: name, status: 'ran', detail: `${result.rows.length} rows` };
    } catch (err) {
      if (err instanceof ExternalDataMissing) {
        writeFeed(err.source);
        continue;
      }
      if (err instanceof KqlError && err.code === UNSUPPORTED)
        return {
          file: name,
          status: 'unsupported',
          detail: err.message,
          construct: constructOf(err.message),
        };
      const message = err instanceof Error ? err.message : String(err);
      const kind = err instanceof KqlError ? '' : 'run: ';
      return { file: name, status: 'error', detail: kind + message.split('\n')[0] };
    }
  }
  return { file: name, status: 'error', detail: 'too many externaldata URLs' };
}

export async function runCorpus(options: CorpusOptions): Promise<Outcome[]> {
  const store = await fixtureStore(options.now);
  try {
    const outcomes: Outcome[] = [];
    for (const file of corpusFiles(options.dir)) outcomes.push(await runOne(store, file, options));
    return outcomes;
  } finally {
    store.close();
  }
}

export function totals(outcomes: Outcome[]): Record<Status, number> {
  const counts: Record<Status, number> = { ran: 0, unsupported: 0, error: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

/** Unsupported constructs, most frequent first. */
export function missingConstructs(outcomes: Outcome[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const o of outcomes) if (o.construct) counts.set(o.construct, (counts.get(o.construct) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
