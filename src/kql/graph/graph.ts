/**
 * `make-graph` (and `graph-mark-components`) as SQL: a graph is a node CTE and an edge CTE. Each node row
 * carries its id (`_tt_id`, the key value) and its first appearance (`_tt_seq`); each edge row carries its
 * endpoints (`_tt_src`, `_tt_dst`) and its position (`_tt_eid`). Nodes that only edges name become nodes
 * whose key column holds the id and whose other columns are null, as in Kusto.
 */
import type { Column, Compiler, Relation } from '../context.js';
import type { KNode } from '../kusto.js';
import { ident } from '../sql.js';

export interface Graph {
  nodes: string;
  nodeColumns: Column[];
  edges: string;
  edgeColumns: Column[];
}

function columnOf(rel: Relation, name: string | undefined, node: KNode, c: Compiler): Column {
  const col = rel.columns.find((x) => x.name === name);
  return col ?? c.fail(node, `column ${name ?? '?'} not found`);
}

/**
 * A node id: the key, or with `partitioned-by P` the pair (P, key), so that nodes and edges of different
 * partitions never meet (each partition's graph is matched on its own, as Kusto runs the subquery per
 * partition).
 */
function nodeId(key: string, partition: string | undefined): string {
  return partition
    ? `CASE WHEN ${key} IS NULL THEN NULL ELSE struct_pack(p := ${partition}, k := ${key}) END`
    : key;
}

function makeGraph(op: KNode, edgesIn: Relation, c: Compiler): Graph {
  if (op.list('Parameters').length) return c.fail(op, 'make-graph parameters');
  const partitionBy = op.node('PartitionedByClause')?.node('Entity')?.simpleName;
  if (op.node('PartitionedByClause') && !partitionBy)
    return c.fail(op.node('PartitionedByClause')!, 'make-graph partitioned-by');
  const part = partitionBy ? ident(columnOf(edgesIn, partitionBy, op, c).name) : undefined;
  const direction = op.token('DirectionToken');
  if (direction !== '-->') return c.fail(op, `make-graph ${direction ?? '?'}`);
  const src = columnOf(edgesIn, op.node('SourceColumn')?.simpleName, op, c);
  const dst = columnOf(edgesIn, op.node('TargetColumn')?.simpleName, op, c);
  const edges = c.cte(
    `SELECT *, ${nodeId(ident(src.name), part)} AS _tt_src, ${nodeId(ident(dst.name), part)} AS _tt_dst, row_number() OVER () AS _tt_eid FROM ${edgesIn.from}`,
  );
  // every endpoint, with where it first appears
  const endpoints = c.cte(
    `SELECT _tt_id, min(_tt_seq) AS _tt_seq FROM (SELECT _tt_src AS _tt_id, 2 * _tt_eid AS _tt_seq FROM ${edges} ` +
      `UNION ALL SELECT _tt_dst, 2 * _tt_eid + 1 FROM ${edges}) WHERE _tt_id IS NOT NULL GROUP BY _tt_id`,
  );
  const clause = op.node('WithClause');
  const edgeColumns = edgesIn.columns;
  if (clause?.kind === 'MakeGraphWithImplicitIdClause') {
    const name = clause.node('Name')?.simpleName;
    if (!name) return c.fail(clause);
    if (part) return c.fail(clause, 'make-graph partitioned-by with implicit node ids');
    const nodes = c.cte(`SELECT _tt_id AS ${ident(name)}, _tt_id, _tt_seq FROM ${endpoints}`);
    return { nodes, nodeColumns: [{ name, type: src.type }], edges, edgeColumns };
  }
  const tables = clause?.list('TablesAndKeys') ?? [];
  if (tables.length !== 1) return c.fail(clause ?? op, 'make-graph with other than one node table');
  const table = c.tabular(tables[0].node('Table')!);
  const key = columnOf(table, tables[0].node('Column')?.simpleName, tables[0], c);
  if (partitionBy) columnOf(table, partitionBy, tables[0], c); // the node table has the partition column too
  const own = table.columns.map((col) => ident(col.name)).join(', ');
  const missing = table.columns
    .map((col) => {
      if (col.name === key.name) return `e._tt_id${part ? '.k' : ''} AS ${ident(col.name)}`;
      if (part && col.name === partitionBy) return `e._tt_id.p AS ${ident(col.name)}`;
      return `NULL AS ${ident(col.name)}`;
    })
    .join(', ');
  const id = nodeId(ident(key.name), part);
  // the table's rows first (in their order), then the endpoints no row describes
  const nodes = c.cte(
    `SELECT ${own}, ${id} AS _tt_id, -1000000000 + row_number() OVER () AS _tt_seq FROM ${table.from} ` +
      `UNION ALL SELECT ${missing}, e._tt_id, e._tt_seq FROM ${endpoints} AS e ` +
      `WHERE e._tt_id NOT IN (SELECT ${id} FROM ${table.from} WHERE ${ident(key.name)} IS NOT NULL)`,
  );
  return { nodes, nodeColumns: table.columns, edges, edgeColumns };
}

/** Weakly connected components, numbered from 0 by their first node; the id goes in column `name`. */
function markComponents(op: KNode, graph: Graph, c: Compiler): Graph {
  const params = op.list('Parameters');
  const named = (p: KNode) => p.node('Name')?.simpleName?.toLowerCase();
  const idParam = params.find((p) => named(p) === 'with_component_id');
  if (params.some((p) => p !== idParam)) return c.fail(op, 'graph-mark-components parameters');
  const name = idParam ? (idParam.node('Expression')?.simpleName ?? '') : 'ComponentId';
  if (!name) return c.fail(op, 'graph-mark-components column name');
  const links = c.cte(
    `SELECT _tt_src AS a, _tt_dst AS b FROM ${graph.edges} UNION SELECT _tt_dst, _tt_src FROM ${graph.edges}`,
  );
  // every node reaches its component's nodes; the component is named by its first node
  const reach = c.cte(
    `SELECT * FROM (WITH RECURSIVE r(id, other) AS (SELECT _tt_id, _tt_id FROM ${graph.nodes} ` +
      `UNION SELECT r.id, l.b FROM r JOIN ${links} AS l ON l.a = r.other) SELECT * FROM r)`,
  );
  const nodes = c.cte(
    `SELECT n.*, dense_rank() OVER (ORDER BY f.first) - 1 AS ${ident(name)} FROM ${graph.nodes} AS n JOIN ` +
      `(SELECT r.id, min(m._tt_seq) AS first FROM ${reach} AS r JOIN ${graph.nodes} AS m ON m._tt_id = r.other GROUP BY r.id) AS f ON f.id = n._tt_id`,
  );
  return { ...graph, nodes, nodeColumns: [...graph.nodeColumns, { name, type: 'long' }] };
}

/** The graph a graph operator reads: `… | make-graph … [| graph-mark-components …]`. */
export function graphOf(pipe: KNode, c: Compiler): Graph {
  if (pipe.kind !== 'PipeExpression') return c.fail(pipe, 'graph that is not built by make-graph');
  const op = pipe.node('Operator')!;
  const input = pipe.node('Expression')!;
  if (op.kind === 'MakeGraphOperator') return makeGraph(op, c.tabular(input), c);
  if (op.kind === 'GraphMarkComponentsOperator') return markComponents(op, graphOf(input, c), c);
  return c.fail(op, 'graph operator input');
}
