/**
 * A graph-match pattern, `(a)-[e*1..3]->(b)<-[f]-(c)`, read from the syntax tree: nodes alternate with
 * edges; an edge has a direction and a length range (1..1 unless `*n..m` is given).
 */
import type { Compiler } from '../context.js';
import type { KNode } from '../kusto.js';

export type Direction = 'forward' | 'backward' | 'any';

export interface PatternEdge {
  name: string | undefined;
  direction: Direction;
  min: number;
  max: number;
  node: KNode;
}

export interface Pattern {
  /** Node variable names (undefined for an anonymous `()`), one more than edges. */
  nodes: (string | undefined)[];
  edges: PatternEdge[];
}

/** Longest variable-length edge we unroll (each length is one more join). */
const MAX_LENGTH = 10;

function bound(node: KNode | undefined, c: Compiler, fallback: number): number {
  if (!node) return fallback;
  const n = Number(c.expr.constant(node, c)?.value);
  return Number.isInteger(n) && n >= 0 ? n : c.fail(node, 'edge length that is not a whole number');
}

export function readPattern(op: KNode, c: Compiler): Pattern {
  const patterns = op.list('Patterns');
  if (patterns.length !== 1) return c.fail(op, 'graph pattern list with other than one pattern');
  const pattern: Pattern = { nodes: [], edges: [] };
  for (const element of patterns[0].list('PatternElements')) {
    const name = element.node('Name')?.simpleName;
    if (element.kind === 'GraphMatchPatternNode') {
      if (pattern.nodes.length !== pattern.edges.length) return c.fail(element, 'two nodes in a row');
      pattern.nodes.push(name);
      continue;
    }
    if (element.kind !== 'GraphMatchPatternEdge' || pattern.nodes.length !== pattern.edges.length + 1)
      return c.fail(element, 'graph pattern element');
    const first = element.token('FirstToken') ?? '';
    const last = element.token('LastToken') ?? '';
    const backward = first.startsWith('<');
    const forward = last.endsWith('>');
    if (backward && forward) return c.fail(element, 'edge in both directions');
    const range = element.node('Range');
    const min = range ? bound(range.node('RangeStart'), c, 1) : 1;
    const max = range ? bound(range.node('RangeEnd'), c, min) : 1;
    if (max < min || max > MAX_LENGTH)
      return c.fail(range ?? element, `edge length range beyond 0..${MAX_LENGTH}`);
    pattern.edges.push({
      name,
      direction: forward ? 'forward' : backward ? 'backward' : 'any',
      min,
      max,
      node: element,
    });
  }
  if (pattern.nodes.length !== pattern.edges.length + 1)
    return c.fail(op, 'graph pattern that ends with an edge');
  return pattern;
}

/** Every choice of one length per edge (the cartesian product of the ranges). */
export function lengthChoices(pattern: Pattern): number[][] {
  let choices: number[][] = [[]];
  for (const edge of pattern.edges) {
    const next: number[][] = [];
    for (const choice of choices) for (let n = edge.min; n <= edge.max; n++) next.push([...choice, n]);
    choices = next;
  }
  return choices;
}

/** The text value of a named parameter (`cycles=none`, `output=all`), lower case. */
export function parameter(op: KNode, name: string): string | undefined {
  const p = op.list('Parameters').find((x) => x.node('Name')?.text.trim().toLowerCase() === name);
  return p?.node('Expression')?.text.trim().toLowerCase();
}
