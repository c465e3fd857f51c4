import { Store } from '../src/store/db.js';
import { ingestFile } from '../src/telemetry/ingest.js';
const store = await Store.open();
const t = performance.now();
const l = await ingestFile(store, process.argv[2]);
console.log(((performance.now() - t) / 1000).toFixed(2), l.read, l.ingested, l.rejected.length, l.ignored);
// NDJSON bench: Timestamp = start + (line-1)*10ms ; Zeek: ts = 1779321600 + (line-8)/100
console.log(await store.query(process.argv[3]));
store.close();
