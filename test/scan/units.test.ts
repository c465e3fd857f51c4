import { describe, expect, it } from 'vitest';
import { escapeBytes } from '../../src/scan/format.js';
import { sizeLabel } from '../../src/scan/size.js';
import { describePatterns, outline } from '../../src/scan/outline.js';
import { dispatchOrder } from '../../src/scan/pool.js';

describe('outline', () => {
  it('finds rules at top level only', () => {
    const src = `
import "elf"
// rule Commented { condition: true }
/* rule Block {
   condition: true } */
private rule A { strings: $a = "rule Fake { }" $b = /rule [^}]+}/ condition: $a or $b }
global rule B { condition: true }
rule C : tag { meta: x = "}" strings: $h = { 4D 5A [2-4] ?? } condition: $h and filesize / 2 > 1 }
rule D{condition:true}`;
    const o = outline(src);
    expect(o.imports).toEqual(['elf']);
    expect(o.rules.map((r) => [r.name, r.modifiers, r.tags])).toEqual([
      ['A', ['private'], []],
      ['B', ['global'], []],
      ['C', [], ['tag']],
      ['D', [], []],
    ]);
    const [a, , c] = o.rules;
    expect(a.patterns.map((p) => [p.identifier, p.kind])).toEqual([
      ['$a', 'text'],
      ['$b', 'regex'],
    ]);
    expect(c.meta).toEqual([{ key: 'x', value: '}' }]);
    expect(c.patterns).toEqual([
      { identifier: '$h', kind: 'hex', value: '{ 4D 5A [2-4] ?? }', modifiers: [] },
    ]);
    expect(c.condition).toBe('$h and filesize / 2 > 1');
  });

  it('keeps modifiers with their arguments and describes patterns like seed 000', () => {
    const o = outline(
      'rule X { strings: $a = "a" xor(1-3) wide $b = "b" base64("!@#") condition: any of them }',
    );
    expect(o.rules[0].patterns.map((p) => p.modifiers)).toEqual([['xor(1-3)', 'wide'], ['base64("!@#")']]);
    expect(describePatterns(o.rules[0].patterns)).toBe(
      'This rule contains 2 string patterns in its detection logic (2 text).',
    );
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

describe('dispatchOrder', () => {
  it('hands out jobs above the 4 MiB window first, largest first, then the rest in walk order', () => {
    const MiB = 1024 * 1024;
    const sizes = Float64Array.from([10, 5 * MiB, 4 * MiB, 300 * MiB, 0, 5 * MiB, 20]);
    expect(dispatchOrder(sizes)).toEqual([3, 1, 5, 0, 2, 4, 6]);
  });
});
