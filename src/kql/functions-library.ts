/**
 * The function registry: every family of built-in functions, in one list. A family is added here once;
 * a name defined by two families fails at load time (registry.ts).
 */
import { CORE_FUNCTIONS } from './functions-core.js';
import { DYNAMIC_FUNCTIONS } from './functions-dynamic.js';
import { GEO_FUNCTIONS } from './functions-geo.js';
import { IP_FUNCTIONS } from './functions-ip.js';
import { JS_FUNCTIONS } from './functions-js.js';
import { MATH_FUNCTIONS } from './functions-math.js';
import { NUMERIC_FUNCTIONS } from './functions-numeric.js';
import { SERIES_FUNCTIONS } from './functions-series.js';
import { STRING_FUNCTIONS } from './functions-string.js';
import { TDIGEST_FUNCTIONS } from './functions-tdigest.js';
import { TIME_FUNCTIONS } from './functions-time.js';
import { ZONE_FUNCTIONS } from './functions-zone.js';
import { AGGREGATE_FUNCTIONS } from './op-aggregates.js';
import { PARSE_KV_FUNCTIONS } from './js-parse-kv.js';
import { FunctionRegistry, type FunctionFamily } from './registry.js';

export const FAMILIES: FunctionFamily[] = [
  CORE_FUNCTIONS,
  AGGREGATE_FUNCTIONS,
  STRING_FUNCTIONS,
  DYNAMIC_FUNCTIONS,
  TIME_FUNCTIONS,
  ZONE_FUNCTIONS,
  IP_FUNCTIONS,
  GEO_FUNCTIONS,
  MATH_FUNCTIONS,
  NUMERIC_FUNCTIONS,
  SERIES_FUNCTIONS,
  JS_FUNCTIONS,
  PARSE_KV_FUNCTIONS,
  TDIGEST_FUNCTIONS,
];

export const FUNCTIONS = new FunctionRegistry(FAMILIES);
