// A module behind lazyModule is loaded by the first property read, once, and not at all before it.
import { describe, expect, it } from 'vitest';
import { lazyModule } from '../../src/util/lazy-module.js';
import { scratchDir } from '../helpers.js';

const scratch = scratchDir('telltale-lazy');

describe('lazyModule', () => {
  it('loads the module on first use only', () => {
    const path = scratch.file(
      'counted.cjs',
      'globalThis.__ttLoads = (globalThis.__ttLoads ?? 0) + 1;\nexports.twice = (n) => 2 * n;\n',
    );
    const loads = () => (globalThis as { __ttLoads?: number }).__ttLoads ?? 0;
    const counted = lazyModule<{ twice(n: number): number }>(path);
    expect(loads()).toBe(0);
    expect(counted.twice(21)).toBe(42);
    expect('twice' in counted).toBe(true);
    expect(counted.twice(1)).toBe(2);
    expect(loads()).toBe(1);
  });

  it('can pick a part of the exports', () => {
    const path = scratch.file('nested.cjs', 'exports.inner = { answer: 42 };\n');
    expect(lazyModule<{ answer: number }>(path, (e: { inner: { answer: number } }) => e.inner).answer).toBe(
      42,
    );
  });
});
