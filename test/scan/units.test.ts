import { describe, expect, it } from 'vitest';
import { escapeBytes } from '../../src/scan/format.js';
import { sizeLabel } from '../../src/scan/file.js';
import { countRules } from '../../src/scan/rulecount.js';

describe('countRules', () => {
  it('counts rule keywords at top level only', () => {
    const src = `
import "elf"
// rule Commented { condition: true }
/* rule Block {
   condition: true } */
private rule A { strings: $a = "rule Fake { }" $b = /rule [^}]+}/ condition: $a or $b }
global rule B { condition: true }
rule C : tag { meta: x = "}" strings: $h = { 4D 5A [2-4] ?? } condition: $h and filesize / 2 > 1 }
rule D{condition:true}`;
    expect(countRules(src)).toBe(4);
  });
});

describe('escapeBytes', () => {
  it('keeps printable ASCII, escapes the rest and the backslash, caps at 64 bytes', () => {
    expect(escapeBytes(Uint8Array.from([0x41, 0x00, 0x5c, 0x7f, 0x20, 0xff]))).toBe('A\\x00\\x5c\\x7f \\xff');
    expect(escapeBytes(new Uint8Array(100).fill(0x61))).toBe('a'.repeat(64));
    expect(escapeBytes(new TextEncoder().encode('xxhello'), 2, 5)).toBe('hello');
  });
});

describe('sizeLabel', () => {
  it('prints whole MiB as MiB', () => {
    expect(sizeLabel(256 * 1024 * 1024)).toBe('256 MiB');
    expect(sizeLabel(1000)).toBe('1000 bytes');
  });
});
