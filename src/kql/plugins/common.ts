/**
 * What the `evaluate` plugins share: their arguments, scalar SQL over the input row, constant arguments,
 * and binning a datetime or number into steps in SQL.
 */
import type { Column, Compiler, Env, Relation, Sql } from '../context.js';
import { dialect } from '../dialect.js';
import { rowScope } from '../expr.js';
import type { KNode } from '../kusto.js';

/** One plugin: the `evaluate` operator, its call, the input rows, the binder's output columns. */
export type Plugin = (op: KNode, call: KNode, input: Relation, out: Column[], c: Compiler) => Relation;

export function pluginArgs(call: KNode): KNode[] {
  return call.node('ArgumentList')?.list('Expressions') ?? [];
}

export function rowEnv(c: Compiler): Env {
  return { c, scope: rowScope(), aggregate: false };
}

/** A scalar argument over the input row. */
export function rowSql(node: KNode, c: Compiler): Sql {
  return c.expr.scalar(node, rowEnv(c));
}

/** A numeric argument Kusto requires to be a constant (a row count, a percentile). */
export function constNumber(node: KNode | undefined, call: KNode, c: Compiler, what: string): number {
  const k = node && c.expr.constant(node, c);
  const n = Number(k?.value);
  if (!k || typeof k.value === 'boolean' || !Number.isFinite(n))
    return c.fail(node ?? call, `${what} that is not a constant number`);
  return n;
}

/** A bool argument given as a constant (default when absent). */
export function constBool(node: KNode | undefined, fallback: boolean, c: Compiler, what: string): boolean {
  if (!node) return fallback;
  // given by name (`return_unmatched = true`) or by position
  const value = node.kind === 'SimpleNamedExpression' ? (node.node('Expression') ?? node) : node;
  const k = c.expr.constant(value, c);
  if (typeof k?.value !== 'boolean') return c.fail(node, `${what} that is not a constant bool`);
  return k.value;
}

/**
 * A step (timespan for a datetime index, number otherwise) as a number in the index's own units:
 * microseconds for datetimes. `units(x)` turns an index value into those units, `back(u)` returns it.
 */
export function stepping(
  index: Sql,
  step: Sql,
  node: KNode,
  c: Compiler,
): { units: (sql: string) => string; back: (sql: string) => string; step: string } {
  if (index.type === 'datetime') {
    if (step.type !== 'timespan') return c.fail(node, 'a datetime index with a step that is not a timespan');
    return {
      units: (sql) => dialect.epochMicros(sql),
      back: (sql) => dialect.timestampFromMicros(`CAST(${sql} AS BIGINT)`),
      step: dialect.intervalMicros(step.sql),
    };
  }
  if (!['int', 'long', 'real', 'decimal'].includes(index.type) || step.type === 'timespan')
    return c.fail(node, `an index of type ${index.type}`);
  return {
    units: (sql) => `CAST(${sql} AS DOUBLE)`,
    back: (sql) => sql,
    step: `CAST(${step.sql} AS DOUBLE)`,
  };
}

/** floor(value / step) * step, in the stepping's units. */
export function binned(value: string, step: string): string {
  return `(floor(${value} / ${step}) * ${step})`;
}
