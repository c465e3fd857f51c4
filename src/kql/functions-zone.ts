/**
 * Time zones: `datetime_utc_to_local(utc, tz)` and `datetime_local_to_utc(local, tz)` with IANA zone
 * names (the engine's time zone database, through `dialect`); an unknown zone gives null.
 */
import { arg, str, type Library } from './functions-common.js';
import { dialect } from './dialect.js';
import type { FunctionFamily } from './registry.js';

const SCALARS: Library = {
  datetime_utc_to_local: (args, node, env) =>
    dialect.utcToZone(arg(args, 0, env).sql, str(args, 1, node, env)),
  datetime_local_to_utc: (args, node, env) =>
    dialect.zoneToUtc(arg(args, 0, env).sql, str(args, 1, node, env)),
};

export const ZONE_FUNCTIONS: FunctionFamily = { name: 'zone', scalars: SCALARS };
