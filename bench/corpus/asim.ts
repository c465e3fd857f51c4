/**
 * The ASIM set of the corpus: Sentinel's own analytic rules and hunting queries that call the ASIM
 * parsers (../shared/data/kql/asim/*.yaml), each query run unchanged on the example incident's logs
 * (Zeek, CEF firewall, Defender, DNS), as a workspace with those logs would run it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Store } from '../../src/store/db.js';
import { ingestPaths } from '../../src/telemetry/ingest.js';
import { runQuery, type Outcome } from './runner.js';

export interface AsimCorpusOptions {
  /** Folder of rule / hunting-query YAML files. */
  dir: string;
  /** Log files and folders to load (examples/incident). */
  data: string[];
  externaldataDir: string;
  watchlistsDir?: string;
  now: Date;
}

/** The `query` of each YAML file, by file name (files without one are reported as errors). */
export function asimQueries(dir: string): { file: string; query: string | undefined }[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort((a, b) => a.localeCompare(b))
    .map((file) => {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as { query?: unknown } | null;
      return { file, query: typeof doc?.query === 'string' ? doc.query : undefined };
    });
}

export async function runAsimCorpus(options: AsimCorpusOptions): Promise<Outcome[]> {
  const store = await Store.open();
  try {
    await ingestPaths(store, options.data, {});
    const outcomes: Outcome[] = [];
    for (const { file, query } of asimQueries(options.dir)) {
      if (query === undefined) outcomes.push({ file, status: 'error', detail: 'no query in the file' });
      else outcomes.push(await runQuery(store, file, query, options));
    }
    return outcomes;
  } finally {
    store.close();
  }
}
