/** Small text helpers shared by the readers. */

export function isBlank(text: string): boolean {
  return text.length === 0 || text.trim().length === 0;
}

type WellFormedString = string & { toWellFormed(): string };

/**
 * JSON may carry lone surrogates (`"\ud800"`), which DuckDB's JSON reader refuses for a whole batch:
 * replace them with U+FFFD. The check on the raw text keeps the common case free.
 */
export function wellFormed<T>(value: T, rawText: string): T {
  if (!/\\u[dD][89a-fA-F]/.test(rawText)) return value;
  return fix(value) as T;
}

function fix(value: unknown): unknown {
  if (typeof value === 'string') return (value as WellFormedString).toWellFormed();
  if (Array.isArray(value)) return value.map(fix);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fix(k) as string] = fix(v);
    return out;
  }
  return value;
}

/** One JSON object from a line (lone surrogates made well-formed), or the reason it is not one. */
export function parseJsonObject(text: string): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'not a JSON object';
  return wellFormed(parsed as Record<string, unknown>, text);
}
