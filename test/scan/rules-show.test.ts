import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeRules } from '../../src/scan/index.js';
import { bundledRulesDir } from '../../src/scan/rules.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

it("describes seed 000's rule like the seed does, and reports YARA-X's performance warnings", async () => {
  writeFileSync(join(tmp.dir, 'slow.yar'), 'rule Slow : perf { strings: $a = { 00 } condition: $a }');
  const { files, loadErrors } = await describeRules([bundledRulesDir, tmp.dir]);
  expect(loadErrors).toEqual([]);
  const [seed, slow] = files;
  expect(seed.rules).toHaveLength(1);
  const [rule] = seed.rules;
  expect(rule).toMatchObject({ name: 'Mirai_Generic_Arch', tags: ['MALW'], line: 1 });
  expect(rule.patterns.map((p) => [p.identifier, p.kind])).toEqual([
    ['$miname', 'text'],
    ['$iptables1', 'text'],
    ['$iptables2', 'text'],
    ['$procnet', 'text'],
  ]);
  expect(rule.meta.find((m) => m.key === 'author')?.value).toBe('Felipe Molina / @felmoltor');
  expect(rule.condition).toBe('$miname and $iptables1 and $iptables2 and $procnet');
  expect(seed.warnings).toEqual([]);
  expect(slow.warnings).toHaveLength(1);
  expect(slow.warnings[0]).toMatch(/slow_pattern[\s\S]*line:1:/);
});
