import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers.js';
import { importIntelFile } from '../../src/intel/import.js';

const { dir, file } = scratchDir('telltale-intel');

describe('importIntelFile', () => {
  it('detects the format from content, not from the file name', () => {
    const api = file('a.txt', '{"query_status":"ok","data":[{"ioc":"45.9.20.1:23","ioc_type":"ip:port"}]}');
    const exp = file('b.dat', '{"7":[{"ioc_value":"evil-cdn.com","ioc_type":"domain"}]}');
    const csv = file(
      'c.json',
      '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"\n"2026-05-20 00:00:00", "9", "evil-cdn.com", "domain", "payload_delivery", "elf.mirai", "", "Mirai", "", "50", "", "", "0", "x"\n',
    );
    const text = file('d.csv', 'C2: 45[.]9[.]20[.]1:23 and evil-cdn[.]com\n');
    expect(importIntelFile(api).format).toBe('threatfox-api');
    expect(importIntelFile(exp).format).toBe('threatfox-json');
    expect(importIntelFile(csv).format).toBe('threatfox-csv');
    const t = importIntelFile(text, { displayPath: 'reports/d.csv' });
    expect(t.format).toBe('text');
    expect(t.indicators.map((i) => [i.type, i.value, i.port, i.source, i.origin])).toEqual([
      ['ip:port', '45.9.20.1', 23, 'd.csv', 'reports/d.csv:1'],
      ['domain', 'evil-cdn.com', undefined, 'd.csv', 'reports/d.csv:1'],
    ]);
  });

  it('honours an explicit format and reports what it cannot read', () => {
    const text = file('e.txt', 'see evil-cdn[.]com');
    expect(importIntelFile(text, { format: 'threatfox-json' })).toEqual({
      indicators: [],
      rejects: [{ file: text, line: 1, reason: 'not valid JSON' }],
      format: 'threatfox-json',
      file: text,
    });
    // Free text that happens to be JSON is still searched for indicators when asked.
    const json = file('f.json', '{"note": "C2 hxxp://evil-cdn[.]com/x"}');
    expect(importIntelFile(json, { format: 'text' }).indicators.map((i) => i.value)).toEqual([
      'http://evil-cdn.com/x',
    ]);
    const missing = join(dir, 'nope.json');
    expect(importIntelFile(missing).rejects).toEqual([
      { file: missing, line: 0, reason: expect.stringMatching(/ENOENT/) },
    ]);
  });

  it('deduplicates within a file', () => {
    const dup = file(
      'g.json',
      '{"query_status":"ok","data":[{"ioc":"evil-cdn.com","ioc_type":"domain","confidence_level":50},{"ioc":"EVIL-CDN.com","ioc_type":"domain","confidence_level":90}]}',
    );
    const r = importIntelFile(dup);
    expect(r.indicators.map((i) => [i.value, i.confidence])).toEqual([['evil-cdn.com', 90]]);
  });
});
