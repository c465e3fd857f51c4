// Issue 11 item 11: `intel import` of a pcap or random bytes must not yield "active indicators".
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importIntelFile, importIntelStreams } from '../../src/intel/import.js';
import { scratchDir, telltale } from '../helpers.js';

const tmp = scratchDir('adv-intel');

/** A classic pcap: global header, then one packet whose payload carries domain-looking text. */
function pcap(): Buffer {
  const header = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
  const payload = Buffer.concat([Buffer.alloc(54), Buffer.from('GET / HTTP/1.1\r\nHost: n.it\r\n\r\n')]);
  const record = Buffer.alloc(16);
  record.writeUInt32LE(payload.length, 8);
  record.writeUInt32LE(payload.length, 12);
  return Buffer.concat([header, record, payload]);
}

// random bytes that spell indicator-like tokens now and then, plus a random 32-hex "MD5"
const noise = Buffer.concat([
  randomBytes(20_000),
  Buffer.from(' gjh.ve d41d8cd98f00b204e9800998ecf8427e '),
  randomBytes(20_000),
]);

describe('binary input to the text importers', () => {
  it.each([
    ['capture.pcap', pcap()],
    ['random.bin', noise],
  ])('%s is refused with a reason and yields no indicator', (name, bytes) => {
    const path = join(tmp.dir, name);
    writeFileSync(path, bytes);
    const r = importIntelFile(path);
    expect(r.indicators).toEqual([]);
    expect(r.rejects).toEqual([{ file: path, line: 0, reason: expect.stringMatching(/^binary input/) }]);
  });

  it('the streaming path (files over the chunk size) refuses it too', async () => {
    const path = join(tmp.dir, 'big-random.bin');
    writeFileSync(path, noise);
    const [stream] = importIntelStreams(path, { chunkBytes: 4096 });
    const results = [];
    for await (const chunk of stream.chunks) results.push(chunk);
    expect(results.flatMap((c) => c.indicators)).toEqual([]);
    expect(results.flatMap((c) => c.rejects)[0].reason).toMatch(/^binary input/);
  });

  it('intel import --dry-run: exit 2, the reason on stderr', () => {
    const path = join(tmp.dir, 'cli.pcap');
    writeFileSync(path, pcap());
    const r = telltale('intel', 'import', path, '--dry-run');
    expect(r.stderr).toMatch(/binary input/);
    expect(r.status).toBe(2);
  }, 60_000);

  it('a text feed with one stray control character is still read', () => {
    const path = tmp.file('feed.txt', 'evil.example.com\n176.65.139.7\u0007\nmiraibotnet.su\n');
    expect(importIntelFile(path).indicators.map((i) => i.value)).toContain('miraibotnet.su');
  });
});
