/** TelltaleFileScan rows: stored through the Store and joined with network telemetry in KQL. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runKql, Store } from '../../src/index.js';
import { scanPaths, scanResultRows } from '../../src/scan/index.js';
import { coerceRow } from '../../src/store/coerce.js';
import { seedElf, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

it('lands matches, clean objects and skips in TelltaleFileScan, joinable with DeviceNetworkEvents', async () => {
  writeFileSync(join(tmp.dir, 'mirai.arm7'), seedElf());
  writeFileSync(join(tmp.dir, 'clean.txt'), 'nothing here');
  const report = await scanPaths([tmp.dir, join(tmp.dir, 'missing')]);
  const { table, rows } = scanResultRows(report, 'cpe-gw-17', new Date('2026-05-21T10:00:00Z'));
  expect(table).toBe('TelltaleFileScan');
  expect(rows.map((r) => [r.ActionType, r.FileName, r.RuleName])).toEqual([
    ['Scanned', 'clean.txt', undefined],
    ['YaraMatch', 'mirai.arm7', 'Mirai_Generic_Arch'],
    ['Skipped', 'missing', undefined],
  ]);
  const store = await Store.open();
  try {
    await store.insertRows(
      table,
      rows.map((r) => coerceRow(store.schema(table), r)),
    );
    await store.insertRows(
      'DeviceNetworkEvents',
      [
        {
          TimeGenerated: '2026-05-21T09:00:00Z',
          DeviceName: 'cpe-gw-17',
          RemoteIP: '176.65.139.7',
          RemotePort: 7547,
        },
      ].map((r) => coerceRow(store.schema('DeviceNetworkEvents'), r)),
    );
    const { rows: joined } = await runKql(
      store,
      `TelltaleFileScan | where ActionType == "YaraMatch" | join kind=inner (DeviceNetworkEvents) on DeviceName
       | project DeviceName, FileName, RuleName, SHA256, RemoteIP, RemotePort`,
    );
    expect(joined).toMatchObject([
      {
        DeviceName: 'cpe-gw-17',
        FileName: 'mirai.arm7',
        RuleName: 'Mirai_Generic_Arch',
        SHA256: report.files[1].sha256,
        RemoteIP: '176.65.139.7',
        RemotePort: 7547,
        _Source: [join(tmp.dir, 'mirai.arm7')], // provenance: the scanned object
      },
    ]);
  } finally {
    store.close();
  }
}, 60_000);
