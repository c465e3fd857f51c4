/**
 * External variables as LOKI and THOR define them, so their rule sets run unchanged: `filename` (base
 * name), `filepath` (the folder part, for archive members the `outer!folder` part), `extension`
 * (lower case, with the dot: `.sh`) and `filetype` (from the magic bytes: ELF, EXE, ZIP, GZIP…).
 * Defined for every compile (empty by default) and set per object only when a rule mentions one.
 */
import type { Compiler } from './yarax.js';

export const EXTERNALS = ['filename', 'filepath', 'extension', 'filetype'] as const;

export function defineExternals(compiler: Compiler): void {
  for (const name of EXTERNALS) compiler.defineGlobal(name, '');
}

/** Whether any source mentions an external (a cheap word check: setting them costs a little per scan). */
export function usesExternals(texts: string[]): boolean {
  const re = new RegExp(`\\b(${EXTERNALS.join('|')})\\b`);
  return texts.some((t) => re.test(t));
}

const MAGIC: [string, number[], number][] = [
  ['ELF', [0x7f, 0x45, 0x4c, 0x46], 0],
  ['EXE', [0x4d, 0x5a], 0],
  ['ZIP', [0x50, 0x4b, 0x03, 0x04], 0],
  ['GZIP', [0x1f, 0x8b], 0],
  ['BZIP2', [0x42, 0x5a, 0x68], 0],
  ['XZ', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 0],
  ['7Z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 0],
  ['RAR', [0x52, 0x61, 0x72, 0x21], 0],
  ['PDF', [0x25, 0x50, 0x44, 0x46], 0],
  ['SQUASHFS', [0x68, 0x73, 0x71, 0x73], 0],
  ['SQUASHFS', [0x73, 0x71, 0x73, 0x68], 0],
  ['UIMAGE', [0x27, 0x05, 0x19, 0x56], 0],
  ['SCRIPT', [0x23, 0x21], 0],
  ['TAR', [0x75, 0x73, 0x74, 0x61, 0x72], 257],
];

export function fileType(data: Uint8Array): string {
  for (const [type, bytes, at] of MAGIC) if (bytes.every((b, i) => data[at + i] === b)) return type;
  return '';
}

export function externalValues(name: string, data: Uint8Array): Record<(typeof EXTERNALS)[number], string> {
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('!'));
  const filename = name.slice(cut + 1);
  const dot = filename.lastIndexOf('.');
  return {
    filename,
    filepath: cut > 0 ? name.slice(0, cut) : '',
    extension: dot > 0 ? filename.slice(dot).toLowerCase() : '',
    filetype: fileType(data),
  };
}
