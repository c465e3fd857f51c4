/**
 * `graph-match` and `graph-shortest-paths` as SQL over a Graph (graph.ts). A pattern with variable-length
 * edges is unrolled: one SELECT per choice of lengths, each a chain of joins (a node alias per pattern
 * node and per inner node of a path, an edge alias per hop), all joined by UNION ALL. Expressions see the
 * pattern's variables through an intercept (scope.ts): `a.col` reads the alias's column, `map(e, x)`,
 * `all(e, p)`, `any(e, p)` and `inner_nodes(e)` expand over the hops of the choice at hand.
 * Cycles: `unique_edges` (default: no edge twice), `none` (no node twice on a variable-length edge's path)
 * or `all`. Shortest paths keep, per pair of end nodes, the paths of least hops that pass the `where`;
 * with `output=any` (default) the first of them in the edges' order.
 */
import type { Column, Compiler, Env, Relation } from '../context.js';
import { dialect } from '../dialect.js';
import { rowScope } from '../expr.js';
import type { KNode } from '../kusto.js';
import { ident } from '../sql.js';
import type { Graph } from './graph.js';
import { lengthChoices, parameter, readPattern, type Pattern } from './pattern.js';
import { patternIntercept, type Bindings } from './scope.js';

/** Unrolled SELECTs we accept for one pattern. */
const MAX_CHOICES = 64;

function hop(direction: string, e: string, a: string, b: string): string {
  const forward = `(${e}._tt_src = ${a}._tt_id AND ${e}._tt_dst = ${b}._tt_id)`;
  const backward = `(${e}._tt_dst = ${a}._tt_id AND ${e}._tt_src = ${b}._tt_id)`;
  if (direction === 'forward') return forward;
  if (direction === 'backward') return backward;
  return `(${forward} OR ${backward})`;
}

function distinctPairs(aliases: string[], column: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < aliases.length; i++)
    for (let j = i + 1; j < aliases.length; j++)
      out.push(`${aliases[i]}.${column} <> ${aliases[j]}.${column}`);
  return out;
}

interface Unrolled {
  from: string[];
  where: string[];
  bindings: Bindings;
  hops: string[];
}

function unroll(pattern: Pattern, lengths: number[], graph: Graph, cycles: string): Unrolled {
  const from = pattern.nodes.map((_, k) => `${graph.nodes} AS n${k}`);
  const where: string[] = [];
  const bindings: Bindings = new Map();
  pattern.nodes.forEach((name, k) => name && bindings.set(name, { kind: 'node', alias: `n${k}` }));
  const hops: string[] = [];
  pattern.edges.forEach((edge, i) => {
    const length = lengths[i];
    const path = [`n${i}`];
    for (let j = 1; j < length; j++) {
      from.push(`${graph.nodes} AS m${i}_${j}`);
      path.push(`m${i}_${j}`);
    }
    path.push(`n${i + 1}`);
    const edgeAliases: string[] = [];
    for (let j = 0; j < length; j++) {
      from.push(`${graph.edges} AS e${i}_${j}`);
      edgeAliases.push(`e${i}_${j}`);
      where.push(hop(edge.direction, `e${i}_${j}`, path[j], path[j + 1]));
    }
    if (length === 0) where.push(`n${i}._tt_id = n${i + 1}._tt_id`);
    if (cycles === 'none' && edge.max > 1) where.push(...distinctPairs(path, '_tt_id'));
    hops.push(...edgeAliases);
    if (edge.name)
      bindings.set(
        edge.name,
        edge.min === 1 && edge.max === 1
          ? { kind: 'edge', alias: edgeAliases[0] }
          : { kind: 'path', edges: edgeAliases, inner: path.slice(1, -1) },
      );
  });
  if (cycles !== 'all') where.push(...distinctPairs(hops, '_tt_eid'));
  return { from, where, bindings, hops };
}

function typed(sql: string, type: string): string {
  if (type === 'string') return `coalesce(CAST(${sql} AS VARCHAR), '')`;
  const duck = dialect.type(type);
  return duck ? `CAST(${sql} AS ${duck})` : sql;
}

/**
 * Kusto names an unnamed call in a graph operator's projection after the function (`node_degree_out`),
 * where Kusto.Language's binder says `Column1`.
 */
function columnName(projection: KNode, col: Column): string {
  const fn = projection.kind === 'FunctionCallExpression' ? projection.node('Name')?.simpleName : undefined;
  return fn && /^Column\d+$/.test(col.name) ? fn : col.name;
}

export function graphMatch(op: KNode, graph: Graph, out: Column[], c: Compiler): Relation {
  const shortest = op.kind === 'GraphShortestPathsOperator';
  const pattern = readPattern(op, c);
  const cycles = parameter(op, 'cycles') ?? 'unique_edges';
  const output = parameter(op, 'output') ?? 'any';
  if (!['unique_edges', 'none', 'all'].includes(cycles)) return c.fail(op, `cycles=${cycles}`);
  if (!['any', 'all'].includes(output) || (!shortest && parameter(op, 'output')))
    return c.fail(op, `output=${output}`);
  if (
    op
      .list('Parameters')
      .some((p) => !['cycles', 'output'].includes(p.node('Name')?.text.trim().toLowerCase() ?? ''))
  )
    return c.fail(op, 'graph operator parameters');
  const condition = op.node('WhereClause')?.node('Condition');
  const projections = op.node('ProjectClause')?.list('Expressions') ?? [];
  if (projections.length === 0 || projections.length !== out.length)
    return c.fail(op, 'graph operator without a project clause of one column per expression');
  const choices = lengthChoices(pattern);
  if (choices.length > MAX_CHOICES) return c.fail(op, `pattern with more than ${MAX_CHOICES} length choices`);
  const last = pattern.nodes.length - 1;
  // the translated expression's type wins where the binder's differs (it types strcat_array(map(…)) dynamic)
  const types: string[] = [];
  const selects = choices.map((lengths) => {
    const u = unroll(pattern, lengths, graph, cycles);
    const env: Env = { c, scope: rowScope(), aggregate: false };
    env.intercept = patternIntercept(u.bindings, graph);
    const items = projections.map((p, i) => {
      const expr = p.kind === 'SimpleNamedExpression' ? p.node('Expression')! : p;
      const value = c.expr.scalar(expr, env);
      types[i] ??= value.type === 'unknown' ? out[i].type : value.type;
      return `${typed(value.sql, types[i])} AS ${ident(columnName(p, out[i]))}`;
    });
    const hops = u.hops.map((h) => `${h}._tt_eid`);
    items.push(
      `${u.hops.length} AS _tt_len`,
      `n0._tt_id AS _tt_a`,
      `n${last}._tt_id AS _tt_b`,
      `CAST([${hops.join(', ')}] AS BIGINT[]) AS _tt_path`,
    );
    const where = condition ? [...u.where, `coalesce(${c.expr.scalar(condition, env).sql}, false)`] : u.where;
    return `SELECT ${items.join(', ')} FROM ${u.from.join(', ')}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  });
  const columns = out.map((col, i) => ({ name: columnName(projections[i], col), type: types[i] }));
  const all = c.cte(selects.join(' UNION ALL '));
  const list = columns.map((col) => ident(col.name)).join(', ');
  const pick = !shortest
    ? ''
    : output === 'all'
      ? ' QUALIFY _tt_len = min(_tt_len) OVER (PARTITION BY _tt_a, _tt_b)'
      : ' QUALIFY row_number() OVER (PARTITION BY _tt_a, _tt_b ORDER BY _tt_len, _tt_path) = 1';
  const from = c.cte(`SELECT ${list} FROM ${all}${pick}`);
  return { from, columns, source: 'none', ordinal: false };
}
