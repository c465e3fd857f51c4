// Port-aware indicator lists: which indicators a hunt sees (active, unexpired, confident, routable).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { loadIndicators } from '../../src/intel/ti-table.js';
import type { Indicator } from '../../src/intel/model.js';
import { activeIndicatorValues, isRoutableIp, subdomainRegex } from '../../src/hunts/indicator-lists.js';

const NOW = new Date('2026-05-22T00:00:00Z');
const ind = (i: Partial<Indicator> & Pick<Indicator, 'type' | 'value'>): Indicator =>
  ({ source: 'test', ...i }) as Indicator;

describe('indicator lists from the store', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open();
    await loadIndicators(
      store,
      [
        ind({ type: 'ip:port', value: '176.65.139.7', port: 3778, threatType: 'botnet_cc', confidence: 80 }),
        ind({ type: 'ipv4', value: '45.9.148.1', confidence: 90 }),
        ind({ type: 'ipv4', value: '45.9.148.2', confidence: 20 }), // below --min-confidence
        ind({ type: 'ipv4', value: '45.9.148.3', active: false }),
        ind({ type: 'ipv4', value: '45.9.148.4', expires: '2026-01-01T00:00:00Z' }),
        ind({ type: 'ipv4', value: '10.1.2.3', confidence: 100 }), // private: never an indicator
        ind({ type: 'ipv4', value: '127.0.0.1' }),
        ind({ type: 'ipv4', value: '169.254.10.1' }),
        ind({ type: 'domain', value: 'tvt.miraibotnet.su', threatType: 'payload_delivery', confidence: 100 }),
      ],
      NOW,
    );
  });
  afterAll(() => store.close());

  const values = (types: string[], extra: { threatTypes?: string[]; minConfidence?: number } = {}) =>
    activeIndicatorValues(
      store,
      { types, threatTypes: extra.threatTypes },
      { now: NOW, minConfidence: extra.minConfidence },
    );

  it('keeps the port of ip:port indicators apart from plain IP indicators', async () => {
    expect(await values(['ip:port'])).toEqual(['176.65.139.7:3778']);
    expect(await values(['ip:port-ip'])).toEqual(['176.65.139.7']);
    expect(await values(['ip-anyport'])).toEqual(['45.9.148.1']);
  });

  it('honours confidence, Active and expiry, and never binds private, loopback or link-local addresses', async () => {
    expect(await values(['ip'])).toEqual(['176.65.139.7', '45.9.148.1']);
    expect(await values(['ip'], { minConfidence: 85 })).toEqual(['45.9.148.1']);
    expect(await values(['ip'], { minConfidence: 0 })).toEqual(['176.65.139.7', '45.9.148.1', '45.9.148.2']);
  });

  it('filters by Sentinel ThreatType (botnet_cc → C2)', async () => {
    expect(await values(['ip'], { threatTypes: ['C2'] })).toEqual(['176.65.139.7']);
    expect(await values(['domain'])).toEqual(['tvt.miraibotnet.su']);
  });

  it('knows routable addresses', () => {
    expect(['176.65.139.7', '176.65.139.7:3778', '2a00:1450::1'].map(isRoutableIp)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['10.0.0.1', '192.168.1.1:80', '127.0.0.1', '169.254.1.1', 'fe80::1', '::1', '100.64.0.1'].map(
        isRoutableIp,
      ),
    ).toEqual(Array(7).fill(false));
  });
});

describe('the subdomain regex', () => {
  const re = (domains: string[]) => new RegExp(subdomainRegex(domains).replace('(?i)', ''), 'i');
  it('matches the domain, its subdomains and URLs on them, never look-alikes', () => {
    const r = re(['tvt.miraibotnet.su']);
    for (const yes of [
      'tvt.miraibotnet.su',
      'DL.TVT.miraibotnet.su',
      'tvt.miraibotnet.su.',
      'http://dl.tvt.miraibotnet.su:80/bins/x',
      'tvt.miraibotnet.su/x',
    ])
      expect(r.test(yes), yes).toBe(true);
    for (const no of [
      'nottvt.miraibotnet.su.example',
      'miraibotnet.su.example.com',
      'tvt.miraibotnet.su.example.com',
      'xtvt.miraibotnet.su',
      'http://a.com/tvt.miraibotnet.su',
    ])
      expect(r.test(no), no).toBe(false);
  });
  it('matches nothing for an empty list', () => {
    expect(re([]).test('anything')).toBe(false);
    expect(re([]).test('')).toBe(false);
  });
});
