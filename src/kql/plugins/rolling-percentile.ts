/**
 * `evaluate rolling_percentile(value, p, index, step, window [, by …])`: per step of the index (binned
 * down to a multiple of `step`) that holds rows, and per group, the p-th percentile (nearest rank, like
 * Kusto's `percentile`) of the values in that step and the `window - 1` steps before it.
 */
import { dialect } from '../dialect.js';
import { ident } from '../sql.js';
import { binned, constNumber, pluginArgs, rowSql, stepping, type Plugin } from './common.js';

export const rollingPercentile: Plugin = (_op, call, input, out, c) => {
  const args = pluginArgs(call);
  if (args.length < 5) return c.fail(call, 'rolling_percentile arguments');
  const p = constNumber(args[1], call, c, 'rolling_percentile percentile');
  const window = constNumber(args[4], call, c, 'rolling_percentile window');
  if (p < 0 || p > 100) return c.fail(args[1], 'percentile outside 0..100');
  if (!Number.isInteger(window) || window < 1) return c.fail(args[4], 'window that is not a positive count');
  const by = args.slice(5);
  if (out.length !== by.length + 2) return c.fail(call, 'rolling_percentile result columns');
  const index = rowSql(args[2], c);
  const s = stepping(index, rowSql(args[3], c), args[3], c);
  const keys = by.map((e, i) => `${rowSql(e, c).sql} AS _tt_k${i}`);
  const rows = c.cte(
    `SELECT ${[...keys, `${binned(s.units(index.sql), s.step)} AS _tt_bin`, `${rowSql(args[0], c).sql} AS _tt_v`].join(', ')} ` +
      `FROM ${input.from} WHERE ${index.sql} IS NOT NULL`,
  );
  const keyNames = by.map((_, i) => `_tt_k${i}`);
  const bins = c.cte(`SELECT DISTINCT ${[...keyNames, '_tt_bin'].join(', ')} FROM ${rows}`);
  const sameGroup = keyNames.map((k) => `r.${k} IS NOT DISTINCT FROM b.${k}`);
  const inWindow = `r._tt_bin > b._tt_bin - ${window} * ${s.step} AND r._tt_bin <= b._tt_bin`;
  const [indexCol, ...rest] = out;
  const result = rest[rest.length - 1];
  const cast = (sql: string, type: string) => `CAST(${sql} AS ${dialect.type(type) ?? 'VARCHAR'})`;
  const select = [
    `${cast(s.back('b._tt_bin'), indexCol.type)} AS ${ident(indexCol.name)}`,
    ...keyNames.map((k, i) => `b.${k} AS ${ident(rest[i].name)}`),
    `${cast(`quantile_disc(r._tt_v, ${p / 100})`, result.type)} AS ${ident(result.name)}`,
  ];
  const from = c.cte(
    `SELECT ${select.join(', ')} FROM ${bins} AS b JOIN ${rows} AS r ON ${[...sameGroup, inWindow].join(' AND ')} ` +
      `GROUP BY ${[...keyNames.map((k) => `b.${k}`), 'b._tt_bin'].join(', ')}`,
  );
  return { from, columns: out.map(({ name, type }) => ({ name, type })), source: 'none', ordinal: false };
};
