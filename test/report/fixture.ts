/** Shared by the report tests: build a report with the real pipeline, hostile logs, the system browser. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hunt, type HuntOptions } from '../../src/index.js';
import { reportRun, type ReportFormat } from '../../src/report/index.js';
import { repoRoot } from '../helpers.js';

export const INCIDENT_NOW = new Date('2026-05-22T00:00:00Z');

/** `telltale report PATHS --out OUT` through the library; returns the hunt result and the files written. */
export async function buildReport(
  paths: string[],
  out: string,
  options: HuntOptions = {},
  format?: ReportFormat,
) {
  process.chdir(repoRoot);
  const run = reportRun({ bundled: true, ...options }, { format });
  const result = await hunt(paths, run.options);
  return { result, files: run.write(out) };
}

export const HOSTILE_HOST = '<img src=x onerror=alert(1)>';
export const HOSTILE_SCRIPT = '<script>alert(2)</script>';
export const TERMINAL_ESCAPE = '\u001b[31mred\u001b]0;pwned\u0007';

/**
 * Logs an attacker shapes: a device whose DeviceName is an HTML payload contacting the seed C2, a
 * DNS query for the payload domain from a resolver named with a script tag, a URL with terminal escapes.
 */
export function writeHostileLogs(dir: string): string {
  const events = [
    {
      Timestamp: '2026-05-21T12:00:00.000Z',
      DeviceId: 'dev-x',
      DeviceName: HOSTILE_HOST,
      ActionType: 'ConnectionSuccess',
      LocalIP: '10.20.0.99',
      LocalPort: 41000,
      RemoteIP: '176.65.139.7',
      RemotePort: 3778,
      RemoteUrl: `http://tvt.miraibotnet.su/${TERMINAL_ESCAPE}`,
      Protocol: 'Tcp',
      InitiatingProcessFileName: HOSTILE_SCRIPT,
      ReportId: 1,
    },
  ];
  writeFileSync(join(dir, 'DeviceNetworkEvents.json'), JSON.stringify(events, null, 1));
  const dns = {
    TimeGenerated: '2026-05-21T11:59:00.000Z',
    Computer: HOSTILE_SCRIPT,
    ClientIP: '10.20.0.99',
    Name: 'tvt.miraibotnet.su',
    IPAddresses: '176.65.139.7',
    QueryType: 'A',
    SubType: 'LookupQuery',
    EventId: 256,
    ResultCode: 0,
  };
  writeFileSync(join(dir, 'DnsEvents.ndjson'), `${JSON.stringify(dns)}\n`);
  return dir;
}

/** The system's Chromium (Debian's `chromium` package), or null: nothing here downloads a browser. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

/** Flags for a quiet, offline, throwaway headless browser. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
