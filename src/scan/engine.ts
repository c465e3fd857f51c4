/**
 * One object through YARA-X: externals (only if a rule uses them), the scan, the match filter, then the
 * digests — all three for an object that matched, the requested ones otherwise. Never throws.
 */
import type { RuleScanner } from './engines.js';
import { externalValues } from './externals.js';
import { toRuleMatches, type MatchFilter } from './format.js';
import { ALL_HASHES, someDigests } from './hash.js';
import type { FileResult, HashName, ObjectKind, ProcessRegion, Skipped } from './types.js';
import { errText } from '../util/walk.js';

export interface EngineConfig {
  hashes: HashName[];
  filter: MatchFilter;
  externals: boolean;
}

export class ObjectScanner {
  /**
   * Set when YARA-X trapped (a Rust panic is a wasm `unreachable`, e.g. an integer overflow in a
   * condition). The instance survived in our trials, but may hold leaked state: the worker retires
   * after the job, and a fresh one takes the next.
   */
  trapped = false;

  constructor(
    private readonly scanner: RuleScanner,
    private readonly cfg: EngineConfig,
  ) {}

  scan(
    name: string,
    kind: ObjectKind,
    data: Uint8Array,
    memory?: ProcessRegion,
  ): { result: FileResult } | { skipped: Skipped } {
    let matches;
    try {
      const globals = this.cfg.externals ? externalValues(name, data) : undefined;
      matches = toRuleMatches({ matches: this.scanner.scan(data, globals) }, data, this.cfg.filter);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError))
        return { skipped: { path: name, reason: `YARA-X error: ${errText(e)}`, incomplete: true } };
      this.trapped = true;
      return {
        skipped: {
          path: name,
          reason: `YARA-X crashed on this object (wasm trap: ${e.message})`,
          incomplete: true,
        },
      };
    }
    const hashes = someDigests(data, matches.length > 0 ? ALL_HASHES : this.cfg.hashes);
    const result: FileResult = { path: name, kind, size: data.length, ...hashes, matches };
    if (memory) result.memory = memory;
    return { result };
  }
}
