/**
 * `partition [hint.strategy=…] by Column ( subquery )`: the subquery runs on each sub-table of rows with
 * one value of the column, and the results are put together. In SQL, as mv-apply's subquery: one relation
 * partitioned by the column's value (Relation.partition: aggregates group by it, take / top / scan work
 * within it). The hints only choose how Kusto distributes the work; the answer is the same. The legacy
 * `{ … }` form and operators that would cross sub-tables are TT001.
 */
import type { Column, Compiler, Relation } from './context.js';
import type { KNode } from './kusto.js';
import { ALLOWED, subquery } from './op-mv-apply.js';
import { ident } from './sql.js';

const PART = '_tt_part';
const HINTS = new Set(['hint.strategy', 'hint.materialized', 'hint.concurrency', 'hint.spread']);
const PARTITION_ALLOWED = new Set([...ALLOWED, 'ScanOperator', 'SerializeOperator']);

export function partition(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  for (const p of op.list('Parameters')) {
    const name = p.node('Name')?.simpleName?.toLowerCase() ?? '';
    if (!HINTS.has(name)) return c.fail(p, `partition ${name}`);
  }
  const by = op.node('ByExpression');
  const column = by?.kind === 'NameReference' && by.symbol?.kind === 'Column' ? by.simpleName : undefined;
  if (!by || !column) return c.fail(by ?? op, 'partition by something other than a column');
  if (op.node('Scope')) return c.fail(op.node('Scope')!, 'partition scope');
  const operand = op.node('Operand');
  const body = operand?.kind === 'PartitionSubquery' ? operand.node('Subquery') : undefined;
  if (!body) return c.fail(operand ?? op, 'partition { … } form');
  const rows = c.cte(`SELECT *, ${ident(column)} AS ${ident(PART)} FROM ${input.from}`);
  const all = c.cte(`SELECT DISTINCT ${ident(PART)} FROM ${rows}`);
  const sub = subquery(
    body,
    { ...input, from: rows, partition: { column: PART, all } },
    c,
    PARTITION_ALLOWED,
    "partition's subquery",
  );
  // the subquery's own columns (the binder may list a scan's match_id that scan leaves out)
  const names = new Set(sub.columns.map((col) => col.name));
  const columns = out.filter((col) => names.has(col.name));
  if (columns.length !== sub.columns.length) return c.fail(op, "partition's result columns");
  const from = c.cte(`SELECT * EXCLUDE (${ident(PART)}) FROM ${sub.from}`);
  return { ...sub, from, columns, partition: undefined };
}
