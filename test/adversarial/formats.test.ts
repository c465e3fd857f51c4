// Issue 11 item 2: logs that looked like binaries were only YARA-scanned. Formats are detected from the
// content over a sample of lines, whatever the name (rotated .1.gz), header or first line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/index.js';
import { scanPaths } from '../../src/scan/scanner.js';
import { zeekConnHeader } from '../../src/telemetry/detect.js';
import { scratchDir } from '../helpers.js';
import { ingestOne } from './helpers.js';

const tmp = scratchDir('adv-formats');

const eve = (i: number, extra = ''): string =>
  `{"timestamp":"2026-05-20T10:00:${String(i % 60).padStart(2, '0')}.000000+0000","flow_id":${1000 + i},"event_type":"flow","src_ip":"192.168.1.${(i % 200) + 2}","src_port":${40000 + i},"dest_ip":"176.65.139.7","dest_port":23,"proto":"TCP"${extra},"flow":{"pkts_toserver":1,"pkts_toclient":0,"bytes_toserver":60,"bytes_toclient":0,"start":"2026-05-20T10:00:00.000000+0000","end":"2026-05-20T10:00:01.000000+0000","age":1,"state":"new","reason":"timeout","alerted":false}}`;
const eveLines = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => eve(from + i));

const ZEEK_HEADER = zeekConnHeader();
const zeekRows = (n: number): string[] =>
  Array.from(
    { length: n },
    (_, i) =>
      `1779321783.${String(100000 + i)}\tCa${String(i).padStart(10, 'x')}\t10.20.0.${(i % 200) + 2}\t${40000 + i}\t203.0.113.${(i % 250) + 1}\t23\ttcp\t-\t-\t-\t-\tS0\tT\tF\t0\tS\t1\t60\t0\t0\t-`,
  );
const CEF = (i: number): string =>
  `<134>May 20 10:00:${String(i % 60).padStart(2, '0')} fw01 CEF:0|Acme|EdgeFirewall|7.2|200|Connection allowed|3|rt=1779321783000 src=10.20.0.${i + 2} spt=34892 dst=140.82.121.4 dpt=123 proto=TCP act=accept`;

describe('formats from content, not from the name', () => {
  it('rotated names: eve.json.1.gz, conn.log.1.gz, syslog.2.gz are read as logs', async () => {
    const eveGz = join(tmp.dir, 'eve.json.1.gz');
    writeFileSync(eveGz, gzipSync(eveLines(5).join('\n') + '\n'));
    expect(await ingestOne(eveGz)).toMatchObject({ format: 'suricata-eve', ingested: 5 });

    const connGz = join(tmp.dir, 'conn.log.1.gz');
    writeFileSync(
      connGz,
      gzipSync([...ZEEK_HEADER, ...zeekRows(4), '#close\t2026-05-20-11-00-00'].join('\n')),
    );
    expect(await ingestOne(connGz)).toMatchObject({ format: 'zeek-tsv', ingested: 4 });

    const syslogGz = join(tmp.dir, 'syslog.2.gz');
    writeFileSync(syslogGz, gzipSync([0, 1, 2].map(CEF).join('\n') + '\n'));
    const cef = await ingestOne(syslogGz);
    expect(cef).toMatchObject({ format: 'cef', ingested: 3 });
    expect(cef.detected).toMatch(/^gzip: CEF lines: all 3 sampled lines/);
  });

  it('a Zeek conn.log without its header lines is read with the default conn fields', async () => {
    const bare = tmp.file('conn-tail.log', zeekRows(6).join('\n') + '\n');
    const ledger = await ingestOne(bare);
    expect(ledger).toMatchObject({ format: 'zeek-tsv', ingested: 6, rejected: [] });
    expect(ledger.detected).toMatch(/without its header lines/);
    expect(ledger.tables).toMatchObject({ DeviceNetworkEvents: 6 });
  });

  it('an EVE file whose first line is 70 KB, or cut, is still EVE', async () => {
    const wide = tmp.file(
      'wide.json',
      [eve(0, `,"pad":"${'A'.repeat(70 * 1024)}"`), ...eveLines(3, 1)].join('\n') + '\n',
    );
    expect(await ingestOne(wide)).toMatchObject({ format: 'suricata-eve', ingested: 4, rejected: [] });

    const cut = tmp.file('cut.json', [eve(0).slice(37), ...eveLines(3, 1)].join('\n') + '\n');
    const ledger = await ingestOne(cut);
    expect(ledger).toMatchObject({ format: 'suricata-eve', ingested: 3 });
    expect(ledger.rejected.map((r) => r.line)).toEqual([1]);
  });

  it('a 50 MB NDJSON line: the file is EVE, that line one reject, the others read', async () => {
    const big = join(tmp.dir, 'huge-line.json');
    writeFileSync(
      big,
      [eve(0, `,"pad":"${'B'.repeat(50 * 1024 * 1024)}"`), ...eveLines(3, 1)].join('\n') + '\n',
    );
    const ledger = await ingestOne(big);
    expect(ledger).toMatchObject({ format: 'suricata-eve', ingested: 3, read: 4 });
    expect(ledger.rejected).toEqual([{ file: big, line: 1, reason: expect.stringMatching(/line too long/) }]);
  }, 120_000);
});

describe('logs inside archives are read, as the scanner reads them for YARA', () => {
  it('a .tar.gz and a .zip: each log member ingested as archive!member, the archive counted as read', async () => {
    const src = join(tmp.dir, 'bundle');
    mkdirSync(join(src, 'zeek'), { recursive: true });
    writeFileSync(join(src, 'zeek', 'conn.log'), [...ZEEK_HEADER, ...zeekRows(3)].join('\n') + '\n');
    writeFileSync(join(src, 'eve.json.1.gz'), gzipSync(eveLines(2).join('\n') + '\n'));
    writeFileSync(join(src, 'README'), 'collected on the edge router\n');
    const tgz = join(tmp.dir, 'evidence.tar.gz');
    execFileSync('tar', ['czf', tgz, '-C', src, 'README', 'eve.json.1.gz', 'zeek/conn.log']);
    const zip = join(tmp.dir, 'firewall.zip');
    writeFileSync(zip, zipSync({ 'logs/fw.cef': Buffer.from([0, 1, 2, 3].map(CEF).join('\n') + '\n') }));

    const { ledgers, inputs } = await ingest([tgz, zip]);
    expect(ledgers.map((l) => [l.file, l.format, l.ingested])).toEqual([
      [`${tgz}!eve.json.1.gz`, 'suricata-eve', 2],
      [`${tgz}!zeek/conn.log`, 'zeek-tsv', 3],
      [`${zip}!logs/fw.cef`, 'cef', 4],
    ]);
    expect(inputs).toMatchObject({ named: 2, skipped: [] });
  });
});

/** A zip holding `fw.cef`, wrapped in `levels` more zips (`level0.zip` … inside one another). */
function nestedZips(levels: number): Uint8Array {
  let data = zipSync({ 'fw.cef': Buffer.from(CEF(0) + '\n') });
  for (let i = 0; i < levels; i++) data = zipSync({ [`level${i}.zip`]: data });
  return data;
}

describe('nested archives: a tar.gz in a zip in a tar, to the depth cap', () => {
  it('the logs of nested archives are read, named outer!inner!member', async () => {
    const dir = join(tmp.dir, 'nested');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src', 'conn.log'), [...ZEEK_HEADER, ...zeekRows(3)].join('\n') + '\n');
    const tgz = join(dir, 'inner.tar.gz');
    execFileSync('tar', ['czf', tgz, '-C', join(dir, 'src'), 'conn.log']);
    writeFileSync(
      join(dir, 'outer.zip'),
      zipSync({
        'inner.tar.gz': readFileSync(tgz),
        'rotated/eve.json.1.gz': gzipSync(eveLines(2).join('\n') + '\n'),
      }),
    );
    const tar = join(dir, 'case.tar');
    execFileSync('tar', ['cf', tar, '-C', dir, 'outer.zip']);
    const { ledgers, inputs } = await ingest([tar]);
    expect(ledgers.map((l) => [l.file, l.format, l.ingested])).toEqual([
      [`${tar}!outer.zip!inner.tar.gz!conn.log`, 'zeek-tsv', 3],
      [`${tar}!outer.zip!rotated/eve.json.1.gz`, 'suricata-eve', 2],
    ]);
    expect(inputs).toMatchObject({ named: 1, read: 2, skipped: [] });
  });

  it('an archive nested past the cap (5) is skipped with the reason, by ingest and the YARA scan alike', async () => {
    const within = join(tmp.dir, 'within.zip');
    writeFileSync(within, nestedZips(4));
    const read = await ingest([within]);
    expect(read.ledgers.map((l) => [l.file.slice(within.length), l.ingested])).toEqual([
      ['!level3.zip!level2.zip!level1.zip!level0.zip!fw.cef', 1],
    ]);

    const deep = join(tmp.dir, 'deep.zip');
    writeFileSync(deep, nestedZips(6));
    const capped = `${deep}!level5.zip!level4.zip!level3.zip!level2.zip!level1.zip`;
    const { ledgers, inputs } = await ingest([deep]);
    expect(ledgers).toEqual([]);
    expect(inputs.skipped).toContainEqual({
      path: capped,
      reason: 'nesting depth cap (5) reached: its logs were not read',
      incomplete: true,
    });
    const scan = await scanPaths([deep], { workers: 1 });
    expect(scan.skipped).toContainEqual(
      expect.objectContaining({ path: capped, reason: expect.stringMatching(/nesting depth cap \(5\)/) }),
    );
  }, 120_000);
});
