/**
 * Scan worker: a worker thread (WASM engine) or a child process (native engine). Its own YARA-X, rules
 * compiled once from the source texts the pool sends, one reused scanner. Jobs run one at a time (a
 * queue: archive expansion is async); each object publishes its name and start time (shared memory in a
 * thread, the progress file from a process: see PROGRESS_FD) so the pool's watchdog can stop the worker
 * on timeout. Results go back in batches (Outbox).
 */
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { ObjectScanner } from './engine.js';
import type { LoadedRules } from './loaded.js';
import { Expander, type Sink } from './expand.js';
import { usesExternals } from './externals.js';
import { JobRunner } from './job.js';
import { loadDigest, loadMapFile, loadShareFile } from './mapped.js';
import { nativeRules, requireNative } from './native.js';
import {
  JobState,
  PROGRESS_FD,
  ProgressFileWriter,
  jobName,
  type FromWorker,
  type JobMessage,
  type JobOutput,
  type ProgressReporter,
  type ToWorker,
  type WorkerInit,
} from './protocol.js';
import type { FileResult, Skipped } from './types.js';

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
 * Flush finished jobs' outputs when this many wait, or the oldest waited this long, or no job is
 * queued: the pool refills the worker's window from them, so they must not wait for long.
 */
const FLUSH_JOBS = 64; // half the pool's WINDOW: the refill arrives while 64 jobs are still queued
const FLUSH_MS = 20;

/**
 * Collects what jobs produce and sends it in as few messages as possible: finished jobs' outputs in
 * batches (see FLUSH_JOBS), plus a job's results so far, at once, each time an object inside it
 * starts. Progress goes to the ProgressReporter (shared memory or the progress file), not in messages.
 */
class Outbox {
  private id = -1;
  private results: FileResult[] = [];
  private skipped: Skipped[] = [];
  /** The job's own name until its first object starts: that start is implied by the job's. */
  private implied: string | undefined;
  /** The current job already sent some of its results: its end is sent at once (see end). */
  private partial = false;
  private outputs: JobOutput[] = [];
  private oldest = 0;

  constructor(
    private readonly port: Port,
    private readonly progress: ProgressReporter,
  ) {}

  readonly sink: Sink = {
    result: (r) => void this.results.push(r),
    skipped: (s) => void this.skipped.push(s),
    current: (name) => this.object(name),
  };

  begin(id: number, name: string): void {
    this.id = id;
    this.implied = name;
    this.partial = false;
    this.progress.begin(id);
  }

  private object(name: string): void {
    const implied = this.implied === name;
    this.implied = undefined;
    if (!implied) this.progress.object(name);
    if (this.results.length + this.skipped.length > 0) {
      this.take(false);
      this.partial = true;
      this.flush();
    }
  }

  /**
   * `queued`: jobs waiting in this worker. A job that sent results before is flushed with its end at
   * once: were the worker lost meanwhile, the pool would hand the job out again and get those twice.
   */
  end(queued: number): void {
    this.progress.end();
    this.take(true);
    if (
      this.partial ||
      queued === 0 ||
      this.outputs.length >= FLUSH_JOBS ||
      Date.now() - this.oldest >= FLUSH_MS
    )
      this.flush();
  }

  private take(done: boolean): void {
    if (this.outputs.length === 0) this.oldest = Date.now();
    const output: JobOutput = { id: this.id, results: this.results, skipped: this.skipped };
    if (done) output.done = true;
    this.outputs.push(output);
    this.results = [];
    this.skipped = [];
  }

  flush(): void {
    if (this.outputs.length === 0) return;
    this.port.send({ outputs: this.outputs });
    this.outputs = [];
  }
}

/** The WASM build's glue is imported only where it runs: a native worker process would spend ~20 ms on it. */
async function wasmRules(init: WorkerInit): Promise<LoadedRules> {
  const [{ initYarax }, { loadRules }] = await Promise.all([import('./yarax.js'), import('./engines.js')]);
  initYarax(init.module);
  return loadRules('wasm', init.sources);
}

async function start(init: WorkerInit, port: Port): Promise<void> {
  const loaded = init.engine === 'native' ? nativeRules(init.sources) : await wasmRules(init);
  const progress = init.state
    ? new JobState(init.state)
    : new ProgressFileWriter(PROGRESS_FD, loadShareFile());
  const outbox = new Outbox(port, progress);
  const sink = outbox.sink;
  const engine = new ObjectScanner(loaded.scanner, {
    hashes: init.hashes,
    matchHashes: init.matchHashes,
    filter: init.filter,
    externals: usesExternals(loaded.accepted.map((s) => s.text)),
    // Child processes only, as mapping: a WASM worker thread keeps its digests on its own thread.
    offThread: init.engine === 'native' ? loadDigest() : undefined,
  });
  // Mapping only in a child process: a file truncated while mapped raises SIGBUS (see mapped.ts).
  const map = init.engine === 'native' ? loadMapFile() : undefined;
  const runner = new JobRunner(new Expander(engine, sink, init.expand), sink, { ...init, map });

  let queue = Promise.resolve();
  let queued = 0;
  const run = async ({ id, job }: JobMessage): Promise<void> => {
    queued--;
    outbox.begin(id, jobName(job));
    try {
      await runner.run(job);
    } catch (e) {
      sink.skipped({ path: jobName(job), reason: `scan error: ${(e as Error).message}` });
    }
    // see ObjectScanner.trapped: this worker sends what it has and exits; the pool replaces it
    outbox.end(engine.trapped ? 0 : queued);
    if (engine.trapped) process.exit(0);
  };
  port.onMessage((m: ToWorker) => {
    if ('init' in m) return;
    if ('stop' in m) {
      void queue.then(() => {
        loaded.scanner.free();
        port.close();
      });
      return;
    }
    queued += m.jobs.length;
    for (const job of m.jobs) queue = queue.then(() => run(job));
  });

  port.send({ ready: true, errors: loaded.errors, ruleCount: loaded.ruleCount });
}

if (parentPort) {
  void start(workerData as WorkerInit, threadPort());
} else {
  // A worker process lives for one scan, and V8's tiering is tuned for long-running programs: with its
  // default budget it optimized the per-file code over and over (2,000 small files, one worker: worker
  // CPU 0.44–0.56 s → 0.31–0.40 s with a 32× budget, measured). Hot loops — fflate inflating a large
  // member — still reach it within milliseconds. Process-wide, so only here, never in a worker thread.
  setFlagsFromString('--interrupt-budget=4194304');
  const port = processPort();
  requireNative(); // a spare process loads the addons while the parent still walks the folders
  loadMapFile();
  process.once('message', (m: ToWorker) => {
    if ('init' in m) void start(m.init, port);
  });
}
