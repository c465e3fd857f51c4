/** File digests, computed over the same buffer the scanner reads (one read per file). */
import { createHash } from 'node:crypto';

export interface Digests {
  md5: string;
  sha1: string;
  sha256: string;
}

export function digests(data: Uint8Array): Digests {
  return {
    md5: createHash('md5').update(data).digest('hex'),
    sha1: createHash('sha1').update(data).digest('hex'),
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}
