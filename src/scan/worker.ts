/**
 * Scan worker: a worker thread (WASM engine) or a child process (native engine). Its own YARA-X, rules
 * compiled once from the source texts the pool sends, one reused scanner. Jobs run one at a time (a
 * queue: archive expansion is async); each object publishes its name and start time (shared memory in a
 * thread, a message from a process: see MessageProgress) so the pool's watchdog can stop the worker on
 * timeout. Results go back in one message per job (Outbox).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ObjectScanner } from './engine.js';
import { loadRules } from './engines.js';
import { Expander, type Sink } from './expand.js';
import { usesExternals } from './externals.js';
import { JobRunner } from './job.js';
import { loadMapFile } from './mapped.js';
import { loadNative } from './native.js';
import { JobState, jobName, type FromWorker, type ToWorker, type WorkerInit } from './protocol.js';
import type { FileResult, Skipped } from './types.js';
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

/**
 * The pool is gone (it exited or was killed): nobody wants the results, so stop quietly. A send to a
 * closed channel fails with EPIPE or ERR_IPC_CHANNEL_CLOSED; without a callback that error would be
 * thrown as an uncaught exception and print a stack trace on the terminal the user shares with us.
 */
function processPort(): Port {
  const gone = (): never => process.exit(0);
  process.on('disconnect', gone);
  return {
    send: (m) => {
      if (!process.connected) gone();
      process.send!(m, undefined, {}, (err) => void (err && gone()));
    },
    onMessage: (fn) => process.on('message', fn),
    close: () => process.disconnect(),
  };
}

/**
 * Collects what a job produces and sends it in as few messages as possible: one when the job ends,
 * plus one each time an object inside the job starts (its progress, and the results so far).
 */
class Outbox {
  private id = -1;
  private results: FileResult[] = [];
  private skipped: Skipped[] = [];
  /** The job's own name until its first object starts: that start is implied by the job's. */
  private implied: string | undefined;

  constructor(
    private readonly port: Port,
    /** Worker threads publish progress in shared memory; child processes by message. */
    private readonly state: JobState | undefined,
  ) {}

  readonly sink: Sink = {
    result: (r) => void this.results.push(r),
    skipped: (s) => void this.skipped.push(s),
    current: (name) => this.object(name),
  };

  begin(id: number, name: string): void {
    this.id = id;
    this.implied = name;
    this.state?.begin(id);
  }

  private object(name: string): void {
    const implied = this.implied === name;
    this.implied = undefined;
    if (this.state) {
      this.state.object(name);
      if (this.results.length + this.skipped.length > 0) this.flush({});
    } else if (!implied) {
      this.flush({ next: name });
    }
  }

  end(): void {
    this.state?.end();
    this.flush({ done: true });
  }

  private flush(extra: { next?: string; done?: true }): void {
    const { results, skipped } = this;
    this.results = [];
    this.skipped = [];
    this.port.send({ id: this.id, results, skipped, ...extra });
  }
}

function start(init: WorkerInit, port: Port): void {
  if (init.engine === 'wasm') initYarax(init.module);
  const loaded = loadRules(init.engine, init.sources);
  const outbox = new Outbox(port, init.state ? new JobState(init.state) : undefined);
  const sink = outbox.sink;
  const engine = new ObjectScanner(loaded.scanner, {
    hashes: init.hashes,
    filter: init.filter,
    externals: usesExternals(loaded.accepted.map((s) => s.text)),
  });
  // Mapping only in a child process: a file truncated while mapped raises SIGBUS (see mapped.ts).
  const map = init.engine === 'native' ? loadMapFile() : undefined;
  const runner = new JobRunner(new Expander(engine, sink, init.expand), sink, { ...init, map });

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
      outbox.begin(m.id, jobName(m.job));
      try {
        await runner.run(m.job);
      } catch (e) {
        sink.skipped({ path: jobName(m.job), reason: `scan error: ${(e as Error).message}` });
      }
      outbox.end();
      if (engine.trapped) process.exit(0); // see ObjectScanner.trapped; the pool replaces this worker
    });
  });

  port.send({ ready: true, errors: loaded.errors, ruleCount: loaded.ruleCount });
}

if (parentPort) {
  start(workerData as WorkerInit, threadPort());
} else {
  const port = processPort();
  loadNative(); // a spare process loads the addons while the parent still walks the folders
  loadMapFile();
  process.once('message', (m: ToWorker) => {
    if ('init' in m) start(m.init, port);
  });
}
