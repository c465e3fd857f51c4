/**
 * Scan worker: its own YARA-X instance, rules compiled once from the source texts the pool sends, one
 * reused Scanner. Publishes the job in progress in shared memory so the pool's watchdog can terminate
 * it on timeout (the wasm build ignores Scanner.setTimeoutMs: nothing can interrupt it from inside).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FileScanner } from './file.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { compileRules } from './rules.js';
import { initYarax } from './yarax.js';

const init = workerData as WorkerInit;
const port = parentPort!;
initYarax(init.module);
const compiled = compileRules(init.sources);
const scanner = compiled.rules.scanner();
const files = new FileScanner(scanner, init.maxFileSize);
const job = new Int32Array(init.state, 0, 1);
const started = new Float64Array(init.state, 8, 1);

const send = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if ('stop' in m) {
    scanner.free();
    compiled.rules.free();
    port.close();
    return;
  }
  started[0] = Date.now();
  Atomics.store(job, 0, m.id + 1);
  const outcome = files.scan(m.path);
  Atomics.store(job, 0, 0);
  send({ id: m.id, ...outcome });
});

send({ ready: true, errors: compiled.errors, ruleCount: compiled.ruleCount });
