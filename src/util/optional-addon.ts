/**
 * Telltale's own native addons (telltale-mmap, telltale-cef) are optional dependencies: where one did
 * not build or load, the caller takes its portable path. Loaded once per process.
 */
import { createRequire } from 'node:module';

/** A loader of the addon `name`: the module, or undefined where it did not build or load. */
export function optionalAddon<T>(name: string): () => T | undefined {
  let loaded: T | null | undefined;
  return () => {
    if (loaded === undefined) {
      try {
        loaded = createRequire(import.meta.url)(name) as T;
      } catch {
        loaded = null;
      }
    }
    return loaded ?? undefined;
  };
}
