/**
 * `evaluate ipv4_lookup(LookupTable, ip, network [, return_unmatched])`: each input row joined with the
 * lookup row whose network (an address or CIDR range) holds its address; when several do, the longest
 * prefix wins. Unmatched rows are dropped unless `return_unmatched` is true (then the lookup columns are
 * empty).
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

export const ipv4Lookup: Plugin = (op, call, input, out, c) => {
  const args = pluginArgs(call);
  if (args.length < 3 || args.length > 4) return c.fail(call, 'ipv4_lookup arguments');
  const lookup: Relation = c.tabular(args[0]);
  const ip = columnName(args[1]);
  const network = columnName(args[2]);
  if (!ip || !network) return c.fail(call, 'ipv4_lookup keys that are not column names');
  const unmatched = constBool(args[3], false, c, 'ipv4_lookup return_unmatched');
  const own = input.columns.length;
  if (out.length !== own + lookup.columns.length) return c.fail(op, 'ipv4_lookup result columns');
  const numbered = c.cte(`SELECT *, row_number() OVER () AS _tt_row FROM ${input.from}`);
  const key = `l.${ident(network)}`;
  const list = out.map((col, i) =>
    i < own
      ? `i.${ident(input.columns[i].name)} AS ${ident(col.name)}`
      : `${col.type === 'string' ? `coalesce(l.${ident(lookup.columns[i - own].name)}, '')` : `l.${ident(lookup.columns[i - own].name)}`} AS ${ident(col.name)}`,
  );
  if (input.source !== 'none') list.push(`i.${ident(SOURCE_COLUMN)}`);
  const from = c.cte(
    `SELECT ${list.join(', ')} FROM ${numbered} AS i ${unmatched ? 'LEFT ' : ''}JOIN ${lookup.from} AS l ` +
      `ON tt_ipv4_in_range(i.${ident(ip)}, ${key}) ` +
      `QUALIFY row_number() OVER (PARTITION BY i._tt_row ORDER BY tt_ip_prefix(${key}, 32) DESC NULLS LAST) = 1`,
  );
  return {
    from,
    columns: out.map(({ name, type }) => ({ name, type })),
    source: input.source,
    ordinal: false,
  };
};
