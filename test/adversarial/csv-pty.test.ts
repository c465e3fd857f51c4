// Issue 11 item 9: one CSV writer for every command; OWASP CSV-injection rules; no raw terminal escape
// reaches a terminal. The commands run on a pseudo-terminal (util-linux `script`), as an analyst would.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/util/csv.js';
import { repoRoot, scratchDir } from '../helpers.js';

const tmp = scratchDir('adv-csv');
const ESC = '\u001b';
const hostileHost = "-2+3+cmd|' /C calc'!A0";
// CEF escapes: a backslash-less msg with an OSC title change, a screen clear and a cursor move
const cef = tmp.file(
  'fw.cef',
  `CEF:0|Acme|EdgeFirewall|7.2|200|Connection allowed|3|rt=1779321783000 src=10.20.0.21 dst=176.65.139.7 dpt=23 dvchost=${hostileHost} msg=${ESC}]0;pwned${'\u0007'}${ESC}[2J${ESC}[1;1Hall clear cs1Label=Rule cs1=@SUM(A1:A9) cs2Label=Tab cs2=\tcmd\n`,
);
const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs the bin on a pty and returns what the terminal received. */
function onPty(cwd: string, ...args: string[]): string {
  const cmd = [process.execPath, resolve(repoRoot, 'bin/telltale.js'), ...args]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      TELLTALE_INTEL_DB: resolve(repoRoot, '.tmp/no-intel-store.duckdb'),
      TERM: 'xterm',
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  return r.stdout;
}

describe('csv cells', () => {
  it('neutralise every OWASP formula prefix, keep numbers, drop control characters', () => {
    expect(csvCell(hostileHost)).toBe(`'${hostileHost}`);
    expect(csvCell('-1+1')).toBe(`'-1+1`);
    expect(csvCell('+1 555')).toBe(`'+1 555`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('\tcmd')).toBe(`"'\tcmd"`);
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(`${ESC}[31mred${ESC}[0m\u0007\u009b`)).toBe('red');
  });
});

describe.skipIf(!hasScript)('on a terminal', () => {
  const check = (out: string) => {
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\u0007');
  };

  it('kql --format csv', () => {
    const out = onPty(
      repoRoot,
      'kql',
      'CommonSecurityLog | project DeviceName, Message, DeviceCustomString1, DeviceCustomString2',
      cef,
      '--format',
      'csv',
    );
    check(out);
    expect(out).toContain(`'${hostileHost}`);
    expect(out).toContain("'@SUM(A1:A9)");
    expect(out).toContain('all clear');
  }, 120_000);

  it('hunt --format csv: entities and source columns', () => {
    const hunts = join(tmp.dir, 'hunts');
    mkdirSync(hunts);
    writeFileSync(
      join(hunts, 'show.yaml'),
      [
        'id: 0b9d3c52-2222-4222-8333-944455556666',
        'name: Every firewall row',
        'description: one finding per host',
        'requiredDataConnectors: []',
        'tactics: []',
        'relevantTechniques: []',
        'query: |',
        '  CommonSecurityLog | project TimeGenerated, DeviceName, Message',
        'entityMappings:',
        '  - entityType: Host',
        '    fieldMappings:',
        '      - identifier: HostName',
        '        columnName: DeviceName',
        'version: 1.0.0',
        'kind: Hunting',
      ].join('\n'),
    );
    // a log file whose name is a formula: the source column (`@evil.cef:1`) must not run
    writeFileSync(join(tmp.dir, '@evil.cef'), readFileSync(cef));
    const out = onPty(tmp.dir, 'hunt', '@evil.cef', '--hunts', hunts, '--no-intel-db', '--format', 'csv');
    check(out);
    expect(out).toContain(`,Host:${hostileHost},'@evil.cef:1,`);
    expect(out).toContain('all clear');
  }, 120_000);
});
