/**
 * Persistent datasets: a file is recognised by its content, never by its name. Its identity is the
 * SHA-256 of its bytes (decompressed: `conn.log` rotated to `conn.00:00:00-01:00:00.log.gz` is the same
 * content). Against the files a store already holds it is either the same content (nothing to load), a
 * grown copy of one (that file's bytes, ending at a newline, are its prefix: Zeek's live conn.log; only
 * the lines after them are loaded), or new. One pass over the bytes answers all three: at each earlier
 * file's length the running hash is copied and compared.
 */
import { createHash } from 'node:crypto';
import type { PriorFile } from '../store/native.js';
import { openInput } from '../util/lines.js';

export type { PriorFile };

export interface Identity {
  hash: string;
  bytes: number;
  /** A file with the same content. */
  same?: PriorFile;
  /** The longest earlier file that is a prefix of this one. */
  grown?: PriorFile;
}

export async function identify(
  path: string,
  options: { gzip?: boolean },
  priors: readonly PriorFile[],
): Promise<Identity> {
  const hash = createHash('sha256');
  const pending = [...priors].filter((p) => p.bytes > 0).sort((a, b) => a.bytes - b.bytes);
  let next = 0;
  let pos = 0;
  let lastByte = -1;
  let grown: PriorFile | undefined;
  for await (const data of openInput(path, { gzip: options.gzip })) {
    let buf = data as Buffer;
    while (next < pending.length && pos + buf.length >= pending[next].bytes) {
      const prior = pending[next++];
      const cut = prior.bytes - pos;
      if (cut > 0) {
        hash.update(buf.subarray(0, cut));
        lastByte = buf[cut - 1];
        pos += cut;
        buf = buf.subarray(cut);
      }
      // a prefix counts only if it ends a line (else the earlier load cut a line in two)
      if (pos === prior.bytes && lastByte === 10 && hash.copy().digest('hex') === prior.hash) grown = prior;
    }
    if (buf.length > 0) {
      hash.update(buf);
      lastByte = buf[buf.length - 1];
      pos += buf.length;
    }
  }
  const digest = hash.digest('hex');
  const same = priors.find((p) => p.hash === digest && p.bytes === pos);
  return { hash: digest, bytes: pos, same, grown: same ? undefined : grown };
}
