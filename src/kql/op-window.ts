/**
 * Serialized rows: the `serialize` operator and the window functions that need a row order (`prev`,
 * `next`, `row_number`, `row_cumsum`, `row_rank_min`, `row_rank_dense`, with their restart conditions). Kusto serializes rows after `sort`/`order by`, `top` and
 * `serialize`; here the order is frozen into the hidden row number first (see relation.serialize), so a
 * window function and the final ORDER BY always agree, even between rows that tie on the sort key.
 */
import type { Compiler, Relation } from './context.js';
import type { Env, Sql, WindowScope } from './context.js';
import type { KNode } from './kusto.js';
import { ORDINAL_COLUMN, serialize } from './relation.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

const ORDER = `ORDER BY ${ident(ORDINAL_COLUMN)}`;
const RUNNING = 'ROWS UNBOUNDED PRECEDING';

/**
 * A window for the expressions of one projection: `window` hands out OVER clauses and stages, and records
 * that they were used; `input` then gives the relation to select from (serialized, with the stages'
 * hidden columns, only when needed). The projection drops the stage columns (they are not its items).
 */
export function windowFor(
  c: Compiler,
  subTables?: string,
): { window: WindowScope; input: (rel: Relation) => Relation } {
  let used = false;
  const stages: string[] = [];
  // rows split into sub-tables (mv-apply's subquery): a window never reaches into another sub-table
  const outer = subTables ? [ident(subTables)] : [];
  return {
    window: {
      over: (partition, frame) => {
        used = true;
        const keys = [...outer, ...(partition ? [partition] : [])];
        const by = keys.length ? `PARTITION BY ${keys.join(', ')} ` : '';
        return `OVER (${by}${ORDER}${frame ? ` ${frame}` : ''})`;
      },
      stage: (sql) => {
        used = true;
        stages.push(sql);
        return ident(`_tt_w${stages.length - 1}`);
      },
    },
    input: (rel) => {
      if (!used) return rel;
      let out = serialize(rel, c);
      stages.forEach((sql, i) => {
        out = { ...out, from: c.cte(`SELECT *, ${sql} AS ${ident(`_tt_w${i}`)} FROM ${out.from}`) };
      });
      return out;
    },
  };
}

type WindowImpl = (args: KNode[], node: KNode, env: Env, w: WindowScope) => string;

const value = (args: KNode[], i: number, env: Env) => env.c.expr.scalar(args[i], env).sql;

/**
 * The partition a restart condition starts (Kusto's `restart` argument: true starts the count again at
 * this row): the running count of restarts, as a stage column. Undefined without a condition.
 */
function restartGroup(args: KNode[], i: number, env: Env, w: WindowScope): string | undefined {
  if (args.length <= i) return undefined;
  const restart = w.stage(`CASE WHEN ${value(args, i, env)} THEN 1 ELSE 0 END`);
  return w.stage(`sum(${restart}) ${w.over(undefined, RUNNING)}`);
}

function shift(fn: 'lag' | 'lead'): WindowImpl {
  return (args, node, env, w) => {
    const offset = args.length > 1 ? value(args, 1, env) : '1';
    const fallback = args.length > 2 ? `, ${value(args, 2, env)}` : '';
    const sql = `${fn}(${value(args, 0, env)}, ${offset}${fallback}) ${w.over()}`;
    return node.type?.name === 'string' ? `coalesce(${sql}, '')` : sql; // Kusto strings are never null
  };
}

/**
 * row_rank_min / row_rank_dense over rows sorted by the term: a rank starts where the term differs from
 * the previous row's (within the restart partition); the dense rank counts those starts, the min rank
 * is the row number of the latest start.
 */
function rank(dense: boolean): WindowImpl {
  return (args, _node, env, w) => {
    const group = restartGroup(args, 1, env, w);
    const term = value(args, 0, env);
    const number = w.stage(`row_number() ${w.over(group)}`);
    const start = w.stage(
      `CASE WHEN ${number} = 1 OR ${term} IS DISTINCT FROM lag(${term}) ${w.over(group)} THEN 1 ELSE 0 END`,
    );
    const running = w.over(group, RUNNING);
    return dense ? `sum(${start}) ${running}` : `max(CASE WHEN ${start} = 1 THEN ${number} END) ${running}`;
  };
}

/**
 * row_window_session(t, maxFromFirst, maxBetween [, restart]): the start of the session each row belongs
 * to. A restart, or a gap to the previous row over maxBetween, starts a session (a running-count
 * partition); within one, the start moves to the row whose distance from the current start exceeds
 * maxFromFirst, a fold over the partition's times so far (quadratic in a partition's length: sessions
 * are short by design).
 */
const windowSession: WindowImpl = (args, _node, env, w) => {
  const [t, fromFirst, between] = [0, 1, 2].map((i) => value(args, i, env));
  const restart = args.length > 3 ? `coalesce(${value(args, 3, env)}, false)` : 'false';
  const starts = w.stage(
    `CASE WHEN ${restart} OR lag(${t}) ${w.over()} IS NULL OR ${t} - lag(${t}) ${w.over()} > ${between} THEN 1 ELSE 0 END`,
  );
  const group = w.stage(`sum(${starts}) ${w.over(undefined, RUNNING)}`);
  const times = `list(${t}) ${w.over(group, RUNNING)}`;
  return dialect.listReduce(times, 'start, x', `CASE WHEN x - start > ${fromFirst} THEN x ELSE start END`);
};

const WINDOW: Record<string, WindowImpl> = {
  row_window_session: windowSession,
  prev: shift('lag'),
  next: shift('lead'),
  row_number: (args, _node, env, w) => {
    const start = args.length ? value(args, 0, env) : '1';
    return `(row_number() ${w.over(restartGroup(args, 1, env, w))} + ${start} - 1)`;
  },
  row_cumsum: (args, _node, env, w) =>
    `sum(${value(args, 0, env)}) ${w.over(restartGroup(args, 1, env, w), RUNNING)}`,
  row_rank_min: rank(false),
  row_rank_dense: rank(true),
};

/** SQL of a window function call, or undefined when `name` is not one. */
export function windowCall(name: string, args: KNode[], node: KNode, env: Env): Sql | undefined {
  const impl = WINDOW[name];
  if (!impl) return undefined;
  if (!env.window) return env.c.fail(node, `${name}() outside extend/project of serialized rows`);
  const type = node.type?.name ?? 'unknown';
  const sql = impl(args, node, env, env.window);
  const duck = dialect.type(type);
  return { sql: duck && duck !== 'JSON' && type !== 'string' ? `CAST(${sql} AS ${duck})` : sql, type };
}

/** `serialize` (optionally `serialize x = expr, …`, an extend over the serialized rows). */
export function serializeOperator(
  op: KNode,
  input: Relation,
  extend: (rel: Relation) => Relation,
  c: Compiler,
): Relation {
  const rel = serialize(input, c);
  return op.list('Expressions').length ? extend(rel) : rel;
}
