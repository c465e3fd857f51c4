/**
 * Calls of built-in KQL functions, looked up in the one registry (functions-library.ts). Result types
 * come from the binder; outputs are cast to them so DuckDB's own widening (sum → HUGEINT, avg of ints …)
 * never leaks out, and an aggregate's string result is never NULL (Kusto strings are not).
 */
import type { Env, Sql } from './context.js';
import type { KNode } from './kusto.js';
import { FUNCTIONS } from './functions-library.js';
import { dialect } from './dialect.js';

export function callFunction(node: KNode, env: Env): Sql {
  const nameNode = node.node('Name');
  const name = (nameNode?.simpleName ?? '').toLowerCase();
  const args = node.node('ArgumentList')?.list('Expressions') ?? [];
  const type = node.type?.name ?? 'unknown';
  if (nameNode?.symbol?.kind !== 'Function') return env.c.fail(node, `call of ${name}`);
  const aggregate = env.aggregate ? FUNCTIONS.aggregate(name) : undefined;
  if (aggregate) {
    // arguments of an aggregate are row expressions again
    const sql = aggregate(args, node, { ...env, aggregate: false });
    if (type === 'string') return { sql: `coalesce(${sql}, '')`, type };
    const duck = dialect.type(type);
    return { sql: duck && duck !== 'JSON' ? `CAST(${sql} AS ${duck})` : sql, type };
  }
  const impl = FUNCTIONS.scalar(name);
  if (!impl) return env.c.fail(node, `function ${name}()`);
  return { sql: impl(args, node, env), type };
}
