/**
 * `top-nested [N] of Expr by Aggregate [asc|desc], top-nested …`: a hierarchy of top groups. Level 1
 * groups the rows by its expression and keeps the N groups (all without N) with the largest aggregate
 * (smallest with `asc`); each later level does the same within every group kept by the level above, over
 * that group's rows. One output row per group of the last level: each level's value and aggregate, in
 * the binder's columns. In SQL: one GROUP BY per level over the rows of the groups kept above (a semi-join
 * on the keys so far, nulls matching nulls), ranked with row_number() within the parent's keys.
 * `with others` is TT001.
 */
import type { Column, Compiler, Env, Relation } from './context.js';
import type { KNode } from './kusto.js';
import { rowScope } from './expr.js';
import { ident } from './sql.js';

interface Level {
  limit: string | undefined;
  key: string;
  aggregate: string;
  desc: boolean;
}

function level(clause: KNode, c: Compiler): Level {
  if (clause.node('WithOthersClause'))
    return c.fail(clause.node('WithOthersClause')!, 'top-nested with others');
  const row: Env = { c, scope: rowScope(), aggregate: false };
  const count = clause.node('Expression');
  const of = clause.node('OfExpression');
  let by = clause.node('ByExpression');
  if (!of || !by) return c.fail(clause, 'top-nested clause');
  let desc = true;
  if (by.kind === 'OrderedExpression') {
    desc = (by.node('Ordering')?.token('AscOrDescKeyword') ?? 'desc').toLowerCase() !== 'asc';
    by = by.node('Expression')!;
  }
  const unnamed = (e: KNode) => (e.kind === 'SimpleNamedExpression' ? e.node('Expression')! : e);
  return {
    limit: count ? c.expr.scalar(count, row).sql : undefined,
    key: c.expr.scalar(unnamed(of), row).sql,
    aggregate: c.expr.scalar(unnamed(by), { ...row, aggregate: true }).sql,
    desc,
  };
}

export function topNested(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const levels = op.list('Clauses').map((clause) => level(clause, c));
  if (out.length !== 2 * levels.length) return c.fail(op, 'top-nested result columns');
  const keys = levels.map((_, i) => `_tt_k${i}`);
  // every row with its key at each level
  const rows = c.cte(
    `SELECT *, ${levels.map((l, i) => `${l.key} AS ${keys[i]}`).join(', ')} FROM ${input.from}`,
  );
  let kept: string | undefined; // the groups kept by the level above: its keys
  const tables: string[] = [];
  levels.forEach((l, i) => {
    const own = keys.slice(0, i + 1);
    const parent = keys.slice(0, i);
    const inParent = kept
      ? ` WHERE EXISTS (SELECT 1 FROM ${kept} AS p WHERE ${parent.map((k) => `p.${k} IS NOT DISTINCT FROM r.${k}`).join(' AND ')})`
      : '';
    const rank = `row_number() OVER (${parent.length ? `PARTITION BY ${parent.join(', ')} ` : ''}ORDER BY _tt_a${i} ${l.desc ? 'DESC' : 'ASC'} NULLS LAST)`;
    const grouped = `SELECT ${own.map((k) => `r.${k} AS ${k}`).join(', ')}, ${l.aggregate} AS _tt_a${i} FROM ${rows} AS r${inParent} GROUP BY ${own.map((k) => `r.${k}`).join(', ')}`;
    kept = c.cte(
      l.limit === undefined ? grouped : `SELECT * FROM (${grouped}) QUALIFY ${rank} <= ${l.limit}`,
    );
    tables.push(kept);
  });
  // the last level's groups, with every level's aggregate joined on its keys
  const joins = tables
    .slice(0, -1)
    .map(
      (t, i) =>
        ` JOIN ${t} AS l${i} ON ${keys
          .slice(0, i + 1)
          .map((k) => `l${i}.${k} IS NOT DISTINCT FROM last.${k}`)
          .join(' AND ')}`,
    )
    .join('');
  const last = levels.length - 1;
  const list = levels.flatMap((_, i) => [
    `last.${keys[i]} AS ${ident(out[2 * i].name)}`,
    `${i === last ? 'last' : `l${i}`}._tt_a${i} AS ${ident(out[2 * i + 1].name)}`,
  ]);
  const from = c.cte(`SELECT ${list.join(', ')} FROM ${tables[last]} AS last${joins}`);
  return { from, columns: out.map(({ name, type }) => ({ name, type })), source: 'none', ordinal: false };
}
