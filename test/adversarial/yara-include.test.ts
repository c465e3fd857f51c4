// Issue 11 "Also": a relative YARA `include` failed with "operation not supported on this platform"; the
// native engine then resolved includes against the working directory, so `include "../../../etc/passwd"`
// read a file nobody named and echoed its first line in the error. Includes are refused, with file + line.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSources } from '../../src/scan/rules.js';
import { scratchDir, telltale } from '../helpers.js';

const tmp = scratchDir('adv-yara-include');
mkdirSync(join(tmp.dir, 'rules'));
const inner = tmp.file('rules/inner.yar', 'rule inner { strings: $a = "MIRAI" condition: $a }\n');
const main = tmp.file(
  'rules/main.yar',
  '// family rules\ninclude "inner.yar"\nrule outer { condition: inner }\n',
);
const evil = tmp.file(
  'rules/evil.yar',
  'include "../../../../../../../etc/passwd"\nrule x { condition: true }\n',
);
const sample = tmp.file('sample.bin', 'xx MIRAI xx\n');

describe('YARA include', () => {
  it('a rule file with an include is left out with its file, line and what to do instead', async () => {
    const { sources, errors } = await loadRuleSources([main, evil, inner], { bundled: false });
    expect(sources.map((s) => s.file)).toEqual([inner]);
    expect(errors).toEqual([
      {
        file: main,
        message: expect.stringMatching(/^line 2: include "inner.yar" is not supported.*--rules/),
      },
      {
        file: evil,
        message: expect.stringMatching(/^line 1: include "\.\.\/.*etc\/passwd" is not supported/),
      },
    ]);
  });

  it('telltale scan: the include never reads the file, the error names it, exit 2', () => {
    const r = telltale('scan', sample, '--rules', evil);
    expect(r.stderr).toMatch(/rule error .*evil\.yar: line 1: include .* is not supported/);
    expect(r.stderr).not.toMatch(/root:/);
    expect(r.status).toBe(2);
  });
});
