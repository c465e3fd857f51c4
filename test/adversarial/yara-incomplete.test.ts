// Issue 11 item 4: a YARA timeout (or an unreadable file) is visible in the summary and the exit status.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir, telltale } from '../helpers.js';

const tmp = scratchDir('adv-yara');
const slowRule = tmp.file(
  'slow.yar',
  // matches nothing, and takes quadratic time on a file with neither byte
  'rule Quadratic { condition: for any i in (0..filesize - 1) : ( for any j in (0..filesize - 1) : ( uint8(i) == 0xff and uint8(j) == 0xfe ) ) }',
);
const target = join(tmp.dir, 'target');
mkdirSync(target);
writeFileSync(join(target, 'big.bin'), Buffer.alloc(300_000));
writeFileSync(join(target, 'clean.txt'), 'nothing here');

describe('a YARA timeout is not "0 findings, exit 0"', () => {
  it('scan: the object is named with the reason, the summary warns, exit 3', () => {
    const r = telltale('scan', target, '--rules', slowRule, '--timeout', '1000');
    expect(r.stderr).toContain(`skipped ${join(target, 'big.bin')}: YARA scan timed out after 1000 ms`);
    expect(r.stderr).toMatch(/warning: incomplete: 1 input not read/);
    expect(r.status).toBe(3);
  }, 120_000);

  it('a file over --max-size is incomplete work too', () => {
    const r = telltale('scan', target, '--max-size', '1', '--no-expand');
    expect(r.status).toBe(0); // both files are under 1 MiB
    writeFileSync(join(target, 'huge.bin'), Buffer.alloc(2 * 1024 * 1024));
    const over = telltale('scan', target, '--max-size', '1');
    expect(over.stderr).toContain(`skipped ${join(target, 'huge.bin')}: larger than 1 MiB cap`);
    expect(over.status).toBe(3);
  }, 120_000);
});
