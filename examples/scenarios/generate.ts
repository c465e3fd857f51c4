/**
 * Writes the hunt-pack scenarios as Zeek conn.logs, deterministically, each with the findings it must
 * (and must not) produce - test/hunts/scenarios.test.ts asserts exactly these:
 *
 *  crawl-vs-random/   10.30.0.5 crawls 81.10.0.x on 7547 in small increasing steps; 10.30.0.6 scans
 *                     TCP 23 at random (Mirai proper). Sequential crawl: only 10.30.0.5. Worm
 *                     propagation: both.
 *  beacon-vs-browsing/ 10.30.1.7 calls 93.115.20.40:443 every 300 s ± 15% for 6 h; 10.30.1.8 browses five
 *                     sites at human, irregular times and syncs NTP every 64 s. Beaconing: only 10.30.1.7.
 *  spike-7547/        8 days of inbound traffic; TCP 7547 is quiet for 7 days (0-1 sources a day), then 80
 *                     sources on day 8. Port spike: 7547 only, on day 8.
 *  inbound-scanners/  two internet sources each probe 25 internal hosts on 7547 within 10 minutes: Shodan's
 *                     134.209.95.237 (on the MISP research-scanner lists) and 185.100.87.5. Inbound scan:
 *                     Shodan labelled informational, the other Medium.
 *
 * Run: npx tsx examples/scenarios/generate.ts [OUT_DIR]   (default: examples/scenarios/out)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connLog, ip, ipNumber, prng, type Conn } from './zeek.js';

const DAY0 = Date.UTC(2026, 4, 14) / 1000; // 2026-05-14: the spike scenario's first quiet day
const DAY = 86_400;

export function crawlVsRandom(): Conn[] {
  const random = prng(1);
  const conns: Conn[] = [];
  const start = DAY0 + 7 * DAY + 10 * 3600;
  let target = ipNumber('81.10.0.1');
  for (let i = 0; i < 60; i++) {
    conns.push({
      ts: start + i * 6,
      src: '10.30.0.5',
      sport: 40000 + i,
      dst: ip(target),
      dport: 7547,
      state: 'S0',
    });
    target += 1 + Math.floor(random() * 3); // steps of 1..3: dead hosts skipped
  }
  for (let i = 0; i < 60; i++) {
    const dst = ip(ipNumber('11.0.0.0') + Math.floor(random() * 0xc0000000)); // anywhere in 11.0.0.0 - 203.x
    conns.push({ ts: start + 3 + i * 6, src: '10.30.0.6', sport: 50000 + i, dst, dport: 23, state: 'S0' });
  }
  return conns;
}

export function beaconVsBrowsing(): Conn[] {
  const random = prng(2);
  const conns: Conn[] = [];
  const start = DAY0 + 7 * DAY + 8 * 3600;
  let t = start;
  for (let i = 0; i < 72; i++) {
    conns.push({
      ts: t,
      src: '10.30.1.7',
      sport: 41000 + i,
      dst: '93.115.20.40',
      dport: 443,
      origBytes: 220,
      respBytes: 140,
    });
    t += 300 * (0.85 + random() * 0.3);
  }
  const sites = ['151.101.1.69', '140.82.121.4', '104.16.132.229', '13.107.42.14', '142.250.74.46'];
  t = start;
  for (let i = 0; i < 150; i++) {
    t += -Math.log(1 - random()) * 140; // exponential think times: irregular, human
    conns.push({
      ts: t,
      src: '10.30.1.8',
      sport: 42000 + i,
      dst: sites[Math.floor(random() * sites.length)],
      dport: 443,
    });
  }
  for (let i = 0; i < 300; i++)
    conns.push({
      ts: start + i * 64,
      src: '10.30.1.8',
      sport: 123,
      dst: '91.189.89.199',
      dport: 123,
      proto: 'udp',
    });
  return conns;
}

export function spike7547(): Conn[] {
  const random = prng(3);
  const conns: Conn[] = [];
  const source = () => ip(ipNumber('45.0.0.0') + Math.floor(random() * 0x10000000));
  const inside = () => `10.40.${Math.floor(random() * 4)}.${1 + Math.floor(random() * 250)}`;
  for (let day = 0; day < 8; day++) {
    const base = DAY0 + day * DAY;
    for (let i = 0; i < 240; i++)
      conns.push({
        ts: base + random() * DAY,
        src: source(),
        sport: 30000 + i,
        dst: inside(),
        dport: [443, 80, 22, 23][i % 4],
        state: i % 4 === 3 ? 'S0' : 'SF',
      });
    const quiet = day < 7 ? Math.floor(random() * 2) : 80; // 0-1 sources a day, then the surge
    for (let i = 0; i < quiet; i++)
      conns.push({
        ts: base + random() * DAY,
        src: source(),
        sport: 60000 + i,
        dst: inside(),
        dport: 7547,
        state: 'S0',
      });
  }
  return conns;
}

export function inboundScanners(): Conn[] {
  const start = DAY0 + 7 * DAY + 3 * 3600;
  return ['134.209.95.237', '185.100.87.5'].flatMap((src, s) =>
    Array.from({ length: 25 }, (_, i) => ({
      ts: start + s * 7 + i * 20,
      src,
      sport: 51000 + i,
      dst: `10.50.0.${10 + i}`,
      dport: 7547,
      state: 'S0',
    })),
  );
}

export const SCENARIOS: Record<string, () => Conn[]> = {
  'crawl-vs-random': crawlVsRandom,
  'beacon-vs-browsing': beaconVsBrowsing,
  'spike-7547': spike7547,
  'inbound-scanners': inboundScanners,
};

export function generateScenarios(outDir: string): string[] {
  return Object.entries(SCENARIOS).map(([name, make]) => {
    const file = join(outDir, name, 'conn.log');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, connLog(make()));
    return file;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'out'));
  for (const file of generateScenarios(out)) console.log(`wrote ${file}`);
}
