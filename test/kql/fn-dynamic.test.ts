import { describe, expect, it } from 'vitest';
import { useEvaluator } from './fn-eval.js';

const { value, run } = useEvaluator();

describe('dynamic values', () => {
  it.each([
    [`parse_json('{"a":{"b":[1,2]}}').a.b[1]`, 2],
    [`parse_json('{"a":{"b":[1,2]}}')["a"]["b"][-1]`, 2],
    [`parse_json('{"a":null}').a`, null],
    [`parse_json('{"a b":{"k":1}}')["a b"].[strcat("", "k")]`, 1], // .[expr]: a key computed per row
    [`parse_urlquery("?q=a%20b&n=1")`, { 'Query Parameters': { q: 'a b', n: '1' } }],
    [`parse_json('{"a":1}').nokey`, null],
    [`parse_json("not json")`, 'not json'],
    [`todynamic('[1, "x"]')`, [1, 'x']],
    [`split("a.b.c", ".")[-2]`, 'b'],
    [`tostring(parse_json('{"k":"v"}').k)`, 'v'],
    [`tostring(parse_json('{"k":{"x":1}}').k)`, '{"x":1}'],
    [`array_length(dynamic([1, 2, 3]))`, 3],
    [`array_length(parse_json('{"a": 1}'))`, null],
    [`set_has_element(dynamic(["a", "b"]), "b")`, true],
    [`set_has_element(dynamic([1, 2]), 3)`, false],
    [`array_index_of(dynamic(["a", "b"]), "b")`, 1],
    [`array_slice(dynamic([1, 2, 3, 4]), 1, -1)`, [2, 3, 4]],
    [`array_slice(dynamic([1, 2]), 5, 9)`, []],
    [`array_concat(dynamic([1]), dynamic([2, 3]))`, [1, 2, 3]],
    [`bag_keys(dynamic({"a": 1, "b": 2}))`, ['a', 'b']],
    [`bag_pack("a", 1, "b", "x")`, { a: 1, b: 'x' }],
    [`pack_array(1, "x", dynamic([2]))`, [1, 'x', [2]]],
    [`extract_json("$.a.b", '{"a":{"b":"v"}}')`, 'v'],
    [`dynamic(['a', @'b\\c', "d"])`, ['a', 'b\\c', 'd']],
    [`dynamic({'k': [1, 'two'], "n": null})`, { k: [1, 'two'], n: null }],
    [
      `series_stats_dynamic(dynamic([1, 2, 3]))`,
      { min: 1, min_idx: 0, max: 3, max_idx: 2, avg: 2, stdev: 1, variance: 1 },
    ],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });
});

describe('column_ifexists', () => {
  const { run } = useEvaluator();
  it('reads the column when the input has it, else the default', async () => {
    const q = (name: string) => `print A = "x" | extend v = column_ifexists("${name}", "none")`;
    expect((await run(q('A'))).rows[0].v).toBe('x');
    expect((await run(q('Missing'))).rows[0].v).toBe('none');
  });
});

describe('in with a table of make_list arrays', () => {
  const { run } = useEvaluator();
  it('matches the elements of the array, as Kusto does for `let L = T | summarize make_list(x)`', async () => {
    const q = (v: string) =>
      `let L = datatable(x:string) ["a", "b"] | summarize make_list(x); print v = "${v}" | where v in~ (L)`;
    expect((await run(q('B'))).rows).toHaveLength(1);
    expect((await run(q('c'))).rows).toHaveLength(0);
  });
});

describe('columns by name', () => {
  it("bag_pack_columns keys the values by column name; column_names_of lists a table function's columns", async () => {
    const packed = await run('print a = 1, b = "x" | project p = bag_pack_columns(a, b)');
    expect(packed.rows).toEqual([{ p: { a: 1, b: 'x' } }]);
    const names = await run('let T = () { print A = "", B = 1 }; print n = column_names_of(T())');
    expect(names.rows).toEqual([{ n: ['A', 'B'] }]);
  });
});
