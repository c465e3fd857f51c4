/**
 * Shared shape of the scalar function library (functions-*.ts): one Impl per Kusto function name, taking
 * the bound argument nodes and returning SQL. Helpers here read arguments as typed SQL or as constants.
 */
import { sqlString } from '../util/sql.js';
import type { KNode } from './kusto.js';
import type { Env, Sql } from './context.js';
import { dialect } from './dialect.js';

export type Impl = (args: KNode[], node: KNode, env: Env) => string;
export type Library = Record<string, Impl>;

export const arg = (args: KNode[], i: number, env: Env): Sql => env.c.expr.scalar(args[i], env);

export const str = (args: KNode[], i: number, node: KNode, env: Env): string =>
  env.c.expr.asString(arg(args, i, env), node, env);

/** A compile-time constant argument (Kusto requires several: date parts, regexes, formats). */
export function constArg<T>(args: KNode[], i: number, env: Env, what: string, node: KNode): T {
  const k = args[i] ? env.c.expr.constant(args[i], env.c) : undefined;
  if (k === undefined) return env.c.fail(args[i] ?? node, `${what} that is not a constant`);
  return k.value as T;
}

/** SQL string literal for fixed engine text (never user input). */
export function sqlText(text: string): string {
  return sqlString(text);
}

/** A value as JSON (dynamic): strings become JSON strings, dynamic stays, datetimes use Kusto's text. */
export function toJsonSql(value: Sql, node: KNode, env: Env): string {
  if (value.type === 'dynamic') return value.sql;
  if (value.type === 'datetime' || value.type === 'timespan' || value.type === 'guid')
    return dialect.toJson(`nullif(${env.c.expr.asString(value, node, env)}, '')`);
  return dialect.toJson(value.sql);
}

/** Kusto's text of a timespan: [-][d.]hh:mm:ss[.fffffff]. */
export function timespanText(span: string): string {
  const us = `abs(${dialect.intervalMicros(span)})`;
  const two = (sql: string) => `lpad(CAST(${sql} AS VARCHAR), 2, '0')`;
  const days = `(${us} // 86400000000)`;
  const frac = `(${us} % 1000000)`;
  return (
    `(CASE WHEN ${span} IS NULL THEN '' ELSE (CASE WHEN ${dialect.intervalMicros(span)} < 0 THEN '-' ELSE '' END) ` +
    `|| (CASE WHEN ${days} > 0 THEN CAST(${days} AS VARCHAR) || '.' ELSE '' END) ` +
    `|| ${two(`(${us} // 3600000000) % 24`)} || ':' || ${two(`(${us} // 60000000) % 60`)} || ':' || ${two(`(${us} // 1000000) % 60`)} ` +
    `|| (CASE WHEN ${frac} > 0 THEN '.' || lpad(CAST(${frac} AS VARCHAR), 6, '0') || '0' ELSE '' END) END)`
  );
}
