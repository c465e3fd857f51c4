/**
 * Carve embedded objects out of a raw image (firmware, memory dump, unknown blob): ELF binaries, sized
 * from their own headers, and gzip streams, sized by inflating them. Rules anchored at offset 0
 * (`uint32(0) == 0x464c457f`) then match an ELF wherever it sits. A carved span is skipped over, so an
 * ELF inside a carved ELF is found once, when the carved one is expanded in turn.
 */
import { elfSizeAt } from './elf.js';
import { gunzipAt, isGzipAt } from './gzip.js';
import type { Budget } from './limits.js';

export interface Carved {
  /** `elf@0x1a2000` or `gzip@0x400`. */
  label: string;
  kind: 'elf' | 'gzip';
  data?: Uint8Array;
  skipped?: string;
}

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/** Carved objects in offset order; offset 0 is the object itself and never carved. */
export function* carve(data: Uint8Array, budget: Budget): Generator<Carved> {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  let elfAt = buf.indexOf(ELF_MAGIC, 1);
  let gzAt = buf.indexOf(GZIP_MAGIC, 1);
  while (elfAt >= 0 || gzAt >= 0) {
    const isElf = elfAt >= 0 && (gzAt < 0 || elfAt < gzAt);
    const at = isElf ? elfAt : gzAt;
    let end = at + 1;
    const label = `${isElf ? 'elf' : 'gzip'}@0x${at.toString(16)}`;
    if (isElf) {
      const size = elfSizeAt(data, at);
      if (size !== undefined) {
        end = at + size;
        const skipped = budget.admit(size);
        yield skipped
          ? { label, kind: 'elf', skipped }
          : { label, kind: 'elf', data: data.subarray(at, end) };
      }
    } else if (isGzipAt(data, at)) {
      const out = gunzipAt(data, at, budget.maxOutput(data.length - at));
      if ('data' in out) {
        end = at + out.consumed;
        const skipped = budget.admit(out.data.length, out.consumed);
        yield skipped ? { label, kind: 'gzip', skipped } : { label, kind: 'gzip', data: out.data };
      } else if ('tooLarge' in out) {
        yield { label, kind: 'gzip', skipped: budget.overflowReason(data.length - at) };
      }
    }
    if (budget.entryCapHit) return;
    if (elfAt >= 0 && elfAt < end) elfAt = buf.indexOf(ELF_MAGIC, end);
    if (gzAt >= 0 && gzAt < end) gzAt = buf.indexOf(GZIP_MAGIC, end);
  }
}
