/**
 * The expansion budget of one top-level object (a file, stdin): archive members and carved objects
 * count against an entry cap and a decompressed-bytes cap; each member is checked for its size and its
 * expansion ratio before it is inflated. Every refusal is a reason string for a Skipped item.
 */
import { sizeLabel } from './size.js';
import type { ExpandLimits } from './types.js';

/** Below this, a high ratio is normal (a 20-byte .gz of 2 KiB of text) and harmless. */
const RATIO_FLOOR = 1024 * 1024;

export class Budget {
  private entries = 0;
  private bytes = 0;
  /** Set once the entry cap is hit, so it is reported once. */
  entryCapHit = false;

  constructor(
    readonly limits: ExpandLimits,
    readonly maxObjectSize: number,
  ) {}

  /** Admit a member of `size` bytes (`packed` compressed), or say why not. Admitted ones are counted. */
  admit(size: number, packed?: number): string | undefined {
    if (this.entries >= this.limits.maxEntries) {
      this.entryCapHit = true;
      return `archive entry limit (${this.limits.maxEntries}) reached`;
    }
    if (size > this.maxObjectSize) return `larger than ${sizeLabel(this.maxObjectSize)} cap (${size} bytes)`;
    if (packed !== undefined && size > RATIO_FLOOR && size > packed * this.limits.maxRatio)
      return `expansion ratio ${Math.round(size / Math.max(packed, 1))}:1 above the ${this.limits.maxRatio}:1 cap (zip bomb?)`;
    if (this.bytes + size > this.limits.maxTotalBytes)
      return `archive total size cap (${sizeLabel(this.limits.maxTotalBytes)}) reached`;
    this.entries++;
    this.bytes += size;
    return undefined;
  }

  /** Output cap for inflating `packed` bytes of unknown expanded size (gzip). */
  maxOutput(packed: number): number {
    const ratio = Math.max(RATIO_FLOOR, packed * this.limits.maxRatio);
    return Math.max(0, Math.min(this.maxObjectSize, ratio, this.limits.maxTotalBytes - this.bytes));
  }

  /** Why a gzip stream of `packed` bytes overflowed maxOutput(packed). */
  overflowReason(packed: number): string {
    const ratio = Math.max(RATIO_FLOOR, packed * this.limits.maxRatio);
    const remaining = this.limits.maxTotalBytes - this.bytes;
    if (remaining <= Math.min(this.maxObjectSize, ratio))
      return `archive total size cap (${sizeLabel(this.limits.maxTotalBytes)}) reached`;
    if (ratio <= this.maxObjectSize)
      return `expansion ratio above the ${this.limits.maxRatio}:1 cap (gzip bomb?)`;
    return `decompresses beyond the ${sizeLabel(this.maxObjectSize)} cap`;
  }
}
