/**
 * Kusto's `dynamic(...)` literal text → a JSON value. Kusto accepts more than JSON: single-quoted and
 * verbatim (@'…') strings, h-obfuscated strings, and typed scalars (`datetime(…)`, `long(…)`, '1d').
 * Datetimes and timespans become their text, as Kusto's JSON rendering of a dynamic shows them.
 */
import { LiteralError, parseDatetime } from './literals.js';

class Reader {
  i = 0;
  constructor(readonly text: string) {}
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
    if (['long', 'int', 'real', 'double', 'decimal'].includes(kind)) return Number(inner);
    if (kind === 'bool' || kind === 'boolean') return inner.toLowerCase() === 'true';
    return inner;
  }
  const token = m[0];
  if (token === 'true' || token === 'false') return token === 'true';
  if (token === 'null') return null;
  const n = Number(token);
  if (!Number.isNaN(n)) return n;
  return token; // timespans and other scalars keep their text
}

/** The JSON value of a dynamic literal's inner text (what is inside `dynamic( … )`). */
export function parseDynamicLiteral(text: string): unknown {
  const r = new Reader(text);
  if (r.peek() === '') return null;
  const v = value(r);
  if (r.peek() !== '') throw new LiteralError('dynamic literal: trailing text');
  return v;
}
