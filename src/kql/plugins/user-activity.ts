/**
 * User-activity plugins over (id, timestamp) rows, without dimension columns:
 * - `activity_counts_metrics(id, t, start, end, window)`: per window from `start` to `end` (aligned to
 *   `start`), the rows, the distinct ids, the ids first seen (since `start`) in that window, and the
 *   distinct ids seen from `start` up to it;
 * - `active_users_count(id, t, start, end, lookback, period, n, bin)`: per bin (aligned to `start`) the ids
 *   that, at an appearance inside the bin, were seen in at least `n` distinct periods of the `lookback`
 *   before it (that appearance's period included); bins without such ids are left out, as in Kusto.
 */
import type { Column, Compiler, Relation } from '../context.js';
import type { KNode } from '../kusto.js';
import { ident } from '../sql.js';
import { binned, constNumber, pluginArgs, rowSql, stepping, type Plugin } from './common.js';

function relation(from: string, out: Column[]): Relation {
  return { from, columns: out.map(({ name, type }) => ({ name, type })), source: 'none', ordinal: false };
}

function argumentsOf(call: KNode, count: number, name: string, c: Compiler): KNode[] {
  const args = pluginArgs(call);
  if (args.length > count) return c.fail(args[count], `${name} dimension columns`);
  if (args.length < count) return c.fail(call, `${name} arguments`);
  return args;
}

export const activityCountsMetrics: Plugin = (_op, call, input, out, c) => {
  const args = argumentsOf(call, 5, 'activity_counts_metrics', c);
  if (out.length !== 5) return c.fail(call, 'activity_counts_metrics result columns');
  const [id, ts, start, end] = args.slice(0, 4).map((a) => rowSql(a, c));
  const s = stepping(ts, rowSql(args[4], c), args[4], c);
  const first = s.units(start.sql);
  const bin = (v: string) => `(${first} + ${binned(`(${v} - ${first})`, s.step)})`;
  const rows = c.cte(
    `SELECT ${id.sql} AS _tt_id, ${bin(s.units(ts.sql))} AS _tt_bin FROM ${input.from} ` +
      `WHERE ${ts.sql} >= ${start.sql} AND ${bin(s.units(ts.sql))} <= ${bin(s.units(end.sql))}`,
  );
  const firstSeen = c.cte(
    `SELECT _tt_id, min(_tt_bin) AS _tt_first FROM ${rows} WHERE _tt_id IS NOT NULL GROUP BY _tt_id`,
  );
  const bins = c.cte(
    `SELECT unnest(generate_series(CAST(${first} AS BIGINT), CAST(${bin(s.units(end.sql))} AS BIGINT), CAST(${s.step} AS BIGINT))) AS _tt_bin`,
  );
  const [t, count, dcount, fresh, total] = out.map((col) => ident(col.name));
  const from = c.cte(
    `SELECT ${s.back('b._tt_bin')} AS ${t}, ` +
      `(SELECT count(*) FROM ${rows} AS r WHERE r._tt_bin = b._tt_bin) AS ${count}, ` +
      `(SELECT count(DISTINCT r._tt_id) FROM ${rows} AS r WHERE r._tt_bin = b._tt_bin) AS ${dcount}, ` +
      `(SELECT count(*) FROM ${firstSeen} AS f WHERE f._tt_first = b._tt_bin) AS ${fresh}, ` +
      `(SELECT count(*) FROM ${firstSeen} AS f WHERE f._tt_first <= b._tt_bin) AS ${total} ` +
      `FROM ${bins} AS b`,
  );
  return relation(from, out);
};

export const activeUsersCount: Plugin = (_op, call, input, out, c) => {
  const args = argumentsOf(call, 8, 'active_users_count', c);
  if (out.length !== 2) return c.fail(call, 'active_users_count result columns');
  const [id, ts, start, end] = args.slice(0, 4).map((a) => rowSql(a, c));
  const n = constNumber(args[6], call, c, 'active_users_count active periods');
  const period = stepping(ts, rowSql(args[5], c), args[5], c);
  const lookback = stepping(ts, rowSql(args[4], c), args[4], c).step;
  const binStep = stepping(ts, rowSql(args[7], c), args[7], c).step;
  const first = period.units(start.sql);
  const periods = c.cte(
    `SELECT DISTINCT ${id.sql} AS _tt_id, ${binned(period.units(ts.sql), period.step)} AS _tt_p ` +
      `FROM ${input.from} WHERE ${id.sql} IS NOT NULL AND ${ts.sql} <= ${end.sql}`,
  );
  const active = c.cte(
    `SELECT a._tt_id, a._tt_p FROM ${periods} AS a JOIN ${periods} AS q ON q._tt_id = a._tt_id ` +
      `AND q._tt_p > a._tt_p - ${lookback} AND q._tt_p <= a._tt_p ` +
      `WHERE a._tt_p >= ${first} GROUP BY a._tt_id, a._tt_p HAVING count(*) >= ${n}`,
  );
  const [t, dcount] = out.map((col) => ident(col.name));
  const bin = `(${first} + ${binned(`(_tt_p - ${first})`, binStep)})`;
  const from = c.cte(
    `SELECT ${period.back(`CAST(${bin} AS BIGINT)`)} AS ${t}, count(DISTINCT _tt_id) AS ${dcount} FROM ${active} GROUP BY ${bin}`,
  );
  return relation(from, out);
};

/**
 * `sliding_window_counts(id, t, start, end, lookback, bin)`: per bin (aligned to `start`, up to `end`) the
 * rows and distinct ids of the bins within `lookback` before it, its own included ((b − lookback, b]); a
 * bin no row reaches is left out, as in the documented technique (bin, range over the lookback, summarize).
 */
export const slidingWindowCounts: Plugin = (_op, call, input, out, c) => {
  const args = argumentsOf(call, 6, 'sliding_window_counts', c);
  if (out.length !== 3) return c.fail(call, 'sliding_window_counts result columns');
  const [id, ts, start, end] = args.slice(0, 4).map((a) => rowSql(a, c));
  const bin = stepping(ts, rowSql(args[5], c), args[5], c);
  const lookback = stepping(ts, rowSql(args[4], c), args[4], c).step;
  const first = bin.units(start.sql);
  const rowBin = `(${first} + ${binned(`(${bin.units(ts.sql)} - ${first})`, bin.step)})`;
  const rows = c.cte(
    `SELECT ${id.sql} AS _tt_id, ${rowBin} AS _tt_bin FROM ${input.from} WHERE ${ts.sql} IS NOT NULL`,
  );
  const bins = c.cte(
    `SELECT unnest(generate_series(CAST(${first} AS BIGINT), CAST(${bin.units(end.sql)} AS BIGINT), CAST(${bin.step} AS BIGINT))) AS _tt_bin`,
  );
  const [t, count, dcount] = out.map((col) => ident(col.name));
  const from = c.cte(
    `SELECT ${bin.back('b._tt_bin')} AS ${t}, count(*) AS ${count}, count(DISTINCT r._tt_id) AS ${dcount} ` +
      `FROM ${bins} AS b JOIN ${rows} AS r ON r._tt_bin <= b._tt_bin AND r._tt_bin > b._tt_bin - ${lookback} ` +
      `GROUP BY b._tt_bin`,
  );
  return relation(from, out);
};
