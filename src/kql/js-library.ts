/**
 * The JavaScript implementations behind functions-js.ts, by Kusto name. Each takes the call's arguments
 * as JSON values (dynamic as parsed JSON, datetimes as ISO text, timespans as microseconds) and returns a
 * JSON value, null for Kusto's null. Semantics follow Microsoft's function reference pages.
 */
import { CODEC_LIBRARY } from './js-codec.js';
import { MEASURE_LIBRARY } from './js-measure.js';
import { NETWORK_LIBRARY } from './js-network.js';
import { PARSER_LIBRARY } from './js-parsers.js';
import { STATS_LIBRARY } from './js-stats.js';
import { SCHEMA_LIBRARY } from './js-schema.js';
import { TEXT_LIBRARY } from './js-text.js';

import type { JsFn as Fn, JsValue } from './js-value.js';

export type { JsValue };

const isArray = (v: JsValue): v is JsValue[] => Array.isArray(v);
const isBag = (v: JsValue): v is { [key: string]: JsValue } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const key = (v: JsValue) => JSON.stringify(v);
const num = (v: JsValue): number | null => (typeof v === 'number' ? v : null);

function distinct(values: JsValue[]): JsValue[] {
  const seen = new Set<string>();
  return values.filter((v) => !seen.has(key(v)) && seen.add(key(v)));
}

/** Kusto's array order: numbers numerically, strings ordinally, booleans false < true; nulls apart. */
function compare(a: JsValue, b: JsValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/**
 * `array_sort_asc(a1[, a2 …][, nulls_last])`: a1 sorted (nulls last unless told otherwise). With several
 * arrays, each is reordered as a1 is (an array of the sorted arrays; null for one whose length differs).
 */
function sortArray(desc: boolean): Fn {
  return (...args) => {
    const flag = args.length > 1 && typeof args[args.length - 1] === 'boolean' ? args.pop() : true;
    const [first, ...others] = args;
    if (!isArray(first)) return null;
    const order = first.map((_, i) => i);
    const values = order.filter((i) => first[i] !== null);
    values.sort((a, b) => (desc ? compare(first[b], first[a]) : compare(first[a], first[b])) || a - b);
    const nulls = order.filter((i) => first[i] === null);
    const perm = flag === false ? [...nulls, ...values] : [...values, ...nulls];
    const reorder = (arr: JsValue) =>
      isArray(arr) && arr.length === first.length ? perm.map((i) => arr[i]) : null;
    return others.length ? [first, ...others].map(reorder) : reorder(first);
  };
}

function shift(arr: JsValue, n: JsValue, fill: JsValue = null): JsValue {
  if (!isArray(arr) || typeof n !== 'number') return null;
  const len = arr.length;
  return arr.map((_, i) => {
    const j = i + n;
    return j >= 0 && j < len ? arr[j] : fill;
  });
}

function rotate(arr: JsValue, n: JsValue): JsValue {
  if (!isArray(arr) || typeof n !== 'number' || arr.length === 0) return isArray(arr) ? arr : null;
  const len = arr.length;
  const k = ((n % len) + len) % len;
  return [...arr.slice(k), ...arr.slice(0, k)];
}

/** Element-wise over series (arrays) and scalars: the result is as long as the longest array. */
function elementwise(op: (...xs: (number | null)[]) => JsValue): Fn {
  return (...args) => {
    const arrays = args.filter(isArray);
    if (arrays.length === 0) return null;
    const len = Math.max(...arrays.map((a) => a.length));
    const at = (v: JsValue, i: number): number | null => (isArray(v) ? num(v[i] ?? null) : num(v));
    return Array.from({ length: len }, (_, i) => {
      const xs = args.map((a) => at(a, i));
      return xs.some((x) => x === null) ? null : op(...xs);
    });
  };
}

const unary = (f: (x: number) => number) =>
  elementwise((x) => {
    const y = f(x!);
    return Number.isNaN(y) ? null : y;
  });

function fillForward(arr: JsValue, missing: JsValue = null): JsValue {
  if (!isArray(arr)) return null;
  let last: JsValue = null;
  return arr.map((v) => {
    if (v === missing || v === null) return last;
    last = v;
    return v;
  });
}

function fillBackward(arr: JsValue, missing: JsValue = null): JsValue {
  if (!isArray(arr)) return null;
  const out = fillForward([...arr].reverse(), missing);
  return isArray(out) ? out.reverse() : null;
}

function ipv4Number(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] * 256 + parts[1]) * 256 + parts[2]) * 256 + parts[3];
}

/** IPv4 addresses in text as Kusto's has_ipv4 finds them: not glued to letters, digits, dots or slashes. */
function ipv4sIn(text: string, withPrefix: boolean): string[] {
  const found: string[] = [];
  const re = /\d{1,3}(?:\.\d{1,3}){3}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const before = text[m.index - 1] ?? '';
    const after = text[m.index + m[0].length] ?? '';
    const glued = (c: string) => /[0-9A-Za-z_.]/.test(c);
    if (!glued(before) && !glued(after) && !(after === '/' && !withPrefix) && ipv4Number(m[0]) !== null)
      found.push(m[0]);
  }
  return found;
}

function hasIpv4(source: JsValue, ip: JsValue): JsValue {
  if (typeof source !== 'string' || typeof ip !== 'string' || ipv4Number(ip) === null) return false;
  return ipv4sIn(source, false).includes(ip);
}

function hasIpv4Prefix(source: JsValue, prefix: JsValue): JsValue {
  if (typeof source !== 'string' || typeof prefix !== 'string') return false;
  // a prefix is 1–3 whole octets, with or without the trailing dot
  // a whole address, or 1–3 octets each followed by a dot
  if (ipv4Number(prefix) !== null) return ipv4sIn(source, false).includes(prefix);
  if (!/^(\d{1,3}\.){1,3}$/.test(prefix)) return false;
  return ipv4sIn(source, false).some((ip) => ip.startsWith(prefix));
}

/** Percent-escapes with lower-case hex digits, as .NET writes them. */
const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());

const listArgs = (args: JsValue[]): JsValue[] => (args.length === 1 && isArray(args[0]) ? args[0] : args);

function toHex(n: JsValue, minLength: JsValue = 0): JsValue {
  if (typeof n !== 'number' || !Number.isInteger(n)) return null;
  const text = (n < 0 ? BigInt.asUintN(64, BigInt(n)) : BigInt(n)).toString(16);
  return text.padStart(typeof minLength === 'number' ? minLength : 0, '0');
}

function strcmp(a: JsValue, b: JsValue): JsValue {
  const [x, y] = [String(a ?? ''), String(b ?? '')];
  return x < y ? -1 : x > y ? 1 : 0;
}

function codepointsToString(...args: JsValue[]): JsValue {
  const points = args.flatMap((a) => (isArray(a) ? a : [a]));
  if (points.some((p) => typeof p !== 'number' || p < 0 || p > 0x10ffff)) return null;
  return String.fromCodePoint(...(points as number[]));
}

function replaceStrings(text: JsValue, lookups: JsValue, rewrites: JsValue): JsValue {
  if (typeof text !== 'string' || !isArray(lookups) || !isArray(rewrites)) return null;
  const pairs = lookups
    .map((l, i) => [String(l ?? ''), String(rewrites[i] ?? '')] as const)
    .filter(([l]) => l !== '');
  // lookups apply in order; text a replacement produced is never searched again
  let parts: { text: string; done: boolean }[] = [{ text, done: false }];
  for (const [lookup, rewrite] of pairs) {
    parts = parts.flatMap((part) => {
      if (part.done) return [part];
      const pieces = part.text.split(lookup);
      return pieces.flatMap((piece, i) =>
        i === 0
          ? [{ text: piece, done: false }]
          : [
              { text: rewrite, done: true },
              { text: piece, done: false },
            ],
      );
    });
  }
  return parts.map((p) => p.text).join('');
}

function zip(...arrays: JsValue[]): JsValue {
  if (!arrays.every(isArray)) return null;
  const len = Math.max(0, ...arrays.map((a) => (a as JsValue[]).length));
  return Array.from({ length: len }, (_, i) => arrays.map((a) => (a as JsValue[])[i] ?? null));
}

function bagZip(keys: JsValue, values: JsValue): JsValue {
  if (!isArray(keys)) return null;
  const out: { [key: string]: JsValue } = {};
  keys.forEach((k, i) => {
    if (typeof k === 'string') out[k] = isArray(values) ? (values[i] ?? null) : null;
  });
  return out;
}

function arraySplit(arr: JsValue, indices: JsValue): JsValue {
  if (!isArray(arr)) return null;
  const len = arr.length;
  const cuts = (isArray(indices) ? indices : [indices])
    .filter((i): i is number => typeof i === 'number')
    .map((i) => Math.min(len, Math.max(0, i < 0 ? len + i : i)));
  const bounds = [0, ...cuts, len];
  return bounds.slice(1).map((end, i) => arr.slice(bounds[i], Math.max(bounds[i], end)));
}

function arrayIff(cond: JsValue, t: JsValue, f: JsValue): JsValue {
  if (!isArray(cond)) return null;
  const at = (v: JsValue, i: number) => (isArray(v) ? (v[i] ?? null) : v);
  return cond.map((c, i) => (c === true ? at(t, i) : c === false ? at(f, i) : null));
}

function setOp(kind: 'union' | 'intersect' | 'difference'): Fn {
  return (...arrays) => {
    if (!arrays.every(isArray)) return null;
    const [first, ...rest] = arrays as JsValue[][];
    if (kind === 'union') return distinct(arrays.flat() as JsValue[]);
    const restKeys = rest.map((a) => new Set(a.map(key)));
    return distinct(first).filter((v) =>
      kind === 'intersect' ? restKeys.every((s) => s.has(key(v))) : restKeys.every((s) => !s.has(key(v))),
    );
  };
}

function bagMerge(...bags: JsValue[]): JsValue {
  const out: { [key: string]: JsValue } = {};
  for (const bag of bags) {
    if (!isBag(bag)) continue;
    for (const [k, v] of Object.entries(bag)) if (!(k in out)) out[k] = v;
  }
  return out;
}

/** Microseconds since the epoch of Kusto's ISO datetime text, and back. */
function isoMicros(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(text);
  return m ? Date.parse(`${m[1]}Z`) * 1000 + Math.floor(Number((m[2] ?? '').padEnd(7, '0')) / 10) : null;
}
function microsIso(micros: number): string {
  const seconds = new Date(Math.floor(micros / 1_000_000) * 1000).toISOString().slice(0, 19);
  const fraction = micros % 1_000_000;
  return fraction ? `${seconds}.${String(fraction).padStart(6, '0')}0Z` : `${seconds}Z`;
}

function rangeArray(start: JsValue, stop: JsValue, step: JsValue = 1): JsValue {
  if (typeof start === 'string' && typeof stop === 'string' && typeof step === 'number') {
    // datetimes with a timespan step (microseconds)
    const [a, b] = [isoMicros(start), isoMicros(stop)];
    if (a === null || b === null || step <= 0) return null;
    const out: string[] = [];
    for (let v = a; v <= b && out.length <= 1_000_000; v += step) out.push(microsIso(v));
    return out;
  }
  if (typeof start !== 'number' || typeof stop !== 'number' || typeof step !== 'number' || step === 0)
    return null;
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= stop : v >= stop; v += step) {
    out.push(v);
    if (out.length > 1_000_000) return null;
  }
  return out;
}

/** `array_index_of(arr, value[, start[, length[, occurrence]]])`: -1 when not found; start < 0 counts from the end. */
function arrayIndexOf(
  arr: JsValue,
  value: JsValue,
  start: JsValue = 0,
  length: JsValue = -1,
  nth: JsValue = 1,
): JsValue {
  if (!isArray(arr) || typeof start !== 'number' || typeof length !== 'number' || typeof nth !== 'number')
    return null;
  const from = start < 0 ? Math.max(0, arr.length + start) : start;
  const to = length < 0 ? arr.length : Math.min(arr.length, from + length);
  let seen = 0;
  for (let i = from; i < to; i++) if (key(arr[i]) === key(value) && ++seen === nth) return i;
  return -1;
}

/** The value with every bag's keys in ordinal order (dynamic_to_json's canonical form). */
function sortedKeys(v: JsValue): JsValue {
  if (isArray(v)) return v.map(sortedKeys);
  if (!isBag(v)) return v;
  const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, sortedKeys(v[k])]));
}

/**
 * `format_timespan(t, format)` (t in microseconds): d… days, h/H… hours, m… minutes, s… seconds
 * (padded to the letter count), f… fraction digits, F… the same without trailing zeros; anything else is
 * copied (separators, brackets, spaces).
 */
function formatTimespan(us: JsValue, format: JsValue): JsValue {
  if (typeof us !== 'number' || typeof format !== 'string') return null;
  const abs = Math.abs(us);
  const ticks = String(Math.round((abs % 1e6) * 10)).padStart(7, '0');
  const parts: Record<string, number> = {
    d: Math.floor(abs / 864e8),
    h: Math.floor(abs / 36e8) % 24,
    m: Math.floor(abs / 6e7) % 60,
    s: Math.floor(abs / 1e6) % 60,
  };
  const text = format.replace(/d+|h+|H+|m+|s+|f+|F+/g, (run) => {
    const letter = run[0];
    if (letter === 'f') return ticks.slice(0, run.length);
    if (letter === 'F') return ticks.slice(0, run.length).replace(/0+$/, '');
    return String(parts[letter.toLowerCase()]).padStart(run.length, '0');
  });
  return us < 0 ? `-${text}` : text;
}

/** `bag_remove_keys(bag, keys)`: the bag without those keys; a key `$.a.b` is a path into nested bags. */
function bagRemoveKeys(bag: JsValue, keys: JsValue): JsValue {
  if (!isBag(bag) || !isArray(keys)) return null;
  const copy = JSON.parse(JSON.stringify(bag)) as { [key: string]: JsValue };
  for (const k of keys) {
    if (typeof k !== 'string') continue;
    const path = k.startsWith('$') ? k.replace(/^\$\.?/, '').split('.') : [k];
    let at: JsValue = copy;
    for (const step of path.slice(0, -1)) at = isBag(at) ? (at[step] ?? null) : null;
    if (isBag(at)) delete at[path[path.length - 1]];
  }
  return copy;
}

export const JS_LIBRARY: Record<string, Fn> = {
  format_timespan: formatTimespan,
  dynamic_to_json: (v) => JSON.stringify(sortedKeys(v)),
  array_index_of: arrayIndexOf,
  ...CODEC_LIBRARY,
  ...MEASURE_LIBRARY,
  ...NETWORK_LIBRARY,
  ...PARSER_LIBRARY,
  ...STATS_LIBRARY,
  ...TEXT_LIBRARY,
  ...SCHEMA_LIBRARY,
  array_sort_asc: sortArray(false),
  array_sort_desc: sortArray(true),
  array_shift_left: shift,
  array_shift_right: (arr, n, fill = null) => (typeof n === 'number' ? shift(arr, -n, fill) : null),
  array_rotate_left: rotate,
  array_rotate_right: (arr, n) => (typeof n === 'number' ? rotate(arr, -n) : null),
  array_sum: (arr) => {
    if (!isArray(arr)) return null;
    const nums = arr.map(num);
    return nums.some((n) => n === null) ? null : (nums as number[]).reduce((a, b) => a + b, 0);
  },
  array_split: arraySplit,
  array_iff: arrayIff,
  array_iif: arrayIff,
  zip,
  bag_zip: bagZip,
  bag_merge: bagMerge,
  bag_remove_keys: bagRemoveKeys,
  bag_set_key: (bag, k, v) => (isBag(bag) && typeof k === 'string' ? { ...bag, [k]: v } : null),
  set_union: setOp('union'),
  set_intersect: setOp('intersect'),
  set_difference: setOp('difference'),
  jaccard_index: (a, b) => {
    if (!isArray(a) || !isArray(b)) return null;
    const union = distinct([...a, ...b]).length;
    const inB = new Set(b.map(key));
    return union === 0 ? null : distinct(a).filter((v) => inB.has(key(v))).length / union;
  },
  strcmp,
  tohex: toHex,
  unicode_codepoints_from_string: (s) =>
    typeof s === 'string' ? [...s].map((c) => c.codePointAt(0)!) : null,
  unicode_codepoints_to_string: codepointsToString,
  replace_strings: replaceStrings,
  // .NET's encoding: lower-case hex digits
  url_encode_component: (s) => (typeof s === 'string' ? lowerHex(encodeURIComponent(s)) : null),
  // .NET's form encoding (HttpUtility.UrlEncode): a space is '+', and ' and ~ are escaped too
  url_encode: (s) =>
    typeof s === 'string'
      ? lowerHex(
          encodeURIComponent(s)
            .replace(/%20/g, '+')
            .replace(/['~]/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
        )
      : null,
  has_ipv4: hasIpv4,
  has_ipv4_prefix: hasIpv4Prefix,
  has_any_ipv4: (source, ...ips) => listArgs(ips).some((ip) => hasIpv4(source, ip) === true),
  has_any_ipv4_prefix: (source, ...prefixes) =>
    listArgs(prefixes).some((p) => hasIpv4Prefix(source, p) === true),
  range: rangeArray,
  series_add: elementwise((a, b) => a! + b!),
  series_subtract: elementwise((a, b) => a! - b!),
  series_multiply: elementwise((a, b) => a! * b!),
  series_divide: elementwise((a, b) =>
    b === 0 ? (a === 0 ? null : a! > 0 ? Infinity : -Infinity) : a! / b!,
  ),
  series_pow: elementwise((a, b) => a! ** b!),
  series_greater: elementwise((a, b) => a! > b!),
  series_greater_equals: elementwise((a, b) => a! >= b!),
  series_less: elementwise((a, b) => a! < b!),
  series_less_equals: elementwise((a, b) => a! <= b!),
  series_equals: elementwise((a, b) => a === b),
  series_not_equals: elementwise((a, b) => a !== b),
  series_abs: unary(Math.abs),
  series_acos: unary(Math.acos),
  series_asin: unary(Math.asin),
  series_atan: unary(Math.atan),
  series_ceiling: unary(Math.ceil),
  series_floor: unary(Math.floor),
  series_cos: unary(Math.cos),
  series_sin: unary(Math.sin),
  series_tan: unary(Math.tan),
  series_exp: unary(Math.exp),
  series_log: unary((x) => (x > 0 ? Math.log(x) : NaN)),
  series_sign: unary(Math.sign),
  series_sqrt: unary((x) => (x >= 0 ? Math.sqrt(x) : NaN)),
  series_sum: (arr) => (isArray(arr) ? arr.reduce<number>((a, v) => a + (num(v) ?? 0), 0) : null),
  series_product: (arr) => (isArray(arr) ? arr.reduce<number>((a, v) => a * (num(v) ?? 1), 1) : null),
  series_dot_product: (a, b) => {
    const products = elementwise((x, y) => x! * y!)(a, b) ?? null;
    return isArray(products) ? products.reduce<number>((s, v) => s + (num(v) ?? 0), 0) : null;
  },
  series_fill_const: (arr, value = 0, missing = null) =>
    isArray(arr) ? arr.map((v) => (v === missing || v === null ? value : v)) : null,
  series_fill_forward: fillForward,
  series_fill_backward: fillBackward,
  series_iir: (x, b, a) => {
    if (!isArray(x) || !isArray(b) || !isArray(a) || a.length === 0 || num(a[0]) === 0) return null;
    const [bs, as] = [b.map((v) => num(v) ?? 0), a.map((v) => num(v) ?? 0)];
    const xs = x.map((v) => num(v) ?? 0);
    const y: number[] = [];
    xs.forEach((_, n) => {
      let acc = 0;
      bs.forEach((bi, i) => (acc += n - i >= 0 ? bi * xs[n - i] : 0));
      as.forEach((ai, i) => (acc -= i > 0 && n - i >= 0 ? ai * y[n - i] : 0));
      y.push(acc / as[0]);
    });
    return y;
  },
};
