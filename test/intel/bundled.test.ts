import { describe, expect, it } from 'vitest';
import { bundledIndicators, loadBundledIntel } from '../../src/intel/bundled.js';

describe('bundled intel', () => {
  it('loads the seed IOCs from content/intel with no rejects', () => {
    const { indicators, rejects } = loadBundledIntel();
    expect(rejects).toEqual([]);
    expect(indicators.map((i) => [i.type, i.value, i.port, i.origin])).toEqual([
      [
        'sha256',
        '7e84a8a74e93e567a6e7f781ab5764fe3bbc12c868b89e5c5c79924d5d5742e2',
        undefined,
        'content/intel/seed003-tr069-hashes.txt:2',
      ],
      [
        'sha256',
        '1fce697993690d41f75e0e6ed522df49d73a038f7e02733ec239c835579c40bf',
        undefined,
        'content/intel/seed003-tr069-hashes.txt:4',
      ],
      [
        'sha256',
        '828984d1112f52f7f24bbc2b15d0f4cf2646cd03809e648f0d3121a1bdb83464',
        undefined,
        'content/intel/seed003-tr069-hashes.txt:5',
      ],
      [
        'sha256',
        'c597d3b8f61a5b49049006aff5abfe30af06d8979aaaf65454ad2691ef03943b',
        undefined,
        'content/intel/seed003-tr069-hashes.txt:6',
      ],
      [
        'sha256',
        '046659391b36a022a48e37bd80ce2c3bd120e3fe786c204128ba32aa8d03a182',
        undefined,
        'content/intel/seed003-tr069-hashes.txt:7',
      ],
      [
        'sha256',
        '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc',
        undefined,
        'content/intel/seed003-tr069-hashes.txt:8',
      ],
      ['ip:port', '176.65.139.7', 3778, 'content/intel/threatfox-mirai.json:4'],
      ['domain', 'tvt.miraibotnet.su', undefined, 'content/intel/threatfox-mirai.json:17'],
    ]);
  });

  it('keeps the ThreatFox context of the seed 002 IOCs', () => {
    const [cc, domain] = bundledIndicators().filter((i) => i.source === 'ThreatFox');
    expect(cc).toMatchObject({
      threatType: 'botnet_cc',
      confidence: 80,
      malware: 'Mirai',
      malwareId: 'elf.mirai',
      firstSeen: '2026-05-20T00:00:00.000Z',
    });
    expect(domain).toMatchObject({ threatType: 'payload_delivery', confidence: 100, malware: 'Mirai' });
  });
});
