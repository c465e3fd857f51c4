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

/** A 32-bit address as dotted text. */
const dotted = (n: string) =>
  `concat_ws('.', ${[24, 16, 8, 0].map((s) => `CAST((${n} >> ${s}) & 255 AS VARCHAR)`).join(', ')})`;

/** `format_ipv4(ip[, mask])` / `format_ipv4_mask`: the network of the address, '' when invalid. */
function formatIpv4(withSuffix: boolean): Impl {
  return (args, node, env) => {
    const value = arg(args, 0, env);
    const ip = value.type === 'string' ? value.sql : undefined;
    const number = ip === undefined ? `CAST(${value.sql} AS BIGINT)` : `tt_ipv4_strict(${ip})`;
    const own = ip === undefined ? '32' : `tt_ip_prefix(${ip}, 32)`;
    const mask = args.length > 1 ? `CAST(${arg(args, 1, env).sql} AS INTEGER)` : '32';
    const prefix = `least(${own}, ${mask})`;
    const network = `((${number} >> (32 - ${prefix})) << (32 - ${prefix}))`;
    const text = withSuffix ? `${dotted(network)} || '/' || CAST(${prefix} AS VARCHAR)` : dotted(network);
    return `coalesce(CASE WHEN ${mask} BETWEEN 0 AND 32 AND ${number} BETWEEN 0 AND 4294967295 THEN ${text} END, '')`;
  };
}

/** `ipv4_is_in_any_range(ip, ranges…)` / the IPv6 one: ranges as arguments or as one dynamic array. */
function inAnyRange(family: 'ipv4' | 'ipv6'): Impl {
  const bits = family === 'ipv4' ? 32 : 128;
  const inRange = (ip: string, range: string) => `(tt_${family}_compare(${ip}, ${range}, ${bits}) = 0)`;
  return (args, node, env) => {
    const ip = str(args, 0, node, env);
    const ranges = args.slice(1).map((r, i) => {
      const v = arg(args, i + 1, env);
      return v.type === 'dynamic'
        ? `list_bool_or(${dialect.listTransform(`CAST(${v.sql} AS VARCHAR[])`, 'r', inRange(ip, 'r'))})`
        : inRange(ip, str(args, i + 1, r, env));
    });
    const valid =
      family === 'ipv4' ? `tt_ipv4_strict(${ip}) IS NOT NULL` : `tt_ipv6_compare(${ip}, ${ip}, 128) = 0`;
    return `(${valid} AND coalesce(${ranges.join(' OR ')}, false))`;
  };
}

const SCALARS: Library = {
  format_ipv4: formatIpv4(false),
  format_ipv4_mask: formatIpv4(true),
  ipv4_netmask_suffix: (args, node, env) => {
    const ip = str(args, 0, node, env);
    return `(CASE WHEN tt_ipv4_strict(${ip}) IS NOT NULL THEN tt_ip_prefix(${ip}, 32) END)`;
  },
  ipv6_is_in_range: (args, node, env) =>
    `(tt_ipv6_compare(${str(args, 0, node, env)}, ${str(args, 1, node, env)}, 128) = 0)`,
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
  ipv4_is_in_any_range: inAnyRange('ipv4'),
  ipv6_is_in_any_range: inAnyRange('ipv6'),
};

export const IP_FUNCTIONS: FunctionFamily = { name: 'ip', scalars: SCALARS };
