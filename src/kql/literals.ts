/**
 * Values of KQL literal tokens, read from their text. The Bridge build's own literal values are unreliable
 * for some forms (e.g. `time(1.02:03:04)` comes back as zero), so datetime and timespan text is parsed here.
 * Datetimes are UTC and become DuckDB's naive TIMESTAMP text; timespans become microseconds.
 */

export class LiteralError extends Error {}

/** Strips a `type(...)` wrapper: `datetime(2026-05-20)` → `2026-05-20`. */
function unwrap(text: string, names: string[]): string {
  const m = /^([a-z_]+)\s*\(\s*([\s\S]*?)\s*\)$/i.exec(text.trim());
  if (m && names.includes(m[1].toLowerCase())) return m[2];
  return text.trim();
}

/** `2026-05-20` (also `2026 - 05 - 20`: Kusto skips the spaces), `2026-05-20 10:00`, `2026-05-20T10:00:01.5Z`, `…+02:00` → 'YYYY-MM-DD HH:MM:SS.ffffff' UTC. */
export function parseDatetime(text: string): string | null {
  const inner = unwrap(text, ['datetime', 'date']);
  if (inner.toLowerCase() === 'null') return null;
  const m =
    /^(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      inner,
    );
  let ms: number;
  let micros = 0;
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
    ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
    micros = Number(frac.padEnd(7, '0').slice(0, 6));
    if (zone && zone.toUpperCase() !== 'Z') {
      const z = /([+-])(\d{2}):?(\d{2})/.exec(zone)!;
      ms -= (z[1] === '-' ? -1 : 1) * (+z[2] * 60 + +z[3]) * 60000;
    }
  } else {
    // RFC 822 / 850 forms ("Sat, 8 Nov 2014 15:05:02 GMT"); without a zone they mean UTC
    ms = Date.parse(/(GMT|UTC|Z|[+-]\d{4})$/i.test(inner) ? inner : `${inner} GMT`);
  }
  if (!Number.isFinite(ms)) throw new LiteralError(`not a datetime literal: ${text}`);
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const fraction = micros ? String(micros).padStart(6, '0') : iso.slice(20, 23) + '000';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
}

const UNIT_MICROS: [RegExp, number][] = [
  [/^(d|day|days)$/, 86_400_000_000],
  [/^(h|hr|hrs|hour|hours)$/, 3_600_000_000],
  [/^(m|min|minute|minutes)$/, 60_000_000],
  [/^(s|sec|second|seconds)$/, 1_000_000],
  [/^(ms|milli|millis|millisecond|milliseconds)$/, 1000],
  [/^(microsecond|microseconds)$/, 1],
  [/^(tick|ticks)$/, 0.1],
];

/** `1h`, `1.5d`, `100ms`, `time(1.02:03:04)`, `timespan(2d)` → microseconds (null for `time(null)`). */
export function parseTimespan(text: string): number | null {
  const inner = unwrap(text, ['time', 'timespan']);
  if (inner.toLowerCase() === 'null') return null;
  const unit = /^([+-]?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(inner);
  if (unit) {
    const entry = UNIT_MICROS.find(([re]) => re.test(unit[2].toLowerCase()));
    if (!entry) throw new LiteralError(`not a timespan literal: ${text}`);
    return Math.round(Number(unit[1]) * entry[1]);
  }
  if (/^[+-]?\d+(?:\.\d+)?$/.test(inner)) return Math.round(Number(inner) * 86_400_000_000); // bare number = days
  const clock = /^([+-])?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(inner);
  if (clock) {
    const [, sign, d = '0', h, mi, s = '0', frac = ''] = clock;
    const micros =
      ((+d * 24 + +h) * 60 + +mi) * 60_000_000 +
      +s * 1_000_000 +
      Math.round(Number(frac.padEnd(7, '0')) / 10);
    return sign === '-' ? -micros : micros;
  }
  throw new LiteralError(`not a timespan literal: ${text}`);
}

/** int/long/real literals, including `long(null)`, hex and values beyond 2^53 (as bigint). */
export function parseNumber(text: string): number | bigint | null {
  const inner = unwrap(text, ['int', 'long', 'real', 'double', 'decimal']);
  if (inner.toLowerCase() === 'null') return null;
  const integer = /^([+-]?)(0x[0-9a-f]+|\d+)$/i.exec(inner);
  if (integer) {
    const big = integer[1] === '-' ? -BigInt(integer[2]) : BigInt(integer[2]);
    return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(big)
      : big;
  }
  const n = Number(inner);
  if (Number.isNaN(n) && !/^nan$/i.test(inner)) throw new LiteralError(`not a number literal: ${text}`);
  return n;
}

export function parseBool(text: string): boolean | null {
  const inner = unwrap(text, ['bool', 'boolean']).toLowerCase();
  if (inner === 'null') return null;
  if (inner === 'true' || inner === '1') return true;
  if (inner === 'false' || inner === '0') return false;
  throw new LiteralError(`not a bool literal: ${text}`);
}

export function parseGuid(text: string): string | null {
  const inner = unwrap(text, ['guid', 'uuid', 'uniqueid']);
  return inner.toLowerCase() === 'null' ? null : inner;
}
