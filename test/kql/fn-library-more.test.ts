/**
 * Functions added for the documentation's reference pages (issue 12): each value is the one the
 * function's page prints for its example, or follows from the page's rules.
 */
import { describe, expect, it } from 'vitest';
import { useEvaluator } from './fn-eval.js';

const { value, run } = useEvaluator();

describe('string functions of the reference pages', () => {
  it.each([
    ['translate("abc", "x", "abc")', 'xxx'],
    ['translate("abc", "", "ab")', ''],
    ['translate("krasp", "otsku", "spark")', 'kusto'],
    ['indexof_regex("abcabc", @"a.c")', 0],
    ['indexof_regex("abcabcdefg", @"a.c", 0, 9, 2)', 3],
    ['indexof_regex("abcabc", @"a.c", 1, -1, 2)', -1],
    ['indexof_regex("ababaa", @"a.a", 0, -1, 2)', -1], // matches do not overlap
    ['indexof_regex("abcabc", @"a|ab", -1)', null],
    ['regex_quote("(so$me.Te^xt)")', '\\(so\\$me\\.Te\\^xt\\)'],
    ['strrep("ABC", 2)', 'ABCABC'],
    ['strrep(123, 3, ".")', '123.123.123'],
    ['strrep(3s, 2, " ")', '00:00:03 00:00:03'],
    ['punycode_from_string("académie-française")', 'acadmie-franaise-npb1a'],
    ['punycode_to_string("acadmie-franaise-npb1a")', 'académie-française'],
    ['punycode_domain_to_string("Lê Lợi。Thuận Thiên。com")', 'xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com'],
    ['punycode_domain_from_string("xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com")', 'Rúyì.Jīngū.Bàng.com'],
    ['format_bytes(564)', '564 Bytes'],
    ['format_bytes(10332, 1)', '10.1 KB'],
    ['format_bytes(20010332)', '19 MB'],
    ['format_bytes(20010332, 2)', '19.08 MB'],
    ['format_bytes(20010332, 0, "KB")', '19541 KB'],
    ['base64_encode_fromguid(guid(ae3133f2-6e22-49ae-b06a-16e6a9b212eb))', '8jMxriJurkmwahbmqbIS6w=='],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('parse_path splits Windows, URL and Unix paths', async () => {
    expect(await value('parse_path("file://C:/temp/file.txt:some.exe")')).toEqual({
      Scheme: 'file',
      RootPath: 'C:',
      DirectoryPath: 'C:/temp',
      DirectoryName: 'temp',
      Filename: 'file.txt',
      Extension: 'txt',
      AlternateDataStreamName: 'some.exe',
    });
    expect(await value('parse_path(@"\\\\shared\\users\\temp\\file.txt.gz")')).toMatchObject({
      DirectoryPath: '\\\\shared\\users\\temp',
      Filename: 'file.txt.gz',
      Extension: 'gz',
    });
  });
});

describe('dynamic, type and IP functions of the reference pages', () => {
  it.each([
    ['repeat(1, 3)', [1, 1, 1]],
    ['repeat("a", 0)', []],
    ['repeat(1, -1)', null],
    ['array_reverse(dynamic([1, "a", {"b": 2}]))', [{ b: 2 }, 'a', 1]],
    ['bag_remove_keys(dynamic({"key1": 123, "key2": "abc"}), dynamic(["key2", "key4"]))', { key1: 123 }],
    ['bag_remove_keys(dynamic({"a": {"b": 1, "c": 2}, "d": 3}), dynamic(["$.a.b", "d"]))', { a: { c: 2 } }],
    ['gettype(parse_json("1"))', 'int'],
    ['gettype(parse_json(" {\\"abc\\":1} "))', 'dictionary'],
    ['gettype(parse_json(""))', 'null'],
    ['gettype(1s)', 'timespan'],
    ['gettype(123.45)', 'real'],
    ['convert_length(1.2, "Meter", "Foot")', 1.2 / 0.3048],
    [
      'ipv6_is_in_any_range("a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", dynamic(["a5e:f127:8a9d:146d:e102:b5d3:c755:0/112"]))',
      true,
    ],
    ['ipv6_is_in_any_range("a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "::1", "::2")', false],
    ['parse_ipv6_mask("fe80::85d:e82c:9446:7994/120", 124)', 'fe80:0000:0000:0000:085d:e82c:9446:7900'],
    ['parse_ipv6_mask("192.168.255.255", 120)', '0000:0000:0000:0000:0000:ffff:c0a8:ff00'],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('count_distinctif and percentilew aggregate', async () => {
    const result = await run(
      'range x from 1 to 10 step 1 | summarize d = count_distinctif(x % 3, x > 2), p = percentilew(x, x, 50)',
    );
    // x > 2 leaves residues 0, 1, 2; weighted by x, half of the 55 weight is reached at 7
    expect(result.rows).toEqual([{ d: 3, p: 7 }]);
  });
});

describe('statements, aggregates and operators of the reference pages', () => {
  it('declare pattern: the arm whose values and path match the call', async () => {
    const patterns = `declare pattern app = (applicationId:string)[eventType:string] {
      ("A").["Stop"] = { print x = 1 };
      ("A").["Start"] = { print x = 2 };
    };`;
    expect((await run(`${patterns} app("A").Stop`)).rows).toEqual([{ x: 1 }]);
    expect((await run(`${patterns} app("A").Start`)).rows).toEqual([{ x: 2 }]);
    const withParameter = 'declare pattern p = (a:string) { ("x") = { print y = a }; }; p("x")';
    expect((await run(withParameter)).rows).toEqual([{ y: 'x' }]);
  });

  it('buildschema unions the values in row order', async () => {
    const result = await run(`datatable(value: dynamic) [
        dynamic({"x":1, "y":3.5}),
        dynamic({"x":"somevalue", "z":[1, 2, 3]}),
        dynamic({"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]})
      ] | summarize s = buildschema(value)`);
    expect(result.rows[0].s).toEqual({
      x: ['long', 'string'],
      y: ['double', { w: 'string' }],
      z: { '`indexer`': ['long', 'string'] },
      t: { '`indexer`': 'string' },
    });
  });

  it('top-hitters ranks values by rows or by a sum', async () => {
    const data = 'datatable(x:string, n:long)["a",1,"b",5,"a",2,"c",1]';
    expect((await run(`${data} | top-hitters 2 of x by n`)).rows).toEqual([
      { x: 'b', approximate_sum_n: 5 },
      { x: 'a', approximate_sum_n: 3 },
    ]);
    expect((await run(`${data} | top-hitters 1 of x`)).rows).toEqual([{ x: 'a', approximate_count_x: 2 }]);
  });

  it("welch_test: the two-sided p-value of Wikipedia's first example", async () => {
    const p = await value('welch_test(20.82, 7.8674285714, 15, 22.986666667, 3.8126666667, 15)');
    expect(p).toBeCloseTo(0.021378, 5);
  });
});
