/**
 * Math functions. Kusto's results are `real` for exp/log/sqrt/pow, the argument's type for abs/sign,
 * and `round(x, n)` rounds half away from zero like DuckDB's round. Out-of-domain inputs (log of a
 * negative, sqrt of a negative) give null in Kusto; DuckDB gives NaN or an error, so they are guarded.
 */
import { arg, type Impl, type Library } from './functions-common.js';
import type { FunctionFamily } from './registry.js';

const real =
  (fn: (x: string) => string): Impl =>
  (args, _node, env) =>
    fn(`CAST(${arg(args, 0, env).sql} AS DOUBLE)`);
const positive = (fn: string): Impl => real((x) => `(CASE WHEN ${x} > 0 THEN ${fn}(${x}) END)`);

const SCALARS: Library = {
  exp: real((x) => `exp(${x})`),
  exp2: real((x) => `pow(2, ${x})`),
  exp10: real((x) => `pow(10, ${x})`),
  log: positive('ln'),
  log2: positive('log2'),
  log10: positive('log10'),
  sqrt: real((x) => `(CASE WHEN ${x} >= 0 THEN sqrt(${x}) END)`),
  pow: (args, _node, env) =>
    `pow(CAST(${arg(args, 0, env).sql} AS DOUBLE), CAST(${arg(args, 1, env).sql} AS DOUBLE))`,
  abs: (args, _node, env) => `abs(${arg(args, 0, env).sql})`,
  sign: (args, _node, env) => `sign(${arg(args, 0, env).sql})`,
  ceiling: (args, _node, env) => `ceil(${arg(args, 0, env).sql})`,
  round: (args, _node, env) =>
    `round(${arg(args, 0, env).sql}, ${args.length > 1 ? `CAST(${arg(args, 1, env).sql} AS INTEGER)` : '0'})`,
};

export const MATH_FUNCTIONS: FunctionFamily = { name: 'math', scalars: SCALARS };
