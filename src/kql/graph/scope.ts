/**
 * How expressions of a graph operator read the pattern's variables: an Env intercept (see Env.intercept)
 * that resolves `node.col` / `edge.col`, the path functions `map`, `all`, `any` over a variable-length
 * edge or `inner_nodes(edge)`, and `node_degree_in` / `node_degree_out`. Everything else goes to the
 * ordinary translator; inside `map(e, x)` a bare column name reads the current hop or inner node.
 */
import type { Env, Sql } from '../context.js';
import { dialect } from '../dialect.js';
import type { KNode } from '../kusto.js';
import { ident } from '../sql.js';
import type { Graph } from './graph.js';

export type Binding =
  { kind: 'node' | 'edge'; alias: string } | { kind: 'path'; edges: string[]; inner: string[] };
export type Bindings = Map<string, Binding>;

interface Element {
  kind: 'node' | 'edge';
  alias: string;
}

function callName(node: KNode): string | undefined {
  return node.kind === 'FunctionCallExpression' ? node.node('Name')?.simpleName?.toLowerCase() : undefined;
}

function argsOf(node: KNode): KNode[] {
  return node.node('ArgumentList')?.list('Expressions') ?? [];
}

export function patternIntercept(bindings: Bindings, graph: Graph): NonNullable<Env['intercept']> {
  let current: Element | undefined;

  const bound = (node: KNode | undefined) =>
    node?.kind === 'NameReference' && node.simpleName ? bindings.get(node.simpleName) : undefined;

  /** The hops of a variable-length edge, or the inner nodes of `inner_nodes(edge)`. */
  function elements(node: KNode, env: Env): Element[] {
    const path = bound(node);
    if (path?.kind === 'path') return path.edges.map((alias) => ({ kind: 'edge', alias }));
    if (callName(node) === 'inner_nodes') {
      const inner = bound(argsOf(node)[0]);
      if (inner?.kind === 'path') return inner.inner.map((alias) => ({ kind: 'node', alias }));
    }
    return env.c.fail(node, 'path function over something other than a variable-length edge');
  }

  function overElements(node: KNode, env: Env, each: (sql: string) => string, join: string, empty: string) {
    const [collection, body] = argsOf(node);
    if (!collection || !body) return env.c.fail(node, 'path function arguments');
    const outer = current;
    const parts = elements(collection, env).map((element) => {
      current = element;
      const scope = { column: (name: string) => `${element.alias}.${ident(name)}` };
      try {
        return each(env.c.expr.scalar(body, { ...env, scope }).sql);
      } finally {
        current = outer;
      }
    });
    return parts.length ? parts.join(join) : empty;
  }

  function degree(node: KNode, env: Env, endpoint: '_tt_src' | '_tt_dst'): Sql {
    const [target] = argsOf(node);
    const b = bound(target);
    const alias = target
      ? b?.kind === 'node'
        ? b.alias
        : undefined
      : current?.kind === 'node'
        ? current.alias
        : undefined;
    if (!alias) return env.c.fail(node, 'node degree of something other than a pattern node');
    return {
      sql: `(SELECT count(*) FROM ${graph.edges} AS d WHERE d.${endpoint} = ${alias}._tt_id)`,
      type: 'long',
    };
  }

  return (node, env) => {
    if (node.kind === 'PathExpression') {
      const b = bound(node.node('Expression'));
      if (!b) return undefined;
      const field = node.node('Selector')?.simpleName;
      const columns = b.kind === 'node' ? graph.nodeColumns : b.kind === 'edge' ? graph.edgeColumns : [];
      const column = columns.find((col) => col.name === field);
      if (b.kind === 'path' || !column) return env.c.fail(node, `graph element property ${field ?? '?'}`);
      const sql = `${b.alias}.${ident(column.name)}`;
      return { sql: column.type === 'string' ? `coalesce(${sql}, '')` : sql, type: column.type };
    }
    switch (callName(node)) {
      case 'map': {
        const list = overElements(node, env, (sql) => sql, ', ', '');
        return { sql: list ? dialect.toJson(`[${list}]`) : `CAST('[]' AS JSON)`, type: 'dynamic' };
      }
      case 'all':
        return {
          sql: `(${overElements(node, env, (p) => `coalesce(${p}, false)`, ' AND ', 'true')})`,
          type: 'bool',
        };
      case 'any':
        return {
          sql: `(${overElements(node, env, (p) => `coalesce(${p}, false)`, ' OR ', 'false')})`,
          type: 'bool',
        };
      case 'inner_nodes':
        return env.c.fail(node, 'inner_nodes outside map / all / any');
      case 'node_degree_out':
        return degree(node, env, '_tt_src');
      case 'node_degree_in':
        return degree(node, env, '_tt_dst');
    }
    return undefined;
  };
}
