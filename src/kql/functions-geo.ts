/**
 * geo_info_from_ip_address: Sentinel answers from Microsoft's geolocation service. No offline database
 * ships with Telltale, so the answer is an empty bag (every property reads as null / "") plus one
 * warning — never a guessed location.
 */
import { arg, type Library } from './functions-common.js';
import type { FunctionFamily } from './registry.js';
import { warn } from './warnings.js';

export const GEO_WARNING =
  'geo_info_from_ip_address() has no offline geolocation database here: it returns an empty bag, so country, city and coordinates are empty';

const SCALARS: Library = {
  geo_info_from_ip_address: (args, _node, env) => {
    warn(env.c, GEO_WARNING);
    // evaluate the argument for its type errors, keep nothing of it
    return `(CASE WHEN ${arg(args, 0, env).sql} IS NULL THEN NULL ELSE '{}'::JSON END)`;
  },
};

export const GEO_FUNCTIONS: FunctionFamily = { name: 'geo', scalars: SCALARS };
