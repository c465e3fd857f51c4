import { readFileSync } from 'node:fs';
import { parseCefLine, setCefSchema } from '../src/telemetry/cef.js';
import { loadSchemas } from '../src/store/schema.js';
setCefSchema(loadSchemas().get('CommonSecurityLog')!);
const lines = readFileSync(process.argv[2], 'utf8').split('\n');
let t = performance.now(); let n = 0;
for (const l of lines) if (l) { const r = parseCefLine(l, { referenceYear: 2026 }); if ('row' in r) n++; }
console.log('parse', n, ((performance.now() - t) / 1000).toFixed(2));
t = performance.now(); let s = 0;
for (const l of lines) if (l) { const r = parseCefLine(l, { referenceYear: 2026 }); if ('row' in r) s += JSON.stringify(r.row).length; }
console.log('parse+stringify', ((performance.now() - t) / 1000).toFixed(2));
