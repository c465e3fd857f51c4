// Issue 11 "Also": a relative YARA `include` failed with "operation not supported on this platform"; the
// native engine resolved includes against the working directory, so `include "../../../etc/passwd"` read
// a file nobody named and echoed its first line in the error. Includes now resolve against the including
// file's folder, confined to the rule folder the user named; cycles, depth and escapes are rule errors
// naming the file and line; both engines compile the same spliced source.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_INCLUDE_DEPTH } from '../../src/scan/includes.js';
import { loadNative } from '../../src/scan/native.js';
import { loadRuleSources } from '../../src/scan/rules.js';
import { scanPaths } from '../../src/scan/scanner.js';
import { scratchDir, telltale } from '../helpers.js';

const tmp = scratchDir('adv-yara-include');
mkdirSync(join(tmp.dir, 'good/family'), { recursive: true });
mkdirSync(join(tmp.dir, 'rules'));
mkdirSync(join(tmp.dir, 'rules/deep'));
mkdirSync(join(tmp.dir, 'rules/inc'));
mkdirSync(join(tmp.dir, 'outside'));
tmp.file('good/common.yar', 'rule inner { strings: $a = "MIRAI" condition: $a }\n');
tmp.file('good/family/strings.yar', '// shared\ninclude "../common.yar"\n');
const main = tmp.file(
  'good/family/main.yar',
  '// family rules\ninclude "strings.yar"\nrule outer { condition: inner }\n',
);
const secret = tmp.file('outside/secret.yar', 'rule secret { condition: true }\n');
const escape = tmp.file('rules/escape.yar', 'include "../outside/secret.yar"\nrule x { condition: true }\n');
const passwd = tmp.file(
  'rules/passwd.yar',
  'include "../../../../../../../etc/passwd"\nrule x { condition: true }\n',
);
symlinkSync(secret, join(tmp.dir, 'rules/link.yar'));
const viaLink = tmp.file('rules/via-link.yar', 'include "link.yar"\nrule y { condition: true }\n');
const cycleA = tmp.file('rules/cycle-a.yar', 'include "cycle-b.yar"\nrule a { condition: true }\n');
tmp.file('rules/cycle-b.yar', '\ninclude "cycle-a.yar"\nrule b { condition: true }\n');
const missing = tmp.file('rules/missing.yar', 'rule m { condition: true }\n\ninclude "nope.yar"\n');
// a chain one file deeper than allowed: deep-0 includes deep-1 … includes deep-N
for (let i = 0; i <= MAX_INCLUDE_DEPTH + 1; i++)
  tmp.file(
    `rules/deep/d${i}.yar`,
    i <= MAX_INCLUDE_DEPTH ? `include "d${i + 1}.yar"\n` : 'rule deep { condition: true }\n',
  );
const deep = join(tmp.dir, 'rules/deep/d0.yar');
const broken = tmp.file('rules/broken.yar', 'rule fine { condition: true }\n');
tmp.file('rules/inc/bad.yar', 'rule bad {\n  condition:\n    nope\n}\n');
const usesBroken = tmp.file('rules/inc/uses.yar', '// first\n// second\ninclude "bad.yar"\n');
const sample = tmp.file('sample.bin', 'xx MIRAI xx\n');

const nativeLoads = !('reason' in loadNative());

describe('YARA include', () => {
  it('resolves against the including file, nested, inside the --rules folder', async () => {
    const { sources, errors } = await loadRuleSources([join(tmp.dir, 'good')], {
      bundled: false,
    });
    expect(errors).toEqual([]);
    const spliced = sources.find((s) => s.file === main)!;
    expect(spliced.text).toContain('rule inner');
    expect(spliced.text).toContain('rule outer');
    expect(spliced.text).not.toMatch(/\binclude\b/);
    // a file given alone confines its includes to its own folder: ../common.yar is refused
    const alone = await loadRuleSources([main], { bundled: false });
    expect(alone.sources).toEqual([]);
    expect(alone.errors[0].message).toMatch(/include "\.\.\/common\.yar": outside the rule folder/);
  });

  for (const engine of ['wasm', 'native'] as const)
    it.runIf(engine === 'wasm' || nativeLoads)(
      `the ${engine} engine matches the included rule and the one that uses it`,
      async () => {
        const report = await scanPaths([sample], {
          rules: [join(tmp.dir, 'good')],
          bundledRules: false,
          engine,
          workers: 1,
        });
        expect(report.ruleErrors).toEqual([]);
        expect([...new Set(report.files[0].matches.map((m) => m.rule))].sort()).toEqual(['inner', 'outer']);
      },
    );

  it('an include out of the rule folder, to /etc/passwd or through a link is refused with file + line', async () => {
    const dir = join(tmp.dir, 'rules');
    const { errors } = await loadRuleSources([dir], { bundled: false });
    const byFile = Object.fromEntries(errors.map((e) => [e.file, e.message]));
    expect(byFile[escape]).toMatch(/^line 1: include "\.\.\/outside\/secret\.yar": outside the rule folder/);
    expect(byFile[passwd]).toMatch(/^line 1: include ".*etc\/passwd": (outside the rule folder|not found)/);
    expect(byFile[viaLink]).toMatch(/^line 1: include "link\.yar": outside the rule folder/);
    expect(byFile[missing]).toMatch(/^line 3: include "nope\.yar": not found/);
    expect(byFile[cycleA]).toMatch(
      /cycle-b\.yar: line 2: include "cycle-a\.yar": include cycle \(cycle-a\.yar → cycle-b\.yar → cycle-a\.yar\)/,
    );
    expect(byFile[deep]).toMatch(new RegExp(`nested deeper than ${MAX_INCLUDE_DEPTH} files`));
    expect(errors.map((e) => e.message).join('\n')).not.toMatch(/root:/);
    // the rest of the folder still loads
    const { sources } = await loadRuleSources([dir], { bundled: false });
    expect(sources.map((s) => s.file)).toContain(broken);
  });

  it('a compile error inside an included file names that file and its own line', async () => {
    const { sources } = await loadRuleSources([usesBroken], { bundled: false });
    const report = await scanPaths([sample], {
      rules: [usesBroken],
      bundledRules: false,
      engine: 'wasm',
      workers: 1,
    });
    expect(sources).toHaveLength(1);
    expect(report.ruleErrors[0].file).toBe(usesBroken);
    expect(report.ruleErrors[0].message).toContain(`${join(tmp.dir, 'rules/inc/bad.yar')}:3:`);
  });

  it('telltale scan: an include of /etc/passwd never reads it, the error names it, exit 2', () => {
    const r = telltale('scan', sample, '--rules', passwd);
    expect(r.stderr).toMatch(/rule error .*passwd\.yar: line 1: include ".*etc\/passwd"/);
    expect(r.stderr).not.toMatch(/root:/);
    expect(r.status).toBe(2);
  });
});
