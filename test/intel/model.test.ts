import { describe, expect, it } from 'vitest';
import { dedupe, indicatorKey, type Indicator } from '../../src/intel/model.js';

describe('indicator model', () => {
  it('keys on type, value and port', () => {
    expect(indicatorKey({ type: 'ip:port', value: '176.65.139.7', port: 3778 })).toBe(
      'ip:port|176.65.139.7|3778',
    );
    expect(indicatorKey({ type: 'ipv4', value: '176.65.139.7' })).toBe('ipv4|176.65.139.7|');
  });

  it('merges duplicates: widest seen window, highest confidence, tag union, first source kept', () => {
    const a: Indicator = {
      type: 'domain',
      value: 'tvt.miraibotnet.su',
      source: 'ThreatFox',
      confidence: 50,
      firstSeen: '2026-05-20T00:00:00.000Z',
      lastSeen: '2026-05-21T00:00:00.000Z',
      tags: ['Mirai'],
      origin: 'a.json:3',
    };
    const b: Indicator = {
      type: 'domain',
      value: 'tvt.miraibotnet.su',
      source: 'report.txt',
      confidence: 100,
      firstSeen: '2026-05-19T00:00:00.000Z',
      lastSeen: '2026-05-20T12:00:00.000Z',
      tags: ['Mirai', 'tr069'],
      threatType: 'payload_delivery',
      origin: 'report.txt:9',
    };
    const other: Indicator = { type: 'domain', value: 'other.example.com', source: 'x' };
    expect(dedupe([a, other, b])).toEqual([
      {
        type: 'domain',
        value: 'tvt.miraibotnet.su',
        source: 'ThreatFox',
        confidence: 100,
        firstSeen: '2026-05-19T00:00:00.000Z',
        lastSeen: '2026-05-21T00:00:00.000Z',
        tags: ['Mirai', 'tr069'],
        threatType: 'payload_delivery',
        origin: 'a.json:3',
      },
      other,
    ]);
  });

  it('keeps ip:port indicators on different ports apart', () => {
    const on = (port: number): Indicator => ({ type: 'ip:port', value: '176.65.139.7', port, source: 's' });
    expect(dedupe([on(3778), on(23), on(3778)])).toEqual([on(3778), on(23)]);
  });
});
