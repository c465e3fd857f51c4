/**
 * Graph operators: `make-graph … | [graph-mark-components |] graph-match / graph-shortest-paths …`.
 * `compile.ts` hands a pipe whose operator is one of GRAPH_OPERATORS here instead of compiling its input
 * as a table (a graph is not one).
 */
import type { Column, Compiler, Relation } from '../context.js';
import type { KNode } from '../kusto.js';
import { graphOf } from './graph.js';
import { graphMatch } from './match.js';

export const GRAPH_OPERATORS = new Set(['GraphMatchOperator', 'GraphShortestPathsOperator']);

/** The rows of `pipe` (a PipeExpression whose operator is in GRAPH_OPERATORS). */
export function graphOperator(pipe: KNode, out: Column[], c: Compiler): Relation {
  const op = pipe.node('Operator')!;
  return graphMatch(op, graphOf(pipe.node('Expression')!, c), out, c);
}
