/**
 * Writes examples/incident/ deterministically: a day of benign telemetry from a small ISP lab with a
 * Mirai TR-069 incident inside, plus near misses that must NOT fire. Run: npm run examples
 *
 * The incident (2026-05-21, UTC):
 *  - CPE gateway 10.20.0.17 (cpe-gw-17) talks to the ThreatFox C2 176.65.139.7:3778 (firewall CEF and a
 *    Defender export), resolves tvt.miraibotnet.su and dl.tvt.miraibotnet.su, drops a binary whose SHA256
 *    is one of seed 003's hashes, and probes TCP 7547/23 on many external hosts (Zeek conn.log).
 *  - files/mirai.arm7 holds the four strings of seed 000's Mirai_Generic_Arch rule.
 * Near misses: 176.65.139.70, miraibotnet.su.example.com, nottvt.miraibotnet.su.example, and
 * files/busybox-config.bin with 3 of the 4 strings.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONN_TYPES, connHeader } from './scenarios/zeek.js';

export const C2_IP = '176.65.139.7';
export const C2_PORT = 3778;
export const NEAR_MISS_IP = '176.65.139.70';
export const SEED_SHA256 = '7e84a8a74e93e567a6e7f781ab5764fe3bbc12c868b89e5c5c79924d5d5742e2';
export const MIRAI_STRINGS = [
  'Myname--is:',
  'busybox iptables -A INPUT -p tcp --destination-port 7547 -j DROP',
  'busybox iptables -A INPUT -p tcp --destination-port 5555 -j DROP',
  '/proc/net/tcp',
];

/** mulberry32: a tiny seeded PRNG so every run writes identical files. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(7547);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

const DAY = Date.UTC(2026, 4, 21);
const at = (seconds: number) => new Date(DAY + seconds * 1000);
const iso = (d: Date) => d.toISOString();
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function syslogTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const INTERNAL = ['10.20.0.11', '10.20.0.12', '10.20.0.15', '10.20.0.17', '10.20.0.21', '10.20.0.34'];
const HOSTS: Record<string, string> = {
  '10.20.0.11': 'noc-ws-01',
  '10.20.0.12': 'noc-ws-02',
  '10.20.0.15': 'acs-server',
  '10.20.0.17': 'cpe-gw-17',
  '10.20.0.21': 'backup-01',
  '10.20.0.34': 'dev-laptop-34',
};
const BENIGN_REMOTE = [
  '93.184.216.34',
  '151.101.1.69',
  '140.82.121.4',
  '104.16.132.229',
  '13.107.42.14',
  '176.65.139.70',
];
const BENIGN_DOMAINS = [
  'updates.example.org',
  'github.com',
  'www.wikipedia.org',
  'miraibotnet.su.example.com',
  'nottvt.miraibotnet.su.example',
  'ntp.ubuntu.com',
  'acs.isp-lab.example',
];

function cefLine(
  d: Date,
  fields: { act: string; src: string; spt: number; dst: string; dpt: number; name: string; sev: number },
): string {
  return (
    `<134>${syslogTime(d)} fw-edge-01 CEF:0|Acme|EdgeFirewall|7.2|${fields.act === 'deny' ? 100 : 200}|${fields.name}|${fields.sev}|` +
    `rt=${d.getTime()} src=${fields.src} spt=${fields.spt} dst=${fields.dst} dpt=${fields.dpt} proto=TCP act=${fields.act} ` +
    `dvchost=fw-edge-01 cs1Label=Rule cs1=${fields.act === 'deny' ? 'block-c2' : 'allow-out'}`
  );
}

function firewallLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 240; i++) {
    const d = at(i * 330 + int(0, 300));
    const src = pick(INTERNAL);
    const dst = pick(BENIGN_REMOTE);
    lines.push(
      cefLine(d, {
        act: 'accept',
        src,
        spt: int(32768, 60999),
        dst,
        dpt: pick([443, 80, 123, 53]),
        name: 'Connection allowed',
        sev: 3,
      }),
    );
  }
  // The incident: the gateway reaches the C2 (the firewall allowed the first, then blocked).
  lines.splice(
    120,
    0,
    cefLine(at(43_210), {
      act: 'accept',
      src: '10.20.0.17',
      spt: 41234,
      dst: C2_IP,
      dpt: C2_PORT,
      name: 'Connection allowed',
      sev: 3,
    }),
  );
  lines.splice(
    150,
    0,
    cefLine(at(52_000), {
      act: 'deny',
      src: '10.20.0.17',
      spt: 41877,
      dst: C2_IP,
      dpt: C2_PORT,
      name: 'Connection blocked',
      sev: 8,
    }),
  );
  // An inbound TR-069 probe from the C2 host on another port (still the indicator IP).
  lines.splice(
    160,
    0,
    cefLine(at(53_000), {
      act: 'deny',
      src: C2_IP,
      spt: 50111,
      dst: '10.20.0.17',
      dpt: 7547,
      name: 'Connection blocked',
      sev: 6,
    }),
  );
  return lines.join('\n') + '\n';
}

function deviceNetworkEvents(): object[] {
  const rows: object[] = [];
  for (let i = 0; i < 120; i++) {
    const local = pick(INTERNAL);
    const remote = pick(BENIGN_REMOTE);
    rows.push({
      Timestamp: iso(at(i * 700 + int(0, 600))),
      DeviceId: `dev-${HOSTS[local]}`,
      DeviceName: HOSTS[local],
      ActionType: 'ConnectionSuccess',
      LocalIP: local,
      LocalPort: int(32768, 60999),
      RemoteIP: remote,
      RemotePort: 443,
      Protocol: 'Tcp',
      InitiatingProcessFileName: pick(['chrome.exe', 'curl', 'apt', 'python3']),
      InitiatingProcessAccountName: 'svc',
      ReportId: 1000 + i,
    });
  }
  rows.splice(60, 0, {
    Timestamp: iso(at(43_211)),
    DeviceId: 'dev-cpe-gw-17',
    DeviceName: 'cpe-gw-17',
    ActionType: 'ConnectionSuccess',
    LocalIP: '10.20.0.17',
    LocalPort: 41234,
    RemoteIP: C2_IP,
    RemotePort: C2_PORT,
    Protocol: 'Tcp',
    InitiatingProcessFileName: 'mirai.arm7',
    InitiatingProcessAccountName: 'root',
    ReportId: 999,
  });
  return rows;
}

function deviceFileEvents(): string {
  const header = [
    'Timestamp',
    'DeviceId',
    'DeviceName',
    'ActionType',
    'FileName',
    'FolderPath',
    'SHA256',
    'SHA1',
    'MD5',
    'FileSize',
    'InitiatingProcessFileName',
    'ReportId',
  ];
  const lines = [header.join(',')];
  const hex = (n: number) => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  for (let i = 0; i < 40; i++) {
    const host = HOSTS[pick(INTERNAL)];
    const name = pick(['report.pdf', 'update.deb', 'notes.txt', 'backup.tar.gz', 'firmware-v2.bin']);
    lines.push(
      [
        iso(at(i * 2000 + int(0, 1500))),
        `dev-${host}`,
        host,
        'FileCreated',
        name,
        `/home/svc/${name}`,
        hex(64),
        hex(40),
        hex(32),
        int(1000, 900000),
        'bash',
        2000 + i,
      ].join(','),
    );
  }
  lines.splice(
    20,
    0,
    [
      iso(at(43_100)),
      'dev-cpe-gw-17',
      'cpe-gw-17',
      'FileCreated',
      'mirai.arm7',
      '/tmp/mirai.arm7',
      SEED_SHA256,
      '',
      '',
      98312,
      'wget',
      1999,
    ].join(','),
  );
  return lines.join('\n') + '\n';
}

function dnsEvents(): string {
  const rows: object[] = [];
  for (let i = 0; i < 150; i++) {
    const client = pick(INTERNAL);
    rows.push({
      TimeGenerated: iso(at(i * 570 + int(0, 500))),
      Computer: 'dns-resolver-01',
      ClientIP: client,
      Name: pick(BENIGN_DOMAINS),
      IPAddresses: pick(BENIGN_REMOTE),
      QueryType: 'A',
      SubType: 'LookupQuery',
      EventId: 256,
      ResultCode: 0,
    });
  }
  const incident = (t: number, name: string) => ({
    TimeGenerated: iso(at(t)),
    Computer: 'dns-resolver-01',
    ClientIP: '10.20.0.17',
    Name: name,
    IPAddresses: C2_IP,
    QueryType: 'A',
    SubType: 'LookupQuery',
    EventId: 256,
    ResultCode: 0,
  });
  rows.splice(75, 0, incident(43_050, 'tvt.miraibotnet.su'));
  rows.splice(90, 0, incident(43_090, 'dl.tvt.miraibotnet.su'));
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

function zeekConn(): string {
  const lines = connHeader(Object.keys(CONN_TYPES), '2026-05-21-00-00-00');
  const rows: { ts: number; line: string }[] = [];
  const uid = () =>
    'C' +
    Array.from(
      { length: 17 },
      () => 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789'[int(0, 56)],
    ).join('');
  for (let i = 0; i < 150; i++) {
    const ts = DAY / 1000 + i * 560 + int(0, 500);
    const src = pick(INTERNAL);
    rows.push({
      ts,
      line: [
        ts.toFixed(6),
        uid(),
        src,
        int(32768, 60999),
        pick(BENIGN_REMOTE),
        443,
        'tcp',
        'ssl',
        (random() * 5).toFixed(6),
        int(500, 5000),
        int(1000, 90000),
        'SF',
        0,
        'ShADadFf',
        int(5, 40),
        int(800, 9000),
        int(5, 80),
        int(2000, 95000),
      ].join('\t'),
    });
  }
  // The worm: cpe-gw-17 knocks on TCP 7547 and 23 of 40 external hosts within ten minutes.
  for (let i = 0; i < 40; i++) {
    const ts = DAY / 1000 + 43_300 + i * 12;
    const dst = `198.51.${100 + (i % 3)}.${int(1, 254)}`;
    rows.push({
      ts,
      line: [
        ts.toFixed(6),
        uid(),
        '10.20.0.17',
        int(32768, 60999),
        dst,
        i % 2 ? 23 : 7547,
        'tcp',
        '-',
        '-',
        '-',
        '-',
        'S0',
        0,
        'S',
        1,
        60,
        0,
        0,
      ].join('\t'),
    });
  }
  rows.sort((a, b) => a.ts - b.ts);
  return [...lines, ...rows.map((r) => r.line), '#close\t2026-05-22-00-00-00'].join('\n') + '\n';
}

/** An ELF-shaped blob: a real ELF32 ARM header, filler, and the given strings at fixed offsets. */
export function elfLike(strings: string[], size = 8192): Buffer {
  const buf = Buffer.alloc(size);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]).copy(buf, 0);
  buf.writeUInt16LE(2, 16); // ET_EXEC
  buf.writeUInt16LE(40, 18); // EM_ARM
  buf.writeUInt32LE(1, 20);
  for (let i = 64; i < size; i++) buf[i] = int(0, 255);
  let offset = 0x400;
  for (const s of strings) {
    Buffer.from(s + '\0', 'latin1').copy(buf, offset);
    offset += 0x200;
  }
  return buf;
}

export function generate(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  const write = (rel: string, data: string | Buffer) => {
    const path = join(outDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  };
  write('firewall/edge-fw.cef.log', firewallLog());
  write('defender/DeviceNetworkEvents.json', JSON.stringify(deviceNetworkEvents(), null, 1) + '\n');
  write('defender/DeviceFileEvents.csv', deviceFileEvents());
  write('dns/DnsEvents.ndjson', dnsEvents());
  write('zeek/conn.log', zeekConn());
  write('files/mirai.arm7', elfLike(MIRAI_STRINGS));
  write('files/busybox-config.bin', elfLike(MIRAI_STRINGS.slice(0, 3)));
  write(
    'README.md',
    '# Example incident (generated by examples/generate.ts; do not edit)\n\n' +
      'A day of benign telemetry from an ISP lab with a Mirai TR-069 incident on cpe-gw-17 (10.20.0.17) inside.\n' +
      'Run `npx telltale hunt examples/incident`. See the header of examples/generate.ts for what should fire and what must not.\n',
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(dirname(fileURLToPath(import.meta.url)), 'incident');
  generate(out);
  console.log(`wrote ${out}`);
}
