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

/**
 * A minimal well-formed 32-bit little-endian ELF (one PT_LOAD segment covering the file), `size` bytes,
 * with the given strings at the given offsets: carving sizes it from its program header.
 */
export function realElf(size: number, strings: { text: string; offset: number }[] = []): Buffer {
  const buf = Buffer.alloc(size);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]).copy(buf, 0);
  buf.writeUInt16LE(2, 16); // ET_EXEC
  buf.writeUInt16LE(40, 18); // EM_ARM
  buf.writeUInt32LE(1, 20); // e_version
  buf.writeUInt32LE(52, 28); // e_phoff
  buf.writeUInt16LE(52, 40); // e_ehsize
  buf.writeUInt16LE(32, 42); // e_phentsize
  buf.writeUInt16LE(1, 44); // e_phnum
  buf.writeUInt32LE(1, 52); // PT_LOAD
  buf.writeUInt32LE(0, 56); // p_offset
  buf.writeUInt32LE(size, 68); // p_filesz
  for (const s of strings) buf.write(s.text, s.offset, 'latin1');
  return buf;
}

export const seedElf = (size = 4096): Buffer =>
  realElf(
    size,
    SEED_STRINGS.map((text, i) => ({ text, offset: 0x100 + 0x80 * i })),
  );
