/**
 * A hunt's Sentinel-style lookback: the longest `ago(...)` span in its query (a timespan literal, or a
 * `let` bound to one), or `x-telltale.lookback`. Offline, the runner replays such a hunt once per
 * lookback-sized tile of the logs, as if the scheduled query had run every period while they were
 * written — so `ago(1h)` still finds a two-year-old incident (see docs/hunts.md, "Time").
 */
import { argumentsOf, callsOf, letValues, parseSyntax } from '../kql/syntax.js';

const UNIT_MS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
};

/** `1h`, `7d`, `1.5h`, `30min` → milliseconds; null when not a timespan literal. */
export function timespanMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  const unit = m && UNIT_MS[m[2].toLowerCase()];
  return unit ? Number(m[1]) * unit : null;
}

/** Milliseconds of the longest lookback, or null when the query has no resolvable `ago(...)`. */
export function queryLookbackMs(query: string): number | null {
  const root = parseSyntax(query);
  const lets = letValues(root);
  let longest: number | null = null;
  for (const call of callsOf(root, 'ago')) {
    const [arg] = argumentsOf(call);
    if (!arg) continue;
    const span = arg.kind === 'NameReference' ? lets.get(arg.simpleName ?? '') : arg;
    const ms = span ? timespanMs(span.text) : null;
    if (ms !== null && (longest === null || ms > longest)) longest = ms;
  }
  return longest;
}
