/**
 * Telltale's own native addons (telltale-mmap, telltale-cef) are optional dependencies: where one did
 * not build or load, the caller takes its portable path. Loaded once per process.
 */
import { createRequire } from 'node:module';

/**
 * A loader of the addon `name`: the module, or undefined where it did not build or load. With
 * `abiVersion`, a build that exports another `version` (or none: one from before the interface changed,
 * left by a checkout that was not rebuilt) counts as missing too, with one notice on stderr: a stale
 * build that misreads its arguments would otherwise answer wrongly without an error.
 */
export function optionalAddon<T>(name: string, abiVersion?: number): () => T | undefined {
  let loaded: T | null | undefined;
  return () => {
    if (loaded === undefined) {
      try {
        loaded = createRequire(import.meta.url)(name) as T;
      } catch {
        loaded = null;
      }
      const version = (loaded as { version?: unknown } | null)?.version;
      if (loaded && abiVersion !== undefined && version !== abiVersion) {
        loaded = null;
        process.stderr.write(
          `telltale: the ${name} addon is a stale build (interface ${String(version ?? 1)}, want ${abiVersion}); ` +
            `its slower portable path runs until \`npm rebuild ${name}\`\n`,
        );
      }
    }
    return loaded ?? undefined;
  };
}
