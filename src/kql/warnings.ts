/**
 * Compile-time warnings: answers Telltale gives that are correct but poorer than Sentinel's (e.g. no
 * offline geolocation). Each distinct message is reported once per compilation, never as a row.
 */
const pending = new WeakMap<object, Set<string>>();

export function warn(compilation: object, message: string): void {
  let set = pending.get(compilation);
  if (!set) pending.set(compilation, (set = new Set()));
  set.add(message);
}

export function takeWarnings(compilation: object): string[] {
  const set = pending.get(compilation);
  pending.delete(compilation);
  return set ? [...set] : [];
}
