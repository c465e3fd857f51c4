import { rmSync } from 'node:fs';
import { ingest } from '/work/main/src/index.js';
const db = process.argv[3];
if (db) rmSync(db, { force: true });
const t = performance.now();
const r = await ingest([process.argv[2]], db ? { db } : {});
const l = r.ledgers[0];
console.log(process.argv[2].split('/').pop(), db ? 'db file' : 'memory', ((performance.now() - t) / 1000).toFixed(2) + 's', l.read, l.ingested, l.rejected.length, 'maxRSS MiB', (process.resourceUsage().maxRSS / 1024).toFixed(0));
if (db) rmSync(db, { force: true });
