/**
 * Fills a hunt's `let NAME = dynamic([...]);` IOC list from the indicator store, so a shipped query is
 * the seed's query verbatim (and deploys to Sentinel as is) while locally its list is the store's
 * current indicators, including feeds added with --intel for this run. Only indicators that are
 * Active, not expired at the run's intel clock and at least `minConfidence` confident are bound, and
 * never a private, loopback, link-local or otherwise non-routable address (a bad feed entry such as
 * 10.0.0.1 would otherwise flag half the network).
 */
import type { Store } from '../store/db.js';
import { append } from '../util/append.js';
import type { Hunt, IndicatorListBinding } from './model.js';
import {
  INTEL_LIST_TABLE,
  IndicatorListError,
  isRoutableIp,
  kqlString,
  listFilter,
  listRowsSql,
  routableSplit,
  type ListSelection,
} from '../intel/list-values.js';
import { TI_TABLE } from '../intel/ti-select.js';
import { applyEdits, letValues, parseSyntax, type KNode } from '../kql/syntax.js';

export { IndicatorListError, isRoutableIp };

/** ThreatFox's own scale: 50 = "probably malicious"; `--min-confidence` overrides. */
export const DEFAULT_MIN_CONFIDENCE = 50;

export interface BindOptions {
  /** The intel clock: indicators expired before it are not bound. */
  now: Date;
  minConfidence?: number;
  /** Always bind literal lists (the Sentinel export: the deployed query must stand alone). */
  literal?: boolean;
  /** Lists with more values than this are staged in TelltaleIndicatorList (default 1,000). */
  tableThreshold?: number;
  /**
   * The intel store is attached (intel/attach-lists.ts): lists also hold its values, read in place
   * from TelltaleIntelList, but for the indicators the run holds itself (`skipIds`).
   */
  intelLists?: { skipIds: readonly string[] };
}

/** Telltale's own table holding staged list values (schemas/TelltaleIndicatorList.json). */
export const LIST_TABLE = 'TelltaleIndicatorList';
export const DEFAULT_TABLE_THRESHOLD = 1000;

type ListBinding = Pick<IndicatorListBinding, 'types' | 'threatTypes'>;

function selection(binding: ListBinding, options: BindOptions): ListSelection {
  return {
    kinds: binding.types,
    threatTypes: binding.threatTypes,
    now: options.now,
    minConfidence: options.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
  };
}

/** The run's own list rows (its ThreatIntelligenceIndicator table) that the binding selects. */
function runRows(binding: ListBinding, options: BindOptions): { sql: string; params: unknown[] } {
  const filter = listFilter(selection(binding, options));
  return {
    sql: `SELECT Kind, Value FROM (${listRowsSql(TI_TABLE, { kinds: binding.types })}) WHERE ${filter.sql}`,
    params: filter.params,
  };
}

/** The run's own matchable values of a binding, as SQL with column Value (distinct, routable). */
async function runValues(
  store: Store,
  binding: ListBinding,
  options: BindOptions,
): Promise<{ sql: string; params: unknown[] }> {
  const rows = runRows(binding, options);
  const routable = await routableSplit(store, rows.sql, rows.params);
  return {
    sql: `SELECT DISTINCT Value FROM (${rows.sql}) WHERE ${routable.keep}`,
    params: [...rows.params, ...routable.params],
  };
}

export async function activeIndicatorValues(
  store: Store,
  binding: ListBinding,
  options: BindOptions,
): Promise<string[]> {
  const q = await runValues(store, binding, options);
  return (await store.query(q.sql, q.params)).map((r) => String(r.Value)).sort();
}

/**
 * Stages a list's active values in TelltaleIndicatorList under `list`, in SQL (the values never pass
 * through JS but for the few addresses whose routability SQL cannot decide); returns the number of
 * distinct values staged.
 */
export async function stageIndicatorValues(
  store: Store,
  binding: ListBinding,
  options: BindOptions,
  list: string,
): Promise<number> {
  await store.run(`DELETE FROM ${LIST_TABLE} WHERE List = ?`, [list]);
  const q = await runValues(store, binding, options);
  await store.run(`INSERT INTO ${LIST_TABLE} (List, Value) SELECT ?, Value FROM (${q.sql})`, [
    list,
    ...q.params,
  ]);
  const [row] = await store.query(`SELECT count(*) AS n FROM ${LIST_TABLE} WHERE List = ?`, [list]);
  return Number(row?.n ?? 0);
}

/** An upper bound on a list's size: its indicators before deduplication and the routable filter. */
function candidateCount(store: Store, binding: ListBinding, options: BindOptions): Promise<number> {
  const q = runRows(binding, options);
  return countRows(store, q.sql, q.params);
}

/** The attached store's values for a binding: SQL (for counts and literal lists) and KQL (for the hunt). */
function intelListFilter(
  binding: ListBinding,
  options: BindOptions,
  skipIds: readonly string[],
): { sql: string; params: unknown[]; kql: string } {
  const filter = listFilter({ ...selection(binding, options), skipIds });
  return {
    sql: `SELECT Value FROM ${INTEL_LIST_TABLE} WHERE ${filter.sql}`,
    params: filter.params,
    kql: filter.kql,
  };
}

/**
 * One case-insensitive regex for a host name or URL whose host is one of the domains or a subdomain
 * of one (`dl.tvt.miraibotnet.su`, `http://tvt.miraibotnet.su:80/x`), never a look-alike
 * (`nottvt.miraibotnet.su.example`, `tvt.miraibotnet.su.example.com`).
 */
/** A regex alternation of more domains than this is slow to build and to run (20k: 12 s on 1M names). */
export const MAX_REGEX_DOMAINS = 10_000;

export function subdomainRegex(domains: string[]): string {
  if (domains.length === 0) return '[^\\s\\S]'; // matches nothing
  const escaped = domains.map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `(?i)^(?:[a-z][a-z0-9+.-]*://)?(?:[^/@]*@)?(?:[^/:]*\\.)?(?:${escaped.join('|')})\\.?(?::\\d+)?(?:[/?#]|$)`;
}

/** The value of the hunt's `let VARIABLE = ...` when it is of `kind` (its syntax node, for a rewrite at its span). */
function letValue(query: string, variable: string, kind: string, wanted: string, huntId: string): KNode {
  const value = letValues(parseSyntax(query)).get(variable);
  if (value?.kind !== kind)
    throw new IndicatorListError(
      `hunt ${huntId}: no 'let ${variable} = ${wanted}' to fill from the indicator store`,
    );
  return value;
}

/** The `[...]` of the hunt's `let VARIABLE = dynamic([...])`. */
function dynamicList(query: string, variable: string, huntId: string): { dynamic: KNode; array: KNode } {
  const dynamic = letValue(query, variable, 'DynamicExpression', 'dynamic([...])', huntId);
  const array = dynamic.node('Expression');
  if (array?.kind !== 'JsonArrayExpression')
    throw new IndicatorListError(
      `hunt ${huntId}: no 'let ${variable} = dynamic([...])' to fill from the indicator store`,
    );
  return { dynamic, array };
}

const replaced = (query: string, node: KNode, text: string) =>
  applyEdits(query, [{ start: node.start, length: node.length, text }]);

export function bindIndicatorList(
  query: string,
  binding: IndicatorListBinding,
  values: string[],
  huntId: string,
): string {
  if (binding.as === 'subdomain-regex') {
    if (values.length > MAX_REGEX_DOMAINS)
      throw new IndicatorListError(
        `hunt ${huntId}: ${values.length.toLocaleString('en')} domains are too many for one regex in '${binding.variable}' ` +
          `(at most ${MAX_REGEX_DOMAINS.toLocaleString('en')}); bind them as a list ([domain]) and look up host suffixes, as the bundled hunts do (docs/hunts.md)`,
      );
    const literal = letValue(query, binding.variable, 'StringLiteralExpression', '"..."', huntId);
    return replaced(query, literal, kqlString(subdomainRegex(values)));
  }
  const { array } = dynamicList(query, binding.variable, huntId);
  return replaced(query, array, `[${values.map(kqlString).join(', ')}]`);
}

/**
 * Binds `let NAME = dynamic([...])` to the staged values of `list` in TelltaleIndicatorList: a tabular
 * `let`, so `x in (NAME)`, `x !in (NAME)` and `x has_any (NAME)` read a one-column table (a semi join)
 * whatever the list's size.
 */
export function bindIndicatorTable(
  query: string,
  binding: IndicatorListBinding,
  list: string | undefined,
  huntId: string,
  intelList?: string,
): string {
  const { dynamic } = dynamicList(query, binding.variable, huntId);
  const staged = list && `${LIST_TABLE} | where List == ${kqlString(list)} | project Value`;
  const table = staged && intelList ? `union (${staged}), (${intelList})` : (staged ?? intelList);
  return replaced(query, dynamic, table ?? '');
}

/**
 * Fills every indicator list of the hunt. A list of more than `tableThreshold` values is bound as a
 * table (its cost stays flat in the number of indicators): the run's own values staged in
 * TelltaleIndicatorList, the attached intel store's read in place from TelltaleIntelList. A small one,
 * a regex (`subdomain-regex`, built from the values) and every list under `literal` (the Sentinel
 * export) are bound as literals, from both sources.
 */
export async function bindIndicatorLists(store: Store, hunt: Hunt, options: BindOptions): Promise<string> {
  let query = hunt.query;
  const threshold = options.tableThreshold ?? DEFAULT_TABLE_THRESHOLD;
  for (const binding of hunt.indicatorLists) {
    const intel = options.intelLists && intelListFilter(binding, options, options.intelLists.skipIds);
    if (!options.literal && binding.as !== 'subdomain-regex') {
      const list = `${hunt.key}/${binding.variable}`;
      const inStore = intel ? await countRows(store, intel.sql, intel.params) : 0;
      const local = await candidateCount(store, binding, options);
      const large = local + inStore > threshold;
      // the run's own values are staged (few, unless a big --intel file); the store's are read in place
      const staged = large && local > 0 && (await stageIndicatorValues(store, binding, options, list)) > 0;
      if (!staged) await store.run(`DELETE FROM ${LIST_TABLE} WHERE List = ?`, [list]); // an earlier run's
      if (large && (staged || inStore > 0)) {
        query = bindIndicatorTable(query, binding, staged ? list : undefined, hunt.id, intel?.kql);
        continue;
      }
    }
    const values = await activeIndicatorValues(store, binding, options);
    if (intel)
      append(
        values,
        (await store.query(intel.sql, intel.params)).map((r) => String(r.Value)),
      );
    query = bindIndicatorList(query, binding, [...new Set(values)].sort(), hunt.id);
  }
  return query;
}

async function countRows(store: Store, sql: string, params: unknown[]): Promise<number> {
  const [row] = await store.query(`SELECT count(*) AS n FROM (${sql})`, params);
  return Number(row?.n ?? 0);
}
