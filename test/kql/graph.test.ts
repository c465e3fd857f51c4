/** Graph operators (src/kql/graph) on small graphs whose matches can be listed by hand. */
import { describe, expect, it } from 'vitest';
import { useFixture } from './op-fixture.js';

const run = useFixture();

// a → b → c → d, a → c, and e → a; node table without d (d only named by an edge)
const GRAPH = `let nodes = datatable(name:string, age:long) ["a", 10, "b", 20, "c", 30, "e", 50];
let edges = datatable(src:string, dst:string, rel:string) ["a", "b", "x", "b", "c", "y", "c", "d", "x", "a", "c", "y", "e", "a", "x"];
edges | make-graph src --> dst with nodes on name`;

const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.values(r))).sort();

describe('graph-match', () => {
  it('fixed pattern with node and edge properties in where and project', async () => {
    const { columns, rows } = await run(
      `${GRAPH} | graph-match (x)-[e]->(y)-[f]->(z) where e.rel == "x" and f.rel == "y" project x = x.name, y = y.name, z = z.name, age = y.age`,
    );
    expect(columns).toEqual(['x', 'y', 'z', 'age']);
    expect(sorted(rows)).toEqual(
      sorted([
        { x: 'a', y: 'b', z: 'c', age: 20 },
        { x: 'e', y: 'a', z: 'c', age: 10 },
      ]),
    );
  });

  it('variable-length edges: map over hops and inner nodes; a node only an edge names has a null age', async () => {
    const { rows } = await run(
      `${GRAPH} | graph-match (s)-[p*2..3]->(t) where s.name == "a" project t = t.name, kinds = map(p, rel), via = map(inner_nodes(p), name), tAge = t.age`,
    );
    expect(sorted(rows)).toEqual(
      sorted([
        { t: 'c', kinds: ['x', 'y'], via: ['b'], tAge: 30 },
        { t: 'd', kinds: ['x', 'y', 'x'], via: ['b', 'c'], tAge: null },
        { t: 'd', kinds: ['y', 'x'], via: ['c'], tAge: null },
      ]),
    );
  });

  it('backward and undirected edges, all() over a path, node degrees', async () => {
    const back = await run(`${GRAPH} | graph-match (c)<-[e]-(p) where c.name == "c" project p = p.name`);
    expect(sorted(back.rows)).toEqual(sorted([{ p: 'b' }, { p: 'a' }]));
    const any = await run(
      `${GRAPH} | graph-match (s)-[p*1..2]-(t) where s.name == "e" and all(p, rel == "x") project t = t.name, out = node_degree_out(t), inDeg = node_degree_in(t)`,
    );
    expect(sorted(any.rows)).toEqual(
      sorted([
        { t: 'a', out: 2, inDeg: 1 },
        { t: 'b', out: 1, inDeg: 1 },
      ]),
    );
  });

  it('graph-shortest-paths keeps the fewest hops per pair of end nodes (output=all: every such path)', async () => {
    const one = await run(
      `${GRAPH} | graph-shortest-paths (s)-[p*1..3]->(t) where s.name == "a" and t.name == "d" project via = map(inner_nodes(p), name)`,
    );
    expect(one.rows).toEqual([{ via: ['c'] }]);
    const all = await run(
      `${GRAPH} | graph-shortest-paths output=all (s)-[p*1..3]->(t) where s.name == "e" and t.name == "c" project via = map(inner_nodes(p), name)`,
    );
    expect(all.rows).toEqual([{ via: ['a'] }]);
  });

  it('graph-mark-components numbers weakly connected components by their first node', async () => {
    const { rows } = await run(`datatable(a:string, b:string) ["p", "q", "r", "s", "q", "t"]
      | make-graph a --> b with_node_id=id | graph-mark-components with_component_id = comp
      | graph-match (x)-[e]->(y) project x = x.id, comp = x.comp`);
    expect(sorted(rows)).toEqual(
      sorted([
        { x: 'p', comp: 0 },
        { x: 'r', comp: 1 },
        { x: 'q', comp: 0 },
      ]),
    );
  });

  it('what it cannot answer is TT001 with the position', async () => {
    await expect(run(`${GRAPH} | graph-to-table nodes`)).rejects.toThrow(/TT001.*line 3/);
  });

  it('make-graph partitioned-by: each partition matched on its own (no path across partitions)', async () => {
    // the same names in two tenants: t1 has a → b, t2 has b → c; a path a → b → c would cross tenants
    const { rows } = await run(
      `let nodes = datatable(name:string, tenant:string, age:long) ["a", "t1", 1, "b", "t1", 2, "b", "t2", 20, "c", "t2", 30];
      datatable(src:string, dst:string, tenant:string) ["a", "b", "t1", "b", "c", "t2"]
      | make-graph src --> dst with nodes on name partitioned-by tenant (
          graph-match (x)-[e*1..2]->(y) project x = x.name, y = y.name, ya = y.age, t = y.tenant)`,
    );
    expect(sorted(rows)).toEqual(
      sorted([
        { x: 'a', y: 'b', ya: 2, t: 't1' },
        { x: 'b', y: 'c', ya: 30, t: 't2' },
      ]),
    );
  });
});
