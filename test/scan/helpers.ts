import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SEED_STRINGS = [
  'Myname--is:',
  'busybox iptables -A INPUT -p tcp --destination-port 7547 -j DROP',
  'busybox iptables -A INPUT -p tcp --destination-port 5555 -j DROP',
  '/proc/net/tcp',
];

/** A 4 KiB ELF-like blob: 0x7f 'ELF' header, zero padding, the given strings at the given offsets. */
export function elfWith(strings: { text: string; offset: number }[]): Buffer {
  const buf = Buffer.alloc(4096);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x01, 0x01, 0x01]).copy(buf, 0);
  for (const s of strings) buf.write(s.text, s.offset, 'latin1');
  return buf;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'telltale-scan-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
