/**
 * Engine choice: TELLTALE_YARA_ENGINE / ScanOptions.engine, and the fallback when the native addon
 * cannot load. The same rules through both builds give the same matches (offsets, namespaces, bytes).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseEngine, compileWith } from '../../src/scan/engines.js';
import { toRuleMatches } from '../../src/scan/format.js';
import { loadNative } from '../../src/scan/native.js';

const native = loadNative();
const nativeLoads = !('reason' in native);

afterEach(() => vi.unstubAllEnvs());

describe('chooseEngine', () => {
  it('wasm when forced, by option or by TELLTALE_YARA_ENGINE', () => {
    expect(chooseEngine('wasm')).toBe('wasm');
    vi.stubEnv('TELLTALE_YARA_ENGINE', 'wasm');
    expect(chooseEngine()).toBe('wasm');
  });

  it('rejects an unknown TELLTALE_YARA_ENGINE value', () => {
    vi.stubEnv('TELLTALE_YARA_ENGINE', 'fast');
    expect(() => chooseEngine()).toThrow(/TELLTALE_YARA_ENGINE must be native, wasm or auto/);
  });

  it.runIf(nativeLoads)('auto and native pick the native addon where it loads', () => {
    vi.stubEnv('TELLTALE_YARA_ENGINE', 'auto');
    expect(chooseEngine()).toBe('native');
    expect(chooseEngine('native')).toBe('native');
  });

  it.runIf(!nativeLoads)('without the addon: native is an error naming why, auto falls back to wasm', () => {
    expect(() => chooseEngine('native')).toThrow(/native YARA-X engine requested but .*did not load/);
    expect(chooseEngine('auto')).toBe('wasm');
  });
});

describe.runIf(nativeLoads)('native and WASM builds agree', () => {
  it('on namespaces, offsets and lengths of binary matches, tags and meta', () => {
    const sources = [
      {
        file: 'a.yar',
        namespace: 'a',
        text: 'rule Bin : t1 { meta: n = 3 strings: $x = { 00 FF ?? 01 } condition: #x == 2 }',
      },
      {
        file: 'b.yar',
        namespace: 'b',
        text: 'rule Bin { strings: $w = "ab" wide $r = /c[\\x80-\\xff]d/ condition: any of them }',
      },
    ];
    const data = Buffer.alloc(300);
    data.set([0, 0xff, 0x7f, 1], 10);
    data.set([0, 0xff, 0x80, 1], 200);
    data.set([0x61, 0, 0x62, 0], 40);
    data.set([0x63, 0x99, 0x64], 250);
    const results = (['native', 'wasm'] as const).map((engine) => {
      const { scanner, errors } = compileWith(engine, sources);
      expect(errors).toEqual([]);
      try {
        return toRuleMatches({ matches: scanner.scan(data) }, data);
      } finally {
        scanner.free();
      }
    });
    expect(results[0]).toEqual(results[1]);
    const summary = results[0].map((m) => [
      m.namespace,
      m.tags,
      m.meta,
      m.strings.map((x) => [x.offset, x.data]),
    ]);
    expect(summary).toEqual([
      [
        'a',
        ['t1'],
        { n: 3 },
        [
          [10, '\\x00\\xff\\x7f\\x01'],
          [200, '\\x00\\xff\\x80\\x01'],
        ],
      ],
      [
        'b',
        [],
        {},
        [
          [40, 'a\\x00b\\x00'],
          [250, 'c\\x99d'],
        ],
      ],
    ]);
  });
});
