/**
 * Scan worker: a worker thread (WASM engine) or a child process (native engine). Its own YARA-X, rules
 * compiled once from the source texts the pool sends, one reused scanner. Jobs run one at a time (a
 * queue: archive expansion is async); each object publishes its name and start time (shared memory in a
 * thread, a message from a process) so the pool's watchdog can stop the worker on timeout.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ObjectScanner } from './engine.js';
import { loadRules } from './engines.js';
import { Expander, type Sink } from './expand.js';
import { usesExternals } from './externals.js';
import { JobRunner } from './job.js';
import {
  JobState,
  jobName,
  type FromWorker,
  type ProgressReporter,
  type ToWorker,
  type WorkerInit,
} from './protocol.js';
import { initYarax } from './yarax.js';

interface Port {
  send(m: FromWorker): void;
  onMessage(fn: (m: ToWorker) => void): void;
  close(): void;
}

function threadPort(): Port {
  const port = parentPort!;
  return {
    send: (m) => port.postMessage(m),
    onMessage: (fn) => port.on('message', fn),
    close: () => port.close(),
  };
}

function processPort(): Port {
  process.on('disconnect', () => process.exit(0)); // the pool is gone: nobody wants the results
  return {
    send: (m) => void process.send!(m),
    onMessage: (fn) => process.on('message', fn),
    close: () => process.disconnect(),
  };
}

/** A child process's progress goes by message; the job's `done` message ends it. */
function messageReporter(port: Port): ProgressReporter {
  let job = -1;
  return {
    begin: (id) => (job = id),
    object: (name) => port.send({ progress: job, name }),
    end: () => (job = -1),
  };
}

function start(init: WorkerInit, port: Port): void {
  if (init.engine === 'wasm') initYarax(init.module);
  const loaded = loadRules(init.engine, init.sources);
  const progress = init.state ? new JobState(init.state) : messageReporter(port);

  let jobId = -1;
  const sink: Sink = {
    result: (result) => port.send({ id: jobId, result }),
    skipped: (skipped) => port.send({ id: jobId, skipped }),
    current: (name) => progress.object(name),
  };
  const engine = new ObjectScanner(loaded.scanner, {
    hashes: init.hashes,
    filter: init.filter,
    externals: usesExternals(loaded.accepted.map((s) => s.text)),
  });
  const runner = new JobRunner(new Expander(engine, sink, init.expand), sink, init);

  let queue = Promise.resolve();
  port.onMessage((m: ToWorker) => {
    if ('init' in m) return;
    if ('stop' in m) {
      void queue.then(() => {
        loaded.scanner.free();
        port.close();
      });
      return;
    }
    queue = queue.then(async () => {
      jobId = m.id;
      progress.begin(m.id);
      try {
        await runner.run(m.job);
      } catch (e) {
        sink.skipped({ path: jobName(m.job), reason: `scan error: ${(e as Error).message}` });
      }
      progress.end();
      port.send({ id: m.id, done: true });
      if (engine.trapped) process.exit(0); // see ObjectScanner.trapped; the pool replaces this worker
    });
  });

  port.send({ ready: true, errors: loaded.errors, ruleCount: loaded.ruleCount });
}

if (parentPort) {
  start(workerData as WorkerInit, threadPort());
} else {
  const port = processPort();
  process.once('message', (m: ToWorker) => {
    if ('init' in m) start(m.init, port);
  });
}
