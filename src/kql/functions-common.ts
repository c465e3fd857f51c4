/**
 * Shared shape of the scalar function library (functions-*.ts): one Impl per Kusto function name, taking
 * the bound argument nodes and returning SQL. Helpers here read arguments as typed SQL or as constants.
 */
import type { KNode } from './kusto.js';
import { asString, constant, scalar, type Env, type Sql } from './expr.js';

export type Impl = (args: KNode[], node: KNode, env: Env) => string;
export type Library = Record<string, Impl>;

export const arg = (args: KNode[], i: number, env: Env): Sql => scalar(args[i], env);

export const str = (args: KNode[], i: number, node: KNode, env: Env): string =>
  asString(arg(args, i, env), node, env);

/** A compile-time constant argument (Kusto requires several: date parts, regexes, formats). */
export function constArg<T>(args: KNode[], i: number, env: Env, what: string, node: KNode): T {
  const k = args[i] ? constant(args[i], env.c) : undefined;
  if (k === undefined) return env.c.fail(args[i] ?? node, `${what} that is not a constant`);
  return k.value as T;
}

/** SQL string literal for fixed engine text (never user input). */
export function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A value as JSON (dynamic): strings become JSON strings, dynamic stays, datetimes use Kusto's text. */
export function toJsonSql(value: Sql, node: KNode, env: Env): string {
  if (value.type === 'dynamic') return value.sql;
  if (value.type === 'datetime' || value.type === 'timespan' || value.type === 'guid')
    return `to_json(nullif(${asString(value, node, env)}, ''))`;
  return `to_json(${value.sql})`;
}
