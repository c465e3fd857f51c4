/**
 * Runs the documentation conformance cases (../shared/data/kql/docs-conformance/cases.json, see its
 * README) in-process against one in-memory store and classifies each: pass, wrong (an answer that is
 * not the documented table), unsupported (TT001: a construct Telltale does not translate) or error
 * (any other failure: a Kusto diagnostic, a run-time error).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { Store } from '../../src/store/db.js';
import { KqlError, runKql } from '../../src/kql/index.js';
import { difference } from './compare.js';
import { ERRATA, RANDOM_DRAW } from './errata.js';

export const CASES_FILE = join(packageRoot, '..', 'shared', 'data', 'kql', 'docs-conformance', 'cases.json');

export interface Case {
  id: string;
  page: string;
  query: string;
  columns: string[];
  rows: string[][];
}

export const FAMILIES = ['core', 'series', 'geo', 'graph', 'plugins'] as const;
export type Family = (typeof FAMILIES)[number];
export type Status = 'pass' | 'wrong' | 'unsupported' | 'error';

export interface Outcome {
  id: string;
  family: Family;
  status: Status;
  /** Why it is not a pass (the difference, or the error message); for errata, the erratum's reason. */
  detail: string;
  /** Listed in errata.ts: the documented table itself is wrong, so a "wrong" here is not counted. */
  erratum: boolean;
}

/** The families, by documentation page. */
export function familyOf(c: Case): Family {
  const page = c.page.split('/').pop()!.replace(/\.md$/, '');
  if (page.startsWith('geo-')) return 'geo';
  if (page.startsWith('series-') || page === 'make-series-operator') return 'series';
  if (/^(graph-|make-graph|all-graph|any-graph|map-graph|node-degree)/.test(page)) return 'graph';
  if (page.endsWith('-plugin')) return 'plugins';
  return 'core';
}

export function loadCases(file = CASES_FILE): Case[] {
  return JSON.parse(readFileSync(file, 'utf8')) as Case[];
}

export interface RunOptions {
  /** Only these families / these ids (exact, or a prefix ending in `#`-less page name). */
  families?: Family[];
  ids?: string[];
}

export function selected(cases: Case[], options: RunOptions): Case[] {
  return cases.filter(
    (c) =>
      (!options.families?.length || options.families.includes(familyOf(c))) &&
      (!options.ids?.length || options.ids.some((id) => c.id === id || c.id.startsWith(`${id}#`))),
  );
}

const NOW = new Date('2026-05-21T12:00:00Z');

export async function runCase(store: Store, c: Case): Promise<Outcome> {
  const family = familyOf(c);
  const erratum = ERRATA.get(c.id);
  const outcome = (status: Status, detail: string): Outcome => ({
    id: c.id,
    family,
    status,
    detail,
    erratum: erratum !== undefined,
  });
  try {
    const result = await runKql(store, c.query, { now: NOW, exactDatetimes: true });
    const columns = result.columns.filter((name) => name !== '_Source' || c.columns.includes('_Source'));
    const why = difference(c.query, c.columns, c.rows, { ...result, columns });
    if (erratum && RANDOM_DRAW.has(c.id)) return outcome('wrong', `erratum: ${erratum}`);
    return why === undefined ? outcome('pass', '') : outcome('wrong', erratum ? `erratum: ${erratum}` : why);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const code = e instanceof KqlError ? e.code : 'exception';
    return outcome(code === 'TT001' ? 'unsupported' : 'error', message.split('\n')[0]);
  }
}

export async function runConformance(cases: Case[]): Promise<Outcome[]> {
  const store = await Store.open();
  try {
    const outcomes: Outcome[] = [];
    for (const c of cases) outcomes.push(await runCase(store, c));
    return outcomes;
  } finally {
    store.close();
  }
}

export interface Tally {
  cases: number;
  pass: number;
  wrong: number;
  errata: number;
  unsupported: number;
  error: number;
}

/** Per family (and `all`); a wrong answer on an erratum case counts under `errata`, not `wrong`. */
export function tally(outcomes: Outcome[]): Map<Family | 'all', Tally> {
  const out = new Map<Family | 'all', Tally>();
  const zero = (): Tally => ({ cases: 0, pass: 0, wrong: 0, errata: 0, unsupported: 0, error: 0 });
  for (const o of outcomes) {
    for (const key of [o.family, 'all'] as const) {
      const t = out.get(key) ?? zero();
      t.cases++;
      if (o.status === 'wrong' && o.erratum) t.errata++;
      else t[o.status]++;
      out.set(key, t);
    }
  }
  // families in their fixed order, then the total
  return new Map([...FAMILIES, 'all' as const].filter((f) => out.has(f)).map((f) => [f, out.get(f)!]));
}
