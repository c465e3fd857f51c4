/**
 * One object through YARA-X: externals (only if a rule uses them), the scan, the match filter, then the
 * digests — the requested ones, plus a match's own (`matchHashes`) for an object that matched. Never throws.
 * A large object's digests run on thread-pool threads where the mmap addon offers them (native
 * workers): the requested ones beside the scan, a match's others after it, all at once.
 */
import type { RuleScanner } from './engines.js';
import { externalValues } from './externals.js';
import { toRuleMatches, type MatchFilter } from './format.js';
import { digestsOffThread, someDigests, type DigestOffThread, type Digests } from './hash.js';
import type { FileResult, HashName, ObjectKind, ProcessRegion, Skipped } from './types.js';
import { errText } from '../util/walk.js';

export interface EngineConfig {
  hashes: HashName[];
  /** Digests an object that matched gets besides `hashes`. */
  matchHashes: readonly HashName[];
  filter: MatchFilter;
  externals: boolean;
  /** Digests off the scan's thread (native workers with the mmap addon). */
  offThread?: DigestOffThread;
}

/**
 * Objects from this size on get their digests off the scan's thread: a thread hop costs ~0.05 ms, a
 * SHA-256 of 1 MiB ~0.7 ms. A matched 256 MiB object's three digests: 0.73 s one after the other on the
 * scan's thread, 0.45 s on three threads (measured), and the requested ones overlap YARA-X's own pass.
 */
export const OFF_THREAD_MIN_BYTES = 1024 * 1024;

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

  /** The bytes must stay unchanged until it settles (digests may be reading them on other threads). */
  async scan(
    name: string,
    kind: ObjectKind,
    data: Uint8Array,
    memory?: ProcessRegion,
  ): Promise<{ result: FileResult } | { skipped: Skipped }> {
    const offThread = data.length >= OFF_THREAD_MIN_BYTES ? this.cfg.offThread : undefined;
    const early =
      offThread && this.cfg.hashes.length > 0
        ? digestsOffThread(data, this.cfg.hashes, offThread)
        : undefined;
    // settled before this returns, whatever happens: the caller may reuse the bytes then
    const requested = early?.catch(() => someDigests(data, this.cfg.hashes));
    let matches;
    try {
      const globals = this.cfg.externals ? externalValues(name, data) : undefined;
      matches = toRuleMatches({ matches: this.scanner.scan(data, globals) }, data, this.cfg.filter);
    } catch (e) {
      await requested;
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
    const names =
      matches.length > 0 ? [...new Set([...this.cfg.hashes, ...this.cfg.matchHashes])] : this.cfg.hashes;
    const hashes = offThread
      ? await this.offThreadDigests(data, names, offThread, requested)
      : someDigests(data, names);
    const result: FileResult = { path: name, kind, size: data.length, ...hashes, matches };
    if (memory) result.memory = memory;
    return { result };
  }

  /** `names`' digests: those `requested` already computes, the others started now beside them. */
  private async offThreadDigests(
    data: Uint8Array,
    names: readonly HashName[],
    offThread: DigestOffThread,
    requested: Promise<Partial<Digests>> | undefined,
  ): Promise<Partial<Digests>> {
    const others = names.filter((n) => !this.cfg.hashes.includes(n));
    const [first, rest] = await Promise.all([
      requested ?? {},
      digestsOffThread(data, others, offThread).catch(() => someDigests(data, others)),
    ]);
    return { ...first, ...rest };
  }
}
