/**
 * Graph operators: `make-graph … | [graph-mark-components |] graph-match / graph-shortest-paths …`.
 * `compile.ts` hands a pipe whose operator is one of GRAPH_OPERATORS here instead of compiling its input
 * as a table (a graph is not one).
 */
import type { Column, Compiler, Relation } from '../context.js';
import type { KNode } from '../kusto.js';
import { graphOf } from './graph.js';
import { graphMatch } from './match.js';

export const GRAPH_OPERATORS = new Set([
  'GraphMatchOperator',
  'GraphShortestPathsOperator',
  'MakeGraphOperator',
]);

/**
 * The rows of `pipe` (a PipeExpression whose operator is in GRAPH_OPERATORS). `make-graph … partitioned-by
 * P (graph-match …)` matches its subquery on the graph whose node ids carry the partition (graph.ts).
 */
export function graphOperator(pipe: KNode, out: Column[], c: Compiler): Relation {
  const op = pipe.node('Operator')!;
  if (op.kind !== 'MakeGraphOperator') return graphMatch(op, graphOf(pipe.node('Expression')!, c), out, c);
  const sub = op.node('PartitionedByClause')?.node('Subquery');
  const inner = sub?.kind === 'ParenthesizedExpression' ? sub.node('Expression') : sub;
  if (!inner || !['GraphMatchOperator', 'GraphShortestPathsOperator'].includes(inner.kind))
    return c.fail(inner ?? op, 'make-graph partitioned-by with a subquery other than graph-match');
  return graphMatch(inner, graphOf(pipe, c), out, c);
}
