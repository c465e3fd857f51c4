/**
 * IP functions on VARCHAR addresses, through the store's tt_ip* macros (src/store/macros-ip.ts).
 * Malformed addresses give null, as in Kusto.
 */
import { arg, str, type Impl, type Library } from './functions-common.js';
import type { FunctionFamily } from './registry.js';
import { dialect } from './dialect.js';

const prefixArg =
  (i: number, dflt: number): ((...a: Parameters<Impl>) => string) =>
  (args, _node, env) =>
    args.length > i ? `CAST(${arg(args, i, env).sql} AS INTEGER)` : String(dflt);

const v4Prefix = prefixArg(2, 32);
const v6Prefix = prefixArg(2, 128);

const SCALARS: Library = {
  ipv4_compare: (args, node, env) =>
    `CAST(tt_ipv4_compare(${str(args, 0, node, env)}, ${str(args, 1, node, env)}, ${v4Prefix(args, node, env)}) AS BIGINT)`,
  ipv4_is_match: (args, node, env) =>
    `(tt_ipv4_compare(${str(args, 0, node, env)}, ${str(args, 1, node, env)}, ${v4Prefix(args, node, env)}) = 0)`,
  ipv6_compare: (args, node, env) =>
    `CAST(tt_ipv6_compare(${str(args, 0, node, env)}, ${str(args, 1, node, env)}, ${v6Prefix(args, node, env)}) AS BIGINT)`,
  ipv6_is_match: (args, node, env) =>
    `(tt_ipv6_compare(${str(args, 0, node, env)}, ${str(args, 1, node, env)}, ${v6Prefix(args, node, env)}) = 0)`,
  // the address as a long, masked to its /n prefix when it has one
  parse_ipv4: (args, node, env) => {
    const ip = str(args, 0, node, env);
    const shift = `(32 - tt_ip_prefix(${ip}, 32))`;
    return `((tt_ipv4_strict(${ip}) >> ${shift}) << ${shift})`;
  },
  parse_ipv4_mask: (args, node, env) => {
    const ip = str(args, 0, node, env);
    const shift = `(32 - least(tt_ip_prefix(${ip}, 32), CAST(${arg(args, 1, env).sql} AS INTEGER)))`;
    return `((tt_ipv4_strict(${ip}) >> ${shift}) << ${shift})`;
  },
  ipv4_is_in_any_range: (args, node, env) => {
    const ip = str(args, 0, node, env);
    const ranges = args.slice(1).map((r, i) => {
      const v = arg(args, i + 1, env);
      // a dynamic array of ranges, or one range per argument
      return v.type === 'dynamic'
        ? `list_bool_or(${dialect.listTransform(`CAST(${v.sql} AS VARCHAR[])`, 'r', `tt_ipv4_compare(${ip}, r, 32) = 0`)})`
        : `(tt_ipv4_compare(${ip}, ${str(args, i + 1, r, env)}, 32) = 0)`;
    });
    return `(tt_ipv4_strict(${ip}) IS NOT NULL AND coalesce(${ranges.join(' OR ')}, false))`;
  },
};

export const IP_FUNCTIONS: FunctionFamily = { name: 'ip', scalars: SCALARS };
