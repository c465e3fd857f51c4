/**
 * Scan worker: its own YARA-X instance, rules compiled once from the source texts the pool sends, one
 * reused Scanner. Jobs run one at a time (a queue: archive expansion is async); each object publishes
 * its name and start time in shared memory so the pool's watchdog can terminate the worker on timeout
 * (the wasm build ignores Scanner.setTimeoutMs: nothing can interrupt it from inside).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ObjectScanner } from './engine.js';
import { Expander, type Sink } from './expand.js';
import { usesExternals } from './externals.js';
import { JobRunner } from './job.js';
import { JobState, jobName, type FromWorker, type ToWorker, type WorkerInit } from './protocol.js';
import { compileRules } from './rules.js';
import { initYarax } from './yarax.js';

const init = workerData as WorkerInit;
const port = parentPort!;
initYarax(init.module);
const compiled = compileRules(init.sources);
const scanner = compiled.rules.scanner();
const state = new JobState(init.state);
const send = (m: FromWorker): void => port.postMessage(m);

let jobId = -1;
const sink: Sink = {
  result: (result) => send({ id: jobId, result }),
  skipped: (skipped) => send({ id: jobId, skipped }),
  current: (name) => state.object(name),
};
const engine = new ObjectScanner(scanner, {
  hashes: init.hashes,
  filter: init.filter,
  externals: usesExternals(compiled.accepted.map((s) => s.text)),
});
const runner = new JobRunner(new Expander(engine, sink, init.expand), sink, init);

let queue = Promise.resolve();
port.on('message', (m: ToWorker) => {
  if ('stop' in m) {
    void queue.then(() => {
      scanner.free();
      compiled.rules.free();
      port.close();
    });
    return;
  }
  queue = queue.then(async () => {
    jobId = m.id;
    state.begin(m.id);
    try {
      await runner.run(m.job);
    } catch (e) {
      sink.skipped({ path: jobName(m.job), reason: `scan error: ${(e as Error).message}` });
    }
    state.end();
    send({ id: m.id, done: true });
    if (engine.trapped) process.exit(0); // see ObjectScanner.trapped; the pool replaces this worker
  });
});

send({ ready: true, errors: compiled.errors, ruleCount: compiled.ruleCount });
