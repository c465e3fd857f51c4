/**
 * Kusto's `dynamic(...)` literal text → a JSON value. Kusto accepts more than JSON: single-quoted and
 * verbatim (@'…') strings, h-obfuscated strings, and typed scalars (`datetime(…)`, `long(…)`, '1d').
 * Datetimes and timespans become their text, as Kusto's JSON rendering of a dynamic shows them.
 */
import { LiteralError, parseDatetime } from './literals.js';

/** A real number inside a dynamic literal (`1.0`, `real(2)`), kept apart from a long of the same value. */
class Real {
  constructor(readonly value: number) {}
}

class Reader {
  i = 0;
  /** `keepReals`: numbers written as reals become Real, so that the JSON text can keep them reals. */
  constructor(
    readonly text: string,
    readonly keepReals = false,
  ) {}
  number(n: number, real: boolean): unknown {
    return real && this.keepReals ? new Real(n) : n;
  }
  ws(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }
  peek(): string {
    this.ws();
    return this.text[this.i] ?? '';
  }
  expect(ch: string): void {
    if (this.peek() !== ch) throw new LiteralError(`dynamic literal: expected ${ch} at ${this.i}`);
    this.i++;
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  b: '\b',
  f: '\f',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

function string(r: Reader): string {
  let verbatim = false;
  if (/[hH]/.test(r.text[r.i]) && /['"@]/.test(r.text[r.i + 1] ?? '')) r.i++;
  if (r.text[r.i] === '@') {
    verbatim = true;
    r.i++;
  }
  const quote = r.text[r.i++];
  let out = '';
  while (r.i < r.text.length) {
    const ch = r.text[r.i++];
    if (ch === quote) {
      if (verbatim && r.text[r.i] === quote) {
        out += quote;
        r.i++;
        continue;
      }
      return out;
    }
    if (ch === '\\' && !verbatim) {
      const next = r.text[r.i++];
      if (next === 'u') {
        out += String.fromCharCode(parseInt(r.text.slice(r.i, r.i + 4), 16));
        r.i += 4;
      } else out += ESCAPES[next] ?? next;
    } else out += ch;
  }
  throw new LiteralError('dynamic literal: unterminated string');
}

function value(r: Reader): unknown {
  const ch = r.peek();
  if (ch === '[') {
    r.i++;
    const items: unknown[] = [];
    if (r.peek() === ']') return (r.i++, items);
    for (;;) {
      items.push(value(r));
      if (r.peek() === ',') r.i++;
      else return (r.expect(']'), items);
    }
  }
  if (ch === '{') {
    r.i++;
    const bag: Record<string, unknown> = {};
    if (r.peek() === '}') return (r.i++, bag);
    for (;;) {
      r.ws();
      const key = /['"@]/.test(r.text[r.i]) ? string(r) : /^[\w$]+/.exec(r.text.slice(r.i))?.[0];
      if (key === undefined) throw new LiteralError('dynamic literal: bad key');
      if (!/['"]/.test(r.text[r.i - 1])) r.i += key.length;
      r.expect(':');
      bag[key] = value(r);
      if (r.peek() === ',') r.i++;
      else return (r.expect('}'), bag);
    }
  }
  if (/['"@]/.test(ch) || (/[hH]/.test(ch) && /['"@]/.test(r.text[r.i + 1] ?? ''))) return string(r);
  // a nested dynamic(…) literal is its inner value
  const nested = /^dynamic\s*\(/i.exec(r.text.slice(r.i));
  if (nested) {
    r.i += nested[0].length;
    const inner = value(r);
    return (r.expect(')'), inner);
  }
  // a bare token: number, true/false/null, a typed scalar `name(...)`, or a timespan like 1d
  const m = /^([A-Za-z_]+)\s*\(([^)]*)\)|^[^\s,\]}]+/.exec(r.text.slice(r.i));
  if (!m) throw new LiteralError('dynamic literal: unexpected end');
  r.i += m[0].length;
  if (m[1]) {
    const kind = m[1].toLowerCase();
    const inner = m[2].trim();
    if (inner.toLowerCase() === 'null') return null;
    if (kind === 'datetime' || kind === 'date')
      return (
        parseDatetime(inner)
          ?.replace(' ', 'T')
          .replace(/\.?0*$/, '') + 'Z'
      );
    if (['long', 'int'].includes(kind)) return Number(inner);
    if (['real', 'double', 'decimal'].includes(kind)) return r.number(Number(inner), true);
    if (kind === 'bool' || kind === 'boolean') return inner.toLowerCase() === 'true';
    return inner;
  }
  const token = m[0];
  if (token === 'true' || token === 'false') return token === 'true';
  if (token === 'null') return null;
  const n = Number(token);
  if (!Number.isNaN(n)) return r.number(n, /^[+-]?[\d.]+(e[+-]?\d+)?$/i.test(token) && /[.e]/i.test(token));
  return token; // timespans and other scalars keep their text
}

function read(r: Reader): unknown {
  if (r.peek() === '') return null;
  const v = value(r);
  if (r.peek() !== '') throw new LiteralError('dynamic literal: trailing text');
  return v;
}

/** The JSON value of a dynamic literal's inner text (what is inside `dynamic( … )`). */
export function parseDynamicLiteral(text: string): unknown {
  return read(new Reader(text));
}

/**
 * The JSON text of a dynamic literal's inner text, compact, with reals written as reals: `[1.0, 2]` stays
 * `[1.0,2]` (JSON.stringify would print `[1,2]`), since Kusto keeps a dynamic number's type — gettype,
 * tostring and the series functions (series_fill_linear interpolates an array of longs to longs) see it.
 */
export function dynamicLiteralJson(text: string): string {
  return jsonText(read(new Reader(text, true)));
}

/** A real as Kusto's JSON writes it: a whole number keeps a `.0` (`111.0`), others in shortest form. */
export function realJson(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e15 ? `${n}.0` : JSON.stringify(n);
}

function jsonText(v: unknown): string {
  if (v instanceof Real) return realJson(v.value);
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
