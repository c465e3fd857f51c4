/**
 * Exclusions as code: a KQL predicate over a hunt's result rows, with a reason, the hunts it applies
 * to and an expiry. A suppressed row is counted against the exclusion that matched it, never dropped
 * silently. The YAML may spell common shapes as `when:` clauses (process names, users, CIDR ranges,
 * command-line regexes, one-off and daily time windows); they compile to plain KQL, ANDed with
 * `predicate`, so the linter and the runner only ever see KQL.
 */
export interface Exclusion {
  id: string;
  reason: string;
  /** The full KQL predicate (the `when:` clauses and `predicate`, ANDed). */
  predicate: string;
  /** Hunt keys or ids; empty = every hunt whose result has the columns the predicate names. */
  hunts: string[];
  expires?: Date;
  enabled: boolean;
  file: string;
}

export function isExpired(exclusion: Exclusion, now: Date): boolean {
  return exclusion.expires !== undefined && exclusion.expires.getTime() <= now.getTime();
}

export function appliesByName(exclusion: Exclusion, hunt: { key: string; id: string }): boolean {
  return (
    exclusion.hunts.length === 0 || exclusion.hunts.includes(hunt.key) || exclusion.hunts.includes(hunt.id)
  );
}
