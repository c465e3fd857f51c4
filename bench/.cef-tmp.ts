import { Store } from '../src/store/db.js';
import { cefPlan } from '../src/telemetry/cef.js';
import { readFileSync } from 'node:fs';
const file = process.argv[2];
const store = await Store.open();
const sample = readFileSync(file, 'utf8').split('\n').slice(0, 1000).filter(Boolean);
const plan = cefPlan(store.schema('CommonSecurityLog'), sample, 2026);
try {
  const r = await store.loadFile(file, plan);
  console.log({ ...r, toReader: r.toReader.slice(0, 5) });
  console.log(await store.query('SELECT * EXCLUDE (TenantId) FROM CommonSecurityLog LIMIT 1'));
} catch (e) { console.log(String(e).slice(0, 3000)); }
