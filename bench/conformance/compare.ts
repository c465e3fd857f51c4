/**
 * Compares Telltale's answer with a documented output table, by the rules of the cases' README: column
 * names and order exactly; rows in order only when the query sorts, else as a multiset; values by the
 * column's Kusto type (numbers within 1e-6 relative, datetimes to the 100 ns tick, timespans as
 * durations, dynamic as parsed JSON, strings with whitespace collapsed; an empty cell is null or "").
 */
import { parseDynamicLiteral } from '../../src/kql/dynamic-literal.js';

export interface Answer {
  columns: string[];
  types: string[];
  rows: Record<string, unknown>[];
}

/** Why the answer differs from the table, or undefined when it is the table. */
export function difference(
  query: string,
  columns: string[],
  expected: string[][],
  answer: Answer,
): string | undefined {
  if (columns.join('\u0000') !== answer.columns.join('\u0000'))
    return `columns ${JSON.stringify(answer.columns)}, docs ${JSON.stringify(columns)}`;
  if (expected.length !== answer.rows.length) return `${answer.rows.length} rows, docs ${expected.length}`;
  const unorderedArrays = UNORDERED_LISTS.test(query);
  const rowMatches = (want: string[], got: Record<string, unknown>) =>
    columns.every((c, i) => cellMatches(want[i] ?? '', got[c], answer.types[i], unorderedArrays));
  if (isOrdered(query)) {
    const i = expected.findIndex((want, n) => !rowMatches(want, answer.rows[n]));
    return i < 0
      ? undefined
      : `row ${i + 1}: ${show(answer.rows[i], columns)}, docs ${JSON.stringify(expected[i])}`;
  }
  const unused = new Set(answer.rows.keys());
  for (const want of expected) {
    const match = [...unused].find((n) => rowMatches(want, answer.rows[n]));
    if (match === undefined) {
      const left = [...unused].map((n) => show(answer.rows[n], columns)).slice(0, 3);
      return `docs row ${JSON.stringify(want)} not in the answer (unmatched: ${left.join(' ')})`;
    }
    unused.delete(match);
  }
  return undefined;
}

/**
 * Functions whose arrays have no documented order: make_set / make_list of unsorted input (the README's
 * rule), and the geo cell lists (neighbours, polygon coverings), which Kusto documents as a set of cells.
 */
const UNORDERED_LISTS =
  /\bmake_(set|list|bag)|\bgeo_(geohash|s2cell|h3cell)_neighbors\b|\bgeo_polygon_to_h3cells\b/i;

/** The query fixes the row order (the README's rule). */
export function isOrdered(query: string): boolean {
  return /\b(order|sort)\s+by\b|\|\s*top\s|\bserialize\b/i.test(query);
}

function show(row: Record<string, unknown> | undefined, columns: string[]): string {
  return JSON.stringify(
    columns.map((c) => row?.[c]),
    (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
  );
}

function cellMatches(want: string, got: unknown, type: string, unorderedArrays: boolean): boolean {
  if (want === '' && (got === null || got === undefined || got === '')) return true;
  // some pages print a null as `null`
  if (got === null || got === undefined) return want === '' || (type !== 'string' && want === 'null');
  switch (type) {
    case 'bool':
      return boolText(want) === got;
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return numberMatches(want, got);
    case 'datetime':
      return (
        typeof got === 'string' &&
        ticksOfDatetime(want) !== undefined &&
        ticksOfDatetime(want) === ticksOfDatetime(got)
      );
    case 'timespan':
      return (
        typeof got === 'string' &&
        ticksOfTimespan(want) !== undefined &&
        ticksOfTimespan(want) === ticksOfTimespan(got)
      );
    case 'dynamic':
      return dynamicMatches(want, got, unorderedArrays);
    case 'guid':
      return want.toLowerCase() === String(got).toLowerCase();
  }
  return collapse(want) === collapse(typeof got === 'string' ? got : JSON.stringify(got));
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

function boolText(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : undefined;
}

function numberOf(text: string): number | undefined {
  const t = text.trim().replace(/,/g, '');
  if (t === '∞' || t === '+∞' || /^\+?inf(inity)?$/i.test(t)) return Infinity;
  if (t === '-∞' || /^-inf(inity)?$/i.test(t)) return -Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

function numberMatches(want: string, got: unknown): boolean {
  const t = want.trim().replace(/,/g, '');
  if (typeof got === 'string' || typeof got === 'bigint') {
    // integers beyond 2^53 come back as text: compare them exactly
    return /^[+-]?\d+$/.test(t) && /^[+-]?\d+$/.test(String(got)) && BigInt(t) === BigInt(String(got));
  }
  if (typeof got !== 'number') return false;
  return closeTo(numberOf(want), got);
}

function closeTo(want: number | undefined, got: number): boolean {
  if (want === undefined) return false;
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got);
  if (!Number.isFinite(want) || !Number.isFinite(got)) return want === got;
  return (
    Math.abs(want - got) <= 1e-6 * Math.max(Math.abs(want), Math.abs(got)) || Math.abs(want - got) < 1e-12
  );
}

/** A datetime as 100 ns ticks since the Unix epoch (ISO forms with `T` or a space, optional zone). */
export function ticksOfDatetime(text: string): bigint | undefined {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      text.trim(),
    );
  if (!m) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? BigInt(ms) * 10_000n : undefined;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (+y < 100) ms = new Date(ms).setUTCFullYear(+y);
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /([+-])(\d{2}):?(\d{2})/.exec(zone)!;
    ms -= (z[1] === '-' ? -1 : 1) * (+z[2] * 60 + +z[3]) * 60000;
  }
  return BigInt(ms) * 10_000n + BigInt(frac.padEnd(7, '0'));
}

const UNIT_TICKS: [RegExp, bigint][] = [
  [/^(d|days?)$/, 864_000_000_000n],
  [/^(h|hrs?|hours?)$/, 36_000_000_000n],
  [/^(m|min|minutes?)$/, 600_000_000n],
  [/^(s|sec|seconds?)$/, 10_000_000n],
  [/^(ms|millis?|milliseconds?)$/, 10_000n],
  [/^(microseconds?)$/, 10n],
  [/^(ticks?)$/, 1n],
];

/** A timespan as 100 ns ticks: `[-][d.]hh:mm:ss[.fffffff]` or `1d`, `2.5h` … */
export function ticksOfTimespan(text: string): bigint | undefined {
  const t = text.trim();
  const clock = /^([+-])?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (clock) {
    const [, sign, d = '0', h, mi, s = '0', frac = ''] = clock;
    const ticks =
      ((BigInt(d) * 24n + BigInt(h)) * 60n + BigInt(mi)) * 600_000_000n +
      BigInt(s) * 10_000_000n +
      BigInt(frac.padEnd(7, '0'));
    return sign === '-' ? -ticks : ticks;
  }
  const unit = /^([+-]?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  const entry = unit && UNIT_TICKS.find(([re]) => re.test(unit[2].toLowerCase()));
  if (!unit || !entry) return undefined;
  return BigInt(Math.round(Number(unit[1]) * Number(entry[1])));
}

function parseCell(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    try {
      return { value: parseDynamicLiteral(text) };
    } catch {
      return undefined;
    }
  }
}

function dynamicMatches(want: string, got: unknown, unorderedArrays: boolean): boolean {
  const parsed = parseCell(want);
  // a dynamic string prints as its bare text
  if (!parsed || (typeof got === 'string' && typeof parsed.value !== 'string'))
    return typeof got === 'string' && collapse(got) === collapse(want);
  return deepMatches(parsed.value, got, unorderedArrays);
}

function deepMatches(want: unknown, got: unknown, unordered: boolean): boolean {
  if (typeof want === 'number') return typeof got === 'number' && closeTo(want, got);
  if (typeof want === 'string') return typeof got === 'string' && collapse(want) === collapse(got);
  if (want === null || typeof want !== 'object') return want === got;
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return false;
    if (isRing(want) && isRing(got)) return ringMatches(want, got);
    if (!unordered) return want.every((w, i) => deepMatches(w, got[i], unordered));
    const unused = new Set(got.keys());
    return want.every((w) => {
      const n = [...unused].find((i) => deepMatches(w, got[i], unordered));
      if (n === undefined) return false;
      unused.delete(n);
      return true;
    });
  }
  if (!got || typeof got !== 'object' || Array.isArray(got)) return false;
  const [wk, gk] = [Object.keys(want), Object.keys(got)];
  return (
    wk.length === gk.length &&
    wk.every(
      (k) =>
        k in got &&
        deepMatches((want as Record<string, unknown>)[k], (got as Record<string, unknown>)[k], unordered),
    )
  );
}

/** A closed GeoJSON linear ring: at least four [lng, lat] positions, the last equal to the first. */
function isRing(value: unknown[]): value is number[][] {
  const isPosition = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && p.every((x) => typeof x === 'number');
  return (
    value.length >= 4 && value.every(isPosition) && deepMatches(value[0], value[value.length - 1], false)
  );
}

/** Rings are equal when their vertices are, from any starting vertex (GeoJSON fixes no start). */
function ringMatches(want: number[][], got: number[][]): boolean {
  const [w, g] = [want.slice(0, -1), got.slice(0, -1)];
  return g.some((_, shift) => w.every((p, i) => deepMatches(p, g[(i + shift) % g.length], false)));
}
