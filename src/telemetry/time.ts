/**
 * Timestamp parsers for log text. Hand-written for the formats logs use, because Date.parse reads
 * zone-less text in the *machine's* local zone and accepts odd strings; here zone-less means UTC, and
 * anything unrecognised is null (the caller decides whether that is a reject or a fallback).
 */

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

export function monthIndex(name: string): number | undefined {
  return MONTHS[name.toLowerCase()];
}

/** Date.UTC with range checks (Date.UTC silently rolls Feb 31 into March). */
export function utcDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1 || y > 9999) return null;
  const date = new Date(Date.UTC(y, mo, d, h, mi, Math.min(s, 59), ms));
  if (y < 100) date.setUTCFullYear(y);
  return date.getUTCDate() === d ? date : null;
}

/**
 * Epoch seconds, milliseconds or microseconds, told apart by magnitude (store/bulk.ts tt_epoch_time
 * draws the same lines): seconds below 1e11 (year 5138), milliseconds below 1e14, microseconds from 1e15
 * (2001) to 1e17. Between 1e14 and 1e15 a value is milliseconds beyond year 5138 or microseconds before
 * 2001 (`253402300799000`, year 9999 in ms, was read as 1978): out of range, as are negative values and
 * anything past 1e17. Returns epoch milliseconds, or the reason the value is no time.
 */
export function epochMs(n: number): number | string {
  if (!Number.isFinite(n)) return `epoch ${n} is not a number`;
  if (n < 0) return `epoch ${n} is negative (before 1970)`;
  if (n < 1e11) return n * 1000;
  if (n < 1e14) return n;
  if (n >= 1e15 && n < 1e17) return n / 1000;
  return `epoch ${n} is out of range (neither seconds, milliseconds nor microseconds of a date before 5138)`;
}

export function epochDate(n: number): Date | null {
  const ms = epochMs(n);
  return typeof ms === 'number' ? new Date(ms) : null;
}

/** Minutes east of UTC for `Z`, `UTC`, `GMT`, `+02:00`, `-0500`, `GMT+01:00`; undefined if unknown. */
export function zoneOffset(zone: string): number | undefined {
  const z = zone.trim();
  if (z === '' || z === 'Z' || z === 'UTC' || z === 'GMT') return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function withOffset(date: Date | null, offsetMinutes: number): Date | null {
  return date && offsetMinutes !== 0 ? new Date(date.getTime() - offsetMinutes * 60_000) : date;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 / RFC 3339; no zone means UTC. */
export function parseIso(text: string): Date | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const date = utcDate(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0), ms);
  const offset = m[8] ? zoneOffset(m[8].toUpperCase()) : 0;
  return offset === undefined ? null : withOffset(date, offset);
}

const CEF_DATE =
  /^([A-Za-z]{3}) +(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?: (.{1,16}))?$/;

/**
 * CEF `rt`/`start`/`end`: epoch milliseconds, `MMM dd yyyy HH:mm:ss[.SSS] [zone]`, the same without the
 * year (taken from `referenceYear`), or RFC 3339. Zone names other than UTC/GMT/offsets give null.
 */
export function parseCefTime(text: string, referenceYear: number): Date | null {
  const t = text.trim();
  if (t.length === 0 || t.length > 64) return null;
  const c = t.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    if (/^\d+(\.\d+)?$/.test(t)) return epochDate(Number(t));
    return parseIso(t);
  }
  const m = CEF_DATE.exec(t);
  if (!m) return null;
  const mo = monthIndex(m[1]);
  if (mo === undefined) return null;
  const offset = m[8] === undefined ? 0 : zoneOffset(m[8]);
  if (offset === undefined) return null;
  const year = m[3] ? +m[3] : referenceYear;
  return withOffset(
    utcDate(year, mo, +m[2], +m[4], +m[5], +m[6], m[7] ? Number(m[7].padEnd(3, '0')) : 0),
    offset,
  );
}

const US_LOCALE =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)? ?([AP]M)?$/i;

/** Sentinel / Defender portal exports: `3/31/2022, 10:52:35.857 AM` (US locale, shown in UTC). */
export function parseUsLocale(text: string): Date | null {
  const m = US_LOCALE.exec(text.trim());
  if (!m) return null;
  let hour = +m[4];
  if (m[8]) {
    if (hour < 1 || hour > 12) return null;
    const pm = m[8].toUpperCase() === 'PM';
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  return utcDate(+m[3], +m[1] - 1, +m[2], hour, +m[5], +(m[6] ?? 0), ms);
}
