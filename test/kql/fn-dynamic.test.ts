import { describe, expect, it } from 'vitest';
import { useEvaluator } from './fn-eval.js';

const { value, run } = useEvaluator();

describe('pack_all, several arrays sorted together, t-digests', () => {
  it('pack_all() packs every column; pack_all(true) leaves out null and empty values', async () => {
    const { rows } = await run(
      'datatable(a:string, b:long)["x", 1, "", long(null)] | extend p = pack_all(), q = pack_all(true)',
    );
    expect(rows.map((r) => [r.p, r.q])).toEqual([
      [
        { a: 'x', b: 1 },
        { a: 'x', b: 1 },
      ],
      [{ a: '', b: null }, {}],
    ]);
  });

  it("print of array_sort_asc(a, b) gives one column per array, both in a's order", async () => {
    const { columns, rows } = await run('print array_sort_asc(dynamic([2, 1]), dynamic(["b", "a"]))');
    expect(columns.slice(0, 2)).toEqual(['array0_sorted', 'array1_sorted']);
    expect(rows[0]).toMatchObject({ array0_sorted: [1, 2], array1_sorted: ['a', 'b'] });
  });

  it('tdigest / merge_tdigest / percentile_tdigest / rank_tdigest, percentilesw_array: weighted nearest rank', async () => {
    const { rows } = await run(
      'range x from 1 to 10 step 1 | summarize a = tdigest(x), b = tdigest(x + 10, 2), w = percentilesw_array(x, x, 50, 100) | project p = percentile_tdigest(merge_tdigest(a, b), 50, typeof(long)), r = rank_tdigest(b, 12), w',
    );
    // a holds 1..10 (weight 1), b 11..20 (weight 2): total 30; rank 15 falls on 13 (cumulative 10, 12, 14, 16)
    expect(rows[0]).toMatchObject({ p: 13, r: 4, w: [7, 10] });
  });
});

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
    [`array_sort_asc(dynamic([3, 1, 2]), dynamic(["c", "a", "b"]))[1]`, ['a', 'b', 'c']],
    [`array_sort_desc(dynamic([1, null, 2]), false)`, [null, 2, 1]],
    [`toguid("0123456789ABCDEF0123456789abcdef")`, '01234567-89ab-cdef-0123-456789abcdef'],
    [`toguid("not a guid")`, ''],
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
