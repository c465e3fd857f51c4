/**
 * A CommonJS module loaded on first use instead of at import: the KQL functions that need a library
 * (h3-js, s2js, jstat…) are rare, and loading them all cost every run ~0.4 CPU-s before it started.
 * Synchronous (`require`), because the functions run inside DuckDB's row-wise UDF callbacks.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The module's exports (or the part `pick` selects), loaded when a property is first read. */
export function lazyModule<T extends object>(name: string, pick: (exports: any) => T = (e) => e): T {
  let loaded: T | undefined;
  const target = (): T => (loaded ??= pick(require(name)));
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
  });
}
