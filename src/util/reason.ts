/**
 * A reject reason is shown to a user and kept in ledgers: one that quotes the bad value must not quote
 * 2 MB of it. Cut to `max` characters with a note of the full length, so the user knows it was cut.
 */
export const MAX_REASON = 300;

export function clipReason(reason: string, max = MAX_REASON): string {
  return reason.length > max ? `${reason.slice(0, max)}… (${reason.length} characters)` : reason;
}

/** The same rejects with their reasons clipped (the array is returned as is when none is long). */
export function clipRejects<T extends { reason: string }>(rejects: T[], max = MAX_REASON): T[] {
  return rejects.some((r) => r.reason.length > max)
    ? rejects.map((r) => ({ ...r, reason: clipReason(r.reason, max) }))
    : rejects;
}
