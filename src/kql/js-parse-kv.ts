/**
 * The text side of `parse-kv` (op-parse-kv.ts): the values of the listed keys in one string, in the
 * three modes Kusto documents. Keys and values are trimmed; a quoted key or value (each `quote` gives an
 * opening and a closing character) may hold delimiters, and an `escape` character inside quotes makes
 * the next character literal. The first occurrence of a key wins; a key not found gives null.
 *
 * - delimited (`pair_delimiter` and `kv_delimiter`): pairs split on the pair delimiter, each pair's key
 *   and value on the first kv delimiter;
 * - unspecified delimiters: every non-alphanumeric character delimits; a listed key's value is the token
 *   (a run of letters, digits and `_`, or a quoted text) that follows it;
 * - `regex`: each match's first group is a key, its second the value.
 */
import type { FunctionFamily } from './registry.js';
import type { JsFunction } from './udf.js';

export interface KvOptions {
  keys: string[];
  pair?: string;
  kv?: string;
  /** Pairs of opening and closing quote characters (a one-character quote closes itself). */
  quotes: [string, string][];
  escapes: string[];
  regex?: string;
}

/** Reads a quoted text starting at `i` (an opening quote): its content and the index after it. */
function quoted(text: string, i: number, close: string, escapes: string[]): [string, number] {
  let out = '';
  for (let j = i + 1; j < text.length; j++) {
    const ch = text[j];
    if (escapes.includes(ch) && j + 1 < text.length) out += text[++j];
    else if (ch === close) return [out, j + 1];
    else out += ch;
  }
  return [out, text.length];
}

const closing = (ch: string, o: KvOptions) => o.quotes.find(([open]) => open === ch)?.[1];

/** Splits on a delimiter outside quotes, at most `limit` pieces (the last takes the rest). */
function split(text: string, delimiter: string, o: KvOptions, limit = Infinity): string[] {
  const pieces: string[] = [];
  let [start, i] = [0, 0];
  while (i < text.length && pieces.length < limit - 1) {
    const close = closing(text[i], o);
    if (close) i = quoted(text, i, close, o.escapes)[1];
    else if (text.startsWith(delimiter, i)) {
      pieces.push(text.slice(start, i));
      i += delimiter.length;
      start = i;
    } else i++;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** A trimmed key or value without its quotes. */
function unquote(raw: string, o: KvOptions): string {
  const text = raw.trim();
  const close = closing(text[0] ?? '', o);
  if (!close) return text;
  const [inner, end] = quoted(text, 0, close, o.escapes);
  return end === text.length ? inner.trim() : text;
}

function delimited(text: string, o: KvOptions, found: Map<string, string>): void {
  for (const pair of split(text, o.pair!, o)) {
    const [key, value] = split(pair, o.kv!, o, 2);
    if (value === undefined) continue;
    const name = unquote(key, o);
    if (!found.has(name)) found.set(name, unquote(value, o));
  }
}

/** Tokens: quoted texts and runs of word characters; everything else delimits. */
function tokens(text: string, o: KvOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const close = closing(text[i], o);
    if (close) {
      const [inner, end] = quoted(text, i, close, o.escapes);
      out.push(inner.trim());
      i = end;
      continue;
    }
    const word = /^[\p{L}\p{N}_]+/u.exec(text.slice(i));
    if (word) {
      out.push(word[0]);
      i += word[0].length;
    } else i++;
  }
  return out;
}

function undelimited(text: string, o: KvOptions, found: Map<string, string>): void {
  const list = tokens(text, o);
  const wanted = new Set(o.keys);
  for (let i = 0; i + 1 < list.length; i++) {
    if (!wanted.has(list[i]) || found.has(list[i])) continue;
    found.set(list[i], list[i + 1]);
    i++;
  }
}

function byRegex(text: string, o: KvOptions, found: Map<string, string>): void {
  for (const m of text.matchAll(new RegExp(o.regex!, 'g'))) {
    const key = (m[1] ?? '').trim();
    if (m[0] === '') break;
    if (!found.has(key)) found.set(key, (m[2] ?? '').trim());
  }
}

/** The values of `o.keys` in `text`, in that order (null where a key is absent). */
export function parseKv(text: string, o: KvOptions): (string | null)[] {
  const found = new Map<string, string>();
  if (o.regex !== undefined) byRegex(text, o, found);
  else if (o.pair !== undefined && o.kv !== undefined) delimited(text, o, found);
  else undelimited(text, o, found);
  return o.keys.map((k) => found.get(k) ?? null);
}

export const PARSE_KV_UDF: JsFunction = {
  name: 'tt_js_parse_kv',
  parameters: ['string', 'json'],
  returns: 'json',
  apply: (text: string, options: string) => parseKv(text, JSON.parse(options) as KvOptions),
};

/** The JavaScript function parse-kv calls, installed with the function families' UDFs. */
export const PARSE_KV_FUNCTIONS: FunctionFamily = { name: 'parse-kv', udfs: [PARSE_KV_UDF] };
