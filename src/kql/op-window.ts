/**
 * Serialized rows: the `serialize` operator and the window functions that need a row order (`prev`,
 * `next`, `row_number`, 'row_cumsum'). Kusto serializes rows after `sort`/`order by`, `top` and
 * `serialize`; here the order is frozen into the hidden row number first (see relation.serialize), so a
 * window function and the final ORDER BY always agree, even between rows that tie on the sort key.
 */
import type { Compiler, Relation } from './context.js';
import type { Env, Sql } from './context.js';
import type { KNode } from './kusto.js';
import { ORDINAL_COLUMN, serialize } from './relation.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

const OVER = `OVER (ORDER BY ${ident(ORDINAL_COLUMN)})`;

/**
 * A window for the expressions of one projection: `env.window` hands out the OVER clause and records
 * that it was used; `input` then gives the relation to select from (serialized only when needed).
 */
export function windowFor(c: Compiler): { window: () => string; input: (rel: Relation) => Relation } {
  let used = false;
  return {
    window: () => {
      used = true;
      return OVER;
    },
    input: (rel) => (used ? serialize(rel, c) : rel),
  };
}

type WindowImpl = (args: KNode[], node: KNode, env: Env, over: string) => string;

function shift(fn: 'lag' | 'lead'): WindowImpl {
  return (args, node, env, over) => {
    const value = env.c.expr.scalar(args[0], env).sql;
    const offset = args.length > 1 ? env.c.expr.scalar(args[1], env).sql : '1';
    const fallback = args.length > 2 ? `, ${env.c.expr.scalar(args[2], env).sql}` : '';
    const sql = `${fn}(${value}, ${offset}${fallback}) ${over}`;
    return node.type?.name === 'string' ? `coalesce(${sql}, '')` : sql; // Kusto strings are never null
  };
}

const WINDOW: Record<string, WindowImpl> = {
  prev: shift('lag'),
  next: shift('lead'),
  row_number: (args, node, env, over) => {
    if (args.length > 1) env.c.fail(node, 'row_number with a restart condition');
    const start = args.length ? env.c.expr.scalar(args[0], env).sql : '1';
    return `(row_number() ${over} + ${start} - 1)`;
  },
  row_cumsum: (args, node, env) => {
    if (args.length > 1) env.c.fail(node, 'row_cumsum with a restart condition');
    return `sum(${env.c.expr.scalar(args[0], env).sql}) OVER (ORDER BY ${ident(ORDINAL_COLUMN)} ROWS UNBOUNDED PRECEDING)`;
  },
};

/** SQL of a window function call, or undefined when `name` is not one. */
export function windowCall(name: string, args: KNode[], node: KNode, env: Env): Sql | undefined {
  const impl = WINDOW[name];
  if (!impl) return undefined;
  if (!env.window) return env.c.fail(node, `${name}() outside extend/project of serialized rows`);
  const over = env.window();
  const type = node.type?.name ?? 'unknown';
  const sql = impl(args, node, env, over);
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
