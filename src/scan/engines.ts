/**
 * The two YARA-X builds behind one small interface. `native` (the N-API addon, see native.ts) runs in
 * child processes; `wasm` (the official WebAssembly build) is the fallback, in worker threads. Both are
 * YARA-X 1.20.0, so rules compile and match the same way (differences: docs/scan.md).
 */
import type { LoadedRules, RuleScanner } from './loaded.js';
import { loadNative, nativeRules } from './native.js';
import { compileRules, type RuleSource } from './rules.js';
import type { YxMatch } from './format.js';
import type { EngineChoice, EngineName } from './types.js';
import { initYarax } from './yarax.js';

export type { EngineChoice, EngineName } from './types.js';
export type { LoadedRules, RuleScanner } from './loaded.js';

/** Compile `sources` with `engine` (WASM must be initialised in this thread first: initYarax). */
export function loadRules(engine: EngineName, sources: RuleSource[]): LoadedRules {
  if (engine === 'native') return nativeRules(sources);
  const { rules, warnings: _warnings, ...rest } = compileRules(sources);
  const wasm = rules.scanner();
  const scanner: RuleScanner = {
    scan: (data, globals) => {
      for (const [k, v] of Object.entries(globals ?? {})) wasm.setGlobal(k, v);
      return (wasm.scan(data) as { matches?: YxMatch[] }).matches ?? [];
    },
    free: () => {
      wasm.free();
      rules.free();
    },
  };
  return { scanner, ...rest };
}

let noticed = false;

/**
 * Which engine a scan uses: the option, else TELLTALE_YARA_ENGINE (`native`, `wasm`, `auto`), else
 * `auto`. Forcing `native` where it cannot load is an error; `auto` falls back to WASM and says why,
 * once per process.
 */
export function chooseEngine(requested?: EngineChoice): EngineName {
  const want = requested ?? engineFromEnv();
  if (want === 'wasm') return 'wasm';
  const native = loadNative();
  if (!('reason' in native)) return 'native';
  if (want === 'native') throw new Error(`native YARA-X engine requested but ${native.reason}`);
  if (!noticed) {
    noticed = true;
    process.stderr.write(
      `telltale: native YARA-X engine unavailable (${native.reason}); scanning with the WebAssembly build (slower)\n`,
    );
  }
  return 'wasm';
}

function engineFromEnv(): EngineChoice {
  const v = (process.env.TELLTALE_YARA_ENGINE ?? 'auto').toLowerCase();
  if (v === 'native' || v === 'wasm' || v === 'auto') return v;
  throw new Error(`TELLTALE_YARA_ENGINE must be native, wasm or auto (got "${v}")`);
}

/** For tests: compile once in this thread with the chosen engine. */
export function compileWith(engine: EngineName, sources: RuleSource[]): LoadedRules {
  if (engine === 'wasm') initYarax();
  return loadRules(engine, sources);
}
