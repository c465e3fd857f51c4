import { describe, expect, it } from 'vitest';
import { useEvaluator } from './fn-eval.js';

const { value } = useEvaluator();

describe('string functions', () => {
  it.each([
    ['indexof("abcabc", "c")', 2],
    ['indexof("abcabc", "c", 3)', 5],
    ['indexof("abc", "x")', -1],
    ['indexof("abc", "")', 0],
    ['indexof("abc", "a", 9)', null],
    ['indexof("abc", "", 1)', 1],
    ['indexof("abcabc", "c", -2)', 5], // a negative start counts from the end
    ['indexof("abcabc", "c", 0, -1, 2)', 5], // the second occurrence
    ['indexof("abcabc", "c", 0, 4, 2)', -1], // … not inside the first five characters
    ['indexof("abcabc", "c", 0, 5, 2)', 5],
    ['split("a.b.c", ".")', ['a', 'b', 'c']],
    ['split("", ",")', ['']],
    ['split("a_b", "_", 1)', ['b']],
    ['split("a_b", "_", 5)', []],
    ['replace_string("a-b-c", "-", "+")', 'a+b+c'],
    ['replace_regex("ab12cd3", @"\\d+", "#")', 'ab#cd#'],
    ['replace_regex("john.doe", @"(\\w+)\\.(\\w+)", @"\\2 \\1")', 'doe john'],
    ['trim(@"[^\\w]+", "  ..abc;; ")', 'abc'],
    ['trim_start("x", "xxaxx")', 'axx'],
    ['trim_end("x", "xxaxx")', 'xxa'],
    ['extract(@"(\\d+)", 1, "ab12cd")', '12'],
    ['extract(@"(\\d+)", 1, "abcd")', ''],
    ['extract(@"(\\d+)", 1, "ab12cd", typeof(long))', 12],
    ['extract_all(@"(\\d+)", "a1 b22")', ['1', '22']],
    [
      'extract_all(@"(\\w)(\\d)", "a1 b2")',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    ['extract_all(@"\\d", "abc")', null],
    ['strlen("héllo")', 5],
    ['string_size("héllo")', 6],
    ['countof("aaa", "aa")', 2],
    ['countof("a1b22", @"\\d+", "regex")', 2],
    ['base64_decode_tostring("aGVsbG8=")', 'hello'],
    ['base64_decode_tostring("!!")', ''],
    ['base64_decode_toarray("AQL/")', [1, 2, 255]],
    ['url_decode("a%20b%2Fc")', 'a b/c'],
    ['hash_sha256("abc")', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['hash_md5("")', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['strcat_delim("-", "a", 1, "b")', 'a-1-b'],
    ['strcat_array(dynamic(["a", 1, "b"]), ",")', 'a,1,b'],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('parse_url gives every part, "" when absent, and the decoded query as a bag', async () => {
    expect(await value('parse_url("https://user:pw@bing.com:8080/a/b?q=1&r=x%20y#frag")')).toEqual({
      Scheme: 'https',
      Host: 'bing.com',
      Port: '8080',
      Path: '/a/b',
      Username: 'user',
      Password: 'pw',
      'Query Parameters': { q: '1', r: 'x y' },
      Fragment: 'frag',
    });
    expect(await value('parse_url("http://x.org")')).toMatchObject({ Host: 'x.org', Port: '', Path: '' });
    expect(await value('parse_url("not a url")')).toEqual({});
  });
});
