/**
 * `evaluate ipv4_lookup(LookupTable, ip, network [, return_unmatched])` and `ipv6_lookup(…)`: each input
 * row joined with the lookup row whose network (an address or CIDR range) holds its address; when several
 * do, the longest prefix wins. Unmatched rows are dropped unless `return_unmatched` is true (then the
 * lookup columns are empty).
 */
import { SOURCE_COLUMN } from '../../store/schema.js';
import type { Relation } from '../context.js';
import { ident } from '../sql.js';
import { constBool, pluginArgs, type Plugin } from './common.js';

function columnName(node: unknown): string | undefined {
  const n = node as { kind: string; simpleName?: string; symbol?: { kind: string; name: string } };
  return n.kind === 'NameReference' && n.symbol?.kind === 'Column'
    ? (n.simpleName ?? n.symbol.name)
    : undefined;
}

interface Family {
  name: string;
  /** SQL: the address `ip` lies in the range `network`. */
  inRange: (ip: string, network: string) => string;
  /** SQL: the prefix length of `network` (the longest wins). */
  prefix: (network: string) => string;
}

const V4: Family = {
  name: 'ipv4_lookup',
  inRange: (ip, network) => `tt_ipv4_in_range(${ip}, ${network})`,
  prefix: (network) => `tt_ip_prefix(${network}, 32)`,
};

const V6: Family = {
  name: 'ipv6_lookup',
  // an IPv4 address compares as its IPv4-mapped IPv6 form, as ipv6_is_match does
  inRange: (ip, network) => `(tt_ipv6_compare(${ip}, ${network}, 128) = 0)`,
  prefix: (network) =>
    `CASE WHEN contains(${network}, ':') THEN tt_ip_prefix(${network}, 128) ELSE tt_ip_prefix(${network}, 32) + 96 END`,
};

const ipLookup =
  (family: Family): Plugin =>
  (op, call, input, out, c) => {
    const name = family.name;
    const args = pluginArgs(call);
    if (args.length < 3 || args.length > 4) return c.fail(call, `${name} arguments`);
    const lookup: Relation = c.tabular(args[0]);
    const ip = columnName(args[1]);
    const network = columnName(args[2]);
    if (!ip || !network) return c.fail(call, `${name} keys that are not column names`);
    const unmatched = constBool(args[3], false, c, `${name} return_unmatched`);
    if (out.length !== input.columns.length + lookup.columns.length)
      return c.fail(op, `${name} result columns`);
    // the input's columns, then the lookup's (the binder's order, as for the lookup operator)
    const own = input.columns.length;
    const list = out.map(({ name: as, type }, n) => {
      if (n < own) return `i.${ident(input.columns[n].name)} AS ${ident(as)}`;
      const sql = `l.${ident(lookup.columns[n - own].name)}`;
      return `${type === 'string' ? `coalesce(${sql}, '')` : sql} AS ${ident(as)}`;
    });
    if (input.source !== 'none') list.push(`i.${ident(SOURCE_COLUMN)}`);
    const numbered = c.cte(`SELECT *, row_number() OVER () AS _tt_row FROM ${input.from}`);
    const key = `l.${ident(network)}`;
    const from = c.cte(
      `SELECT ${list.join(', ')} FROM ${numbered} AS i ${unmatched ? 'LEFT ' : ''}JOIN ${lookup.from} AS l ` +
        `ON ${family.inRange(`i.${ident(ip)}`, key)} ` +
        `QUALIFY row_number() OVER (PARTITION BY i._tt_row ORDER BY ${family.prefix(key)} DESC NULLS LAST) = 1`,
    );
    return {
      from,
      columns: out.map(({ name: as, type }) => ({ name: as, type })),
      source: input.source,
      ordinal: false,
    };
  };

export const ipv4Lookup = ipLookup(V4);
export const ipv6Lookup = ipLookup(V6);
