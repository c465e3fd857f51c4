import { afterAll, beforeAll } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { runKql } from '../../src/kql/index.js';
import { NOW, storeWith } from './helpers.js';

/** Four DNS rows (row 4 has no Name and no ClientIP) and three firewall rows; sources are `Table:n`. */
export const DNS = [
  { TimeGenerated: '2026-05-21T10:00:00Z', Computer: 'a', Name: 'x.com', EventId: 1, ClientIP: '10.0.0.1' },
  { TimeGenerated: '2026-05-21T11:00:00Z', Computer: 'a', Name: 'y.com', EventId: 5, ClientIP: '10.0.0.2' },
  { TimeGenerated: '2026-05-21T09:00:00Z', Computer: 'b', Name: 'x.com', EventId: 3, ClientIP: '10.0.0.1' },
  { TimeGenerated: '2026-05-21T12:00:00Z', Computer: 'b', EventId: 7 },
];
export const CEF = [
  { TimeGenerated: '2026-05-21T10:00:00Z', SourceIP: '10.0.0.1', DestinationPort: 80, DeviceVendor: 'v1' },
  { TimeGenerated: '2026-05-21T10:30:00Z', SourceIP: '10.0.0.1', DestinationPort: 443, DeviceVendor: 'v2' },
  { TimeGenerated: '2026-05-21T10:30:00Z', SourceIP: '10.0.0.9', DestinationPort: 22, DeviceVendor: 'v3' },
];

/** Opens the fixture store for the calling test file and returns a runner (with the tests' NOW). */
export function useFixture() {
  let store: Store;
  beforeAll(async () => {
    store = await storeWith({ DnsEvents: DNS, CommonSecurityLog: CEF });
  });
  afterAll(() => store.close());
  return async (query: string) => runKql(store, query, { now: NOW });
}

/** Rows as plain objects, sorted by their JSON text: for results whose order Kusto leaves open. */
export function unordered(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
