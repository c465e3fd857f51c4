/**
 * Indicator lifecycle: how long an indicator stays matchable when its source gives no end date.
 * Addresses are re-assigned within weeks, domains and URLs last longer, a file hash is malicious
 * forever (ten years stands for "never": Sentinel's TI hunts need an ExpirationDateTime). The clock
 * starts at the indicator's last sighting by its source (`lastSeen`, else `firstSeen`, else import).
 */
import type { Indicator, IndicatorType } from './model.js';

export type TtlDays = Record<IndicatorType, number>;

export const DEFAULT_TTL_DAYS: Readonly<TtlDays> = {
  ipv4: 30,
  ipv6: 30,
  'ip:port': 30,
  domain: 90,
  url: 60,
  md5: 3650,
  sha1: 3650,
  sha256: 3650,
};

const DAY = 86_400_000;

/** `ip=14,domain=180` (`ip` covers ipv4, ipv6 and ip:port; `hash` the three hashes) over the defaults. */
export function parseTtl(spec: string | undefined, base: Readonly<TtlDays> = DEFAULT_TTL_DAYS): TtlDays {
  const out = { ...base };
  for (const part of (spec ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([\w:]+)=(\d+)d?$/.exec(part);
    const types: IndicatorType[] | undefined = !m
      ? undefined
      : m[1] === 'ip'
        ? ['ipv4', 'ipv6', 'ip:port']
        : m[1] === 'hash'
          ? ['md5', 'sha1', 'sha256']
          : m[1]! in out
            ? [m[1] as IndicatorType]
            : undefined;
    if (!types)
      throw new Error(
        `--ttl: expected TYPE=DAYS (types: ip, hash, ${Object.keys(out).join(', ')}); got ${JSON.stringify(part)}`,
      );
    for (const t of types) out[t] = Number(m![2]);
  }
  return out;
}

/** The source's own end date, else anchor + TTL for the type. */
export function expiryOf(i: Indicator, importedAt: Date, ttl: Readonly<TtlDays> = DEFAULT_TTL_DAYS): string {
  if (i.expires) return i.expires;
  return lifetimeEnd(i, new Date(i.lastSeen ?? i.firstSeen ?? importedAt.toISOString()), ttl);
}

/** The end of the type's lifetime counted from `anchor`. */
export function lifetimeEnd(i: Indicator, anchor: Date, ttl: Readonly<TtlDays> = DEFAULT_TTL_DAYS): string {
  return new Date(anchor.getTime() + ttl[i.type] * DAY).toISOString();
}
