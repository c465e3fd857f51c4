import { readFileSync } from 'node:fs';
import { initSync, Compiler } from '@virustotal/yara-x';
initSync({ module: readFileSync('node_modules/@virustotal/yara-x/pkg/yara_x_js_bg.wasm') });
const c = new Compiler();
c.newNamespace('a');
c.addSource('rule x : T1 T2 { meta: a = 1 b = "s\\x01\\"q" c = true d = -2 e = 1.5 strings: $a = "hello" $b = /wor.d/ $c = "zz" condition: $a and $b or $c}');
c.newNamespace('c'); c.addSource('rule z { strings: $a = "ab" condition: $a }\nrule w { strings: $a = /a.{0,5000}b/ condition: $a }\nprivate rule p { condition: true }\nglobal rule g { condition: true }');
console.log('warnings', c.warnings);
c.newNamespace('slow'); c.addSource('rule slow { condition: for all i in (0..filesize) : ( for all j in (0..filesize) : ( uint8(i) != 0xff or uint8(j) != 0xfe ) ) }');
console.log('warnings', c.warnings);
const rules = c.build();
c.free();
console.log('rw', rules.warnings);
const s = rules.scanner();
const r = s.scan(new TextEncoder().encode('xx hello world hello abbb'));
console.log(JSON.stringify(r));
s.setTimeoutMs(1000);
let t = performance.now();
try { const r2 = s.scan(new Uint8Array(100000)); console.log('r2', JSON.stringify(r2).slice(0,300)); } catch (e) { console.log('timeout err', String(e), performance.now()-t); }
t = performance.now();
try { const r3 = s.scan(new Uint8Array(10)); console.log('r3 ok', r3.matches.length, performance.now()-t); } catch (e) { console.log('err3', String(e)); }
