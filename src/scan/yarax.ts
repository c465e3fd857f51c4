/**
 * One YARA-X wasm instance per thread. The compiled WebAssembly.Module is shareable across worker
 * threads (postMessage clones it without recompiling), so the main thread compiles it once and hands it
 * to workers; each thread then instantiates its own memory.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync } from '@virustotal/yara-x';

export { Compiler, Rules, Scanner } from '@virustotal/yara-x';

let module: WebAssembly.Module | undefined;
let initialised = false;

/** The compiled YARA-X wasm module (compiled on first use). */
export function yaraxModule(): WebAssembly.Module {
  if (!module) {
    const entry = createRequire(import.meta.url).resolve('@virustotal/yara-x');
    module = new WebAssembly.Module(readFileSync(entry.replace(/yara_x_js\.js$/, 'yara_x_js_bg.wasm')));
  }
  return module;
}

/** Instantiate YARA-X in this thread, from a module handed over by the parent if given. */
export function initYarax(shared?: WebAssembly.Module): void {
  if (initialised) return;
  if (shared) module = shared;
  initSync({ module: yaraxModule() });
  initialised = true;
}
