import { ingest } from '/work/main/src/index.js';
const t = performance.now();
const r = await ingest([process.argv[2]]);
const l = r.ledgers[0];
console.log(process.argv[2].split('/').pop(), ((performance.now() - t) / 1000).toFixed(2) + 's', l.read, l.ingested, l.rejected.length, JSON.stringify(l.tables), 'maxRSS MiB', (process.resourceUsage().maxRSS / 1024).toFixed(0));
