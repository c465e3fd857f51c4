/**
 * The answers must not depend on the machine's time zone: zone-less log times are UTC (Zeek epoch, a
 * CEF `rt` without zone, a Sentinel export's `Jan 01 2024 10:00:00` or RFC 2822 text). The CLI runs in
 * child processes with TZ set, since a test process cannot change its own zone.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, scratchDir } from '../helpers.js';

const TEN_AM = '2024-01-01T10:00:00.000Z';

function writeLogs(): string {
  const { dir, file } = scratchDir('telltale-tz');
  file(
    'DeviceNetworkEvents.csv',
    [
      'TimeGenerated,DeviceName,RemoteIP,RemotePort',
      '2024-01-01 10:00:00,iso-space,1.2.3.4,23',
      '2024-01-01T10:00:00,iso-t,1.2.3.4,23',
      '"1/1/2024, 10:00:00 AM",portal,1.2.3.4,23',
      'Jan 01 2024 10:00:00,month-name,1.2.3.4,23',
      '"Mon, 01 Jan 2024 10:00:00",rfc2822,1.2.3.4,23',
      '',
    ].join('\n'),
  );
  file(
    'fw.cef',
    'Jan 01 10:00:00 fw CEF:0|Vendor|FW|1|100|deny|5|rt=Jan 01 2024 10:00:00 src=10.0.0.1 dst=1.2.3.4 dpt=23\n' +
      'Jan 01 10:00:00 fw CEF:0|Vendor|FW|1|100|deny|5|rt=1704103200000 src=10.0.0.2 dst=1.2.3.4 dpt=23\n',
  );
  file(
    'conn.log',
    [
      '#separator \\x09',
      '#path\tconn',
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto',
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum',
      '1704103200.000000\tC1\t10.0.0.3\t40000\t1.2.3.4\t23\ttcp',
      '',
    ].join('\n'),
  );
  return dir;
}

function times(dir: string, tz: string): string[] {
  const query = 'union DeviceNetworkEvents, CommonSecurityLog | project TimeGenerated';
  const run = spawnSync(
    process.execPath,
    [resolve(repoRoot, 'bin/telltale.js'), 'kql', query, dir, '--format', 'json'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        TZ: tz,
        TELLTALE_INTEL_DB: resolve(repoRoot, '.tmp/no-intel-store.duckdb'),
      },
    },
  );
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/read (\d+) = ingested \1 \+ rejected 0/);
  return (JSON.parse(run.stdout) as { TimeGenerated: string }[]).map((r) => r.TimeGenerated);
}

describe('log times do not depend on the machine time zone', () => {
  const dir = writeLogs();
  for (const tz of ['America/New_York', 'Asia/Kolkata']) {
    it(`reads zone-less times as UTC under TZ=${tz}`, () => {
      // 5 export spellings, 2 CEF lines, and the Zeek conn line in both tables
      expect(times(dir, tz)).toEqual(Array(5 + 2 + 2).fill(TEN_AM));
    }, 60_000);
  }
});
