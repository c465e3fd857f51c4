/** Optional addons: a missing one and a stale build (another interface version) both count as absent. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { optionalAddon } from '../../src/util/optional-addon.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-addon-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const module = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('optionalAddon', () => {
  it('gives the module when it loads and speaks the wanted interface', () => {
    const path = module('current.cjs', 'module.exports = { version: 2, answer: 42 };');
    expect(optionalAddon<{ answer: number }>(path, 2)()?.answer).toBe(42);
  });

  it('gives undefined where the addon did not build', () => {
    expect(optionalAddon(join(dir, 'never-built.cjs'))()).toBeUndefined();
  });

  it('counts a stale build as missing, with one notice naming npm rebuild', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const path = module('stale.cjs', 'module.exports = { answer: 42 };');
      const load = optionalAddon(path, 2);
      expect(load()).toBeUndefined();
      expect(load()).toBeUndefined();
      expect(stderr).toHaveBeenCalledTimes(1);
      expect(String(stderr.mock.calls[0][0])).toMatch(/stale build \(interface 1, want 2\).*npm rebuild/);
    } finally {
      stderr.mockRestore();
    }
  });
});
