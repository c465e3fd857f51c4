/**
 * `evaluate rows_near(condition, before [, after])`: the rows of the serialized input within `before`
 * rows before or `after` rows after (default: `before`) a row where the condition holds, in order.
 */
import { serialize, ORDINAL_COLUMN, projectItems } from '../relation.js';
import { ident } from '../sql.js';
import { constNumber, pluginArgs, rowSql, type Plugin } from './common.js';

export const rowsNear: Plugin = (op, call, input, out, c) => {
  const args = pluginArgs(call);
  if (args.length < 2 || args.length > 3) return c.fail(call, 'rows_near arguments');
  const before = constNumber(args[1], call, c, 'rows_near row count');
  const after = args[2] ? constNumber(args[2], call, c, 'rows_near row count') : before;
  if (![before, after].every((n) => Number.isInteger(n) && n >= 0))
    return c.fail(call, 'rows_near row count that is not a whole number');
  const rel = serialize(input, c);
  const condition = rowSql(args[0], c).sql;
  const ord = ident(ORDINAL_COLUMN);
  // a row is near when a matching row lies up to `before` rows after it or `after` rows before it
  const near = c.cte(
    `SELECT * FROM (SELECT *, bool_or(coalesce(${condition}, false)) OVER (ORDER BY ${ord} ` +
      `ROWS BETWEEN ${after} PRECEDING AND ${before} FOLLOWING) AS _tt_near FROM ${rel.from}) WHERE _tt_near`,
  );
  const items = out.map(({ name, type }) => ({ name, type, sql: ident(name), passthrough: name }));
  return projectItems({ ...rel, from: near }, items, c, (d) => c.fail(op, d));
};
