/**
 * String functions. Kusto strings are never null (a missing value is ""), so every result here is
 * coalesced to ''. Regexes are RE2 in both Kusto and DuckDB, so patterns pass through unchanged.
 */
import { arg, constArg, sqlText, str, type Library } from './functions-common.js';
import type { FunctionFamily } from './registry.js';
import type { KNode } from './kusto.js';
import type { Env } from './context.js';

import { dialect } from './dialect.js';

/** Number of capture groups in a regex (ignores escaped and non-capturing parentheses). */
export function captureGroups(regex: string): number {
  let n = 0;
  for (let i = 0; i < regex.length; i++) {
    if (regex[i] === '\\') i++;
    else if (regex[i] === '[') {
      while (i < regex.length && regex[i] !== ']') i += regex[i] === '\\' ? 2 : 1;
    } else if (regex[i] === '(' && regex[i + 1] !== '?') n++;
    else if (regex[i] === '(' && regex[i + 2] === 'P')
      n++; // (?P<name>…)
    else if (regex[i] === '(' && regex[i + 2] === '<' && regex[i + 3] !== '=' && regex[i + 3] !== '!') n++;
  }
  return n;
}

function trimmer(start: boolean, end: boolean) {
  return (args: KNode[], node: KNode, env: Env) => {
    const re = str(args, 0, node, env);
    // Kusto's trim takes a regex: drop its repeated matches at the edges
    let out = str(args, 1, node, env);
    if (start) out = `regexp_replace(${out}, '^(?:' || ${re} || ')+', '')`;
    if (end) out = `regexp_replace(${out}, '(?:' || ${re} || ')+$', '')`;
    return `coalesce(${out}, '')`;
  };
}

function extract(args: KNode[], node: KNode, env: Env): string {
  const re = str(args, 0, node, env);
  const group = arg(args, 1, env).sql;
  const source = str(args, 2, node, env);
  // no match (or a failed conversion) is null in Kusto: '' for a string
  const text = `nullif(regexp_extract(${source}, ${re}, CAST(${group} AS INTEGER)), '')`;
  const type = node.type?.name ?? 'string';
  if (type === 'string') return `coalesce(${text}, '')`;
  return `TRY_CAST(${text} AS ${dialect.type(type) ?? 'VARCHAR'})`;
}

function extractAll(args: KNode[], node: KNode, env: Env): string {
  const regex = constArg<string>(args, 0, env, 'regex', node);
  const re = str(args, 0, node, env);
  const source = str(args, args.length - 1, node, env);
  const explicit = args.length === 3 ? constArg<unknown>(args, 1, env, 'capture groups', node) : undefined;
  const groups = captureGroups(regex);
  let wanted: number[];
  if (Array.isArray(explicit)) wanted = explicit.map(Number);
  else wanted = groups === 0 ? [0] : Array.from({ length: groups }, (_, i) => i + 1);
  if (wanted.some((g) => typeof g !== 'number' || !Number.isInteger(g) || g > groups || g < 0))
    return env.c.fail(node, 'extract_all capture group out of range');
  const lists = wanted.map((g) => `regexp_extract_all(${source}, ${re}, ${g})`);
  // one group: ["a", "b"]; several: [["a1", "a2"], ["b1", "b2"]]; no match: null
  const value =
    wanted.length === 1 && explicit === undefined
      ? lists[0]
      : dialect.listTransform(
          `range(1, ${dialect.listLength(lists[0])} + 1)`,
          'i',
          `[${lists.map((l) => `${l}[i]`).join(', ')}]`,
        );
  return `(CASE WHEN ${dialect.listLength(lists[0])} = 0 THEN NULL ELSE ${dialect.toJson(value)} END)`;
}

/**
 * `indexof(s, lookup [, start [, length [, occurrence]]])`: a negative start counts from the end; the
 * searched range runs from start over length + 1 characters (the documented examples count the end
 * inclusively), -1 meaning to the end; the n-th occurrence is the length of the first n pieces that
 * splitting the range on lookup gives, joined by it. A start beyond the end is null.
 */
function indexOf(args: KNode[], node: KNode, env: Env): string {
  const s = str(args, 0, node, env);
  const lookup = str(args, 1, node, env);
  if (args.length === 2) return `CAST(strpos(${s}, ${lookup}) - 1 AS BIGINT)`;
  const given = arg(args, 2, env).sql;
  const start = `(CASE WHEN (${given}) < 0 THEN greatest(length(${s}) + (${given}), 0) ELSE (${given}) END)`;
  const length = args.length > 3 ? arg(args, 3, env).sql : '-1';
  const occurrence = args.length > 4 ? arg(args, 4, env).sql : '1';
  const range = `(CASE WHEN (${length}) < 0 THEN substring(${s}, ${start} + 1) ELSE substring(${s}, ${start} + 1, (${length}) + 1) END)`;
  const pieces = `string_split(${range}, ${lookup})`;
  const found = `${start} + length(array_to_string(${pieces}[1:${occurrence}], ${lookup}))`;
  return `CAST(CASE WHEN ${start} > length(${s}) OR (${occurrence}) < 1 THEN NULL WHEN ${lookup} = '' THEN ${start} WHEN ${dialect.listLength(pieces)} <= (${occurrence}) THEN -1 ELSE ${found} END AS BIGINT)`;
}

function split(args: KNode[], node: KNode, env: Env): string {
  const parts = `string_split(${str(args, 0, node, env)}, ${str(args, 1, node, env)})`;
  if (args.length < 3) return dialect.toJson(parts);
  const i = arg(args, 2, env).sql;
  return dialect.toJson(
    `CASE WHEN (${i}) >= 0 AND (${i}) < ${dialect.listLength(parts)} THEN [${parts}[(${i}) + 1]] ELSE []::VARCHAR[] END`,
  );
}

const base64ToBytes = (b64: string) =>
  dialect.listTransform(
    `range(0, octet_length(from_base64(${b64})))`,
    'i',
    `('0x' || substr(hex(from_base64(${b64})), 2 * i + 1, 2))::INTEGER`,
  );

const URL_RE = sqlText(
  '^([a-zA-Z][a-zA-Z0-9+.-]*)://(?:([^:@/]*)(?::([^@/]*))?@)?(\\[[^\\]]*\\]|[^:/?#]*)(?::([0-9]*))?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$',
);

/** A query string (`a=1&b=x%20y`) as a bag of decoded values. */
function queryBag(text: string): string {
  const pairs = dialect.listFilter(`string_split(${text}, '&')`, 'x', `x <> ''`);
  const entry = `${dialect.toJson(`url_decode(split_part(x, '=', 1))`)} || ':' || ${dialect.toJson(`url_decode(CASE WHEN contains(x, '=') THEN substr(x, strpos(x, '=') + 1) ELSE '' END)`)}`;
  return `CAST('{' || array_to_string(${dialect.listTransform(pairs, 'x', entry)}, ',') || '}' AS JSON)`;
}

/** parse_url: Kusto's bag of parts, "" for absent ones; the query string as a bag of decoded values. */
function parseUrl(args: KNode[], node: KNode, env: Env): string {
  const url = str(args, 0, node, env);
  const part = (i: number) => `regexp_extract(${url}, ${URL_RE}, ${i})`;
  const query = queryBag(part(7));
  const names = ['Scheme', 'Host', 'Port', 'Path', 'Username', 'Password'];
  const groups = [1, 4, 5, 6, 2, 3];
  const fields = names.map((n, i) => `'${n}', ${part(groups[i])}`).join(', ');
  // not a URL: Kusto gives an empty bag
  return `(CASE WHEN regexp_matches(${url}, ${URL_RE}) THEN json_object(${fields}, 'Query Parameters', ${query}, 'Fragment', ${part(8)}) ELSE '{}'::JSON END)`;
}

/** What Kusto hashes: the value's text, a datetime always with seven fraction digits. */
function hashInput(args: KNode[], node: KNode, env: Env): string {
  const value = arg(args, 0, env);
  if (value.type === 'datetime') return `coalesce(${dialect.isoTicks(value.sql)}, '')`;
  return str(args, 0, node, env);
}

/** `strrep(value, n[, delimiter])`: the value's text n times (at most 1024), joined by the delimiter. */
function strrep(args: KNode[], node: KNode, env: Env): string {
  const text = str(args, 0, node, env);
  const n = `least(CAST(${arg(args, 1, env).sql} AS BIGINT), 1024)`;
  const delimiter = args.length > 2 ? str(args, 2, node, env) : "''";
  return `coalesce(array_to_string(${dialect.listTransform(`range(greatest(${n}, 0))`, 'i', text)}, ${delimiter}), '')`;
}

const SCALARS: Library = {
  strrep,
  parse_url: parseUrl,
  // the deprecated parse_urlquery: the query string alone (a leading `?` is not part of it)
  parse_urlquery: (args, node, env) =>
    `json_object('Query Parameters', ${queryBag(`ltrim(${str(args, 0, node, env)}, '?')`)})`,
  indexof: indexOf,
  split,
  extract,
  extract_all: extractAll,
  replace_string: (args, node, env) =>
    `replace(${str(args, 0, node, env)}, ${str(args, 1, node, env)}, ${str(args, 2, node, env)})`,
  replace_regex: (args, node, env) =>
    `coalesce(regexp_replace(${str(args, 0, node, env)}, ${str(args, 1, node, env)}, ${str(args, 2, node, env)}, 'g'), '')`,
  // the deprecated name of replace_regex, still in Sentinel content
  replace: (args, node, env) =>
    `coalesce(regexp_replace(${str(args, 2, node, env)}, ${str(args, 0, node, env)}, ${str(args, 1, node, env)}, 'g'), '')`,
  trim: trimmer(true, true),
  trim_start: trimmer(true, false),
  trim_end: trimmer(false, true),
  string_size: (args, node, env) => `CAST(octet_length(encode(${str(args, 0, node, env)})) AS BIGINT)`,
  reverse: (args, node, env) => `reverse(${str(args, 0, node, env)})`,
  strcat_delim: (args, node, env) =>
    `concat_ws(${str(args, 0, node, env)}, ${args
      .slice(1)
      .map((_, i) => str(args, i + 1, node, env))
      .join(', ')})`,
  strcat_array: (args, node, env) =>
    `coalesce(array_to_string(${dialect.listTransform(`CAST(${arg(args, 0, env).sql} AS JSON[])`, 'x', `CASE WHEN ${dialect.jsonType('x')} = 'VARCHAR' THEN x ->> '$' ELSE CAST(x AS VARCHAR) END`)}, ${str(args, 1, node, env)}), '')`,
  countof: (args, node, env) => {
    const kind = args.length > 2 ? constArg<string>(args, 2, env, 'kind', node) : 'normal';
    const [s, t] = [str(args, 0, node, env), str(args, 1, node, env)];
    if (kind === 'regex') return `CAST(${dialect.listLength(`regexp_extract_all(${s}, ${t})`)} AS BIGINT)`;
    // Kusto counts overlapping matches of plain text
    return `CAST(CASE WHEN ${t} = '' THEN 0 ELSE ${dialect.listLength(dialect.listFilter(`range(1, length(${s}) + 1)`, 'i', `substring(${s}, i, length(${t})) = ${t}`))} END AS BIGINT)`;
  },
  base64_decode_tostring: (args, node, env) =>
    `coalesce(try(decode(from_base64(${str(args, 0, node, env)}))), '')`,
  base64_decode_toarray: (args, node, env) =>
    `try(${dialect.toJson(base64ToBytes(str(args, 0, node, env)))})`,
  base64_encode_tostring: (args, node, env) => `to_base64(encode(${str(args, 0, node, env)}))`,
  url_decode: (args, node, env) => `coalesce(try(url_decode(${str(args, 0, node, env)})), '')`,
  hash_sha256: (args, node, env) => `sha256(${hashInput(args, node, env)})`,
  hash_sha1: (args, node, env) => `sha1(${hashInput(args, node, env)})`,
  hash_md5: (args, node, env) => `md5(${hashInput(args, node, env)})`,
};
SCALARS.base64_decodestring = SCALARS.base64_decode_tostring;
SCALARS.base64_encodestring = SCALARS.base64_encode_tostring;

export const STRING_FUNCTIONS: FunctionFamily = { name: 'string', scalars: SCALARS };
