/**
 * `target.push(...items)` without the spread: spreading passes every item as an argument, and a few
 * hundred thousand arguments overflow the call stack (a large feed, a big blocklist).
 */
export function append<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}
