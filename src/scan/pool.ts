/**
 * Worker pool. Each worker (a thread for WASM, a child process for the native engine: channel.ts)
 * compiles the rules once and runs the jobs it is handed (a file, a buffer, a process); the main thread
 * only dispatches jobs and collects results, so both cores run YARA-X. A watchdog enforces the
 * per-object timeout by terminating the worker (then a fresh one takes over the remaining jobs): YARA-X's
 * own timeout is a no-op in its wasm build and fires early on large inputs in the native one. The object
 * that timed out or crashed a worker is reported as skipped (results its job already sent are kept) and
 * never retried.
 */
import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { openChannel, type Channel } from './channel.js';
import { jobName, type FromWorker, type Job, type JobMessage, type WorkerInit } from './protocol.js';
import type { FileResult, RuleError, Skipped } from './types.js';

export interface PoolConfig extends Omit<WorkerInit, 'state'> {
  size: number;
  timeoutMs: number;
}

export interface PoolOutput {
  /** In job order, then in the order each job produced them. */
  files: FileResult[];
  skipped: Skipped[];
  ruleErrors: RuleError[];
  ruleCount: number;
}

/**
 * Jobs handed to a worker ahead of time: enough small files that it never waits on a message round
 * trip (on a loaded machine every wake-up costs milliseconds), but at most WINDOW_BYTES of files besides
 * the one it starts with, so two large files never queue on one worker while the other has nothing.
 * 128 with the worker's FLUSH_JOBS 64 (was 32 and 16): a quarter of the messages, ~0.03 ms less CPU
 * per small file for the two processes together (2,000 files of 64 bytes, one worker, 6 alternating
 * runs each at load ~10.5: calling process 0.25 → 0.22 s, worker 0.33 → 0.30 s).
 */
const WINDOW = 128;
const WINDOW_BYTES = 4 * 1024 * 1024;

/** A job's weight for the window: its size in bytes (a process's memory counts as a full window). */
function jobBytes(job: Job): number {
  if (job.kind === 'buffer') return job.data.length;
  if (job.kind === 'pid') return WINDOW_BYTES;
  if (job.size !== undefined) return job.size;
  try {
    return statSync(job.path).size;
  } catch {
    return 0; // the worker reports why it cannot read it
  }
}

interface Slot {
  channel: Channel;
  inflight: Set<number>;
  /** Bytes of the jobs in flight. */
  bytes: number;
  ready: boolean;
  dead: boolean;
}

/**
 * Jobs larger than the byte window go out first, largest first, the rest in walk order: a large file
 * found late would otherwise start last and run alone while the other workers idle (the longest job
 * first is the classic bound for this kind of scheduling). Results keep the walk order (see shutdown).
 */
export function dispatchOrder(sizes: Float64Array): number[] {
  const ids = Array.from(sizes.keys());
  const large = ids.filter((id) => sizes[id] > WINDOW_BYTES).sort((a, b) => sizes[b] - sizes[a] || a - b);
  return [...large, ...ids.filter((id) => sizes[id] <= WINDOW_BYTES)];
}

export interface Pool {
  /** Scan these jobs with the workers started (or starting) since startPool. Once. */
  run(jobs: Job[]): Promise<PoolOutput>;
  /** Nothing to scan after all: the workers finish their start-up and exit. */
  close(): void;
}

/**
 * Start `cfg.size` workers now: they load and compile the rules while the caller is still listing
 * its jobs (the folder walk). `spares`: native workers forked ahead (forkWorker); the pool takes them
 * before forking more.
 */
export function startPool(cfg: PoolConfig, spares: ChildProcess[] = []): Pool {
  const out: PoolOutput = { files: [], skipped: [], ruleErrors: [], ruleCount: 0 };
  const results: { job: number; seq: number; result: FileResult }[] = [];
  let jobs: Job[] = [];
  let seq = new Uint32Array(0);
  let done = new Uint8Array(0);
  let sizes = new Float64Array(0);
  let order: number[] = [];
  const requeued: number[] = [];
  let next = 0;
  let remaining = 0;
  let running = false;
  let gotRules = false;
  let failure: Error | undefined;
  let settle: { resolve: (o: PoolOutput) => void; reject: (e: Error) => void } | undefined;
  const slots = new Set<Slot>();

  /** The next job to hand out (not yet taken). */
  const peek = (): number | undefined => {
    while (requeued.length > 0) {
      const id = requeued[requeued.length - 1];
      if (!done[id]) return id;
      requeued.pop();
    }
    return next < order.length ? order[next] : undefined;
  };
  const take = (id: number): void => {
    if (requeued.length > 0 && requeued[requeued.length - 1] === id) requeued.pop();
    else next++;
  };
  const hasWork = (): boolean => requeued.some((id) => !done[id]) || next < order.length;

  const pump = (slot: Slot): void => {
    const batch: JobMessage[] = [];
    while (slot.ready && !slot.dead && slot.inflight.size < WINDOW) {
      const id = peek();
      if (id === undefined) break;
      if (slot.inflight.size > 0 && slot.bytes + sizes[id] > WINDOW_BYTES) break;
      take(id);
      slot.inflight.add(id);
      slot.bytes += sizes[id];
      batch.push({ id, job: jobs[id] });
    }
    if (batch.length > 0) slot.channel.send({ jobs: batch });
  };

  const finish = (id: number, skipped?: Skipped): void => {
    if (done[id]) return;
    done[id] = 1;
    remaining--;
    if (skipped) out.skipped.push(skipped);
    if (remaining === 0) shutdown();
  };

  /** Take a worker out: its current job gets `reason`, its other jobs go back to the queue. */
  const retire = (slot: Slot, reason: string): void => {
    if (slot.dead) return;
    slot.dead = true;
    slots.delete(slot);
    const current = slot.channel.progress.current();
    const object = slot.channel.progress.currentName();
    slot.channel.kill();
    for (const id of slot.inflight) if (id !== current) requeued.push(id);
    if (current >= 0) finish(current, { path: object || jobName(jobs[current]), reason, incomplete: true });
    if (remaining > 0 && hasWork()) spawn();
    for (const s of slots) pump(s);
  };

  const fail = (err: Error): void => {
    if (failure) return;
    failure = err;
    clearInterval(watchdog);
    for (const s of slots) s.channel.kill();
    settle?.reject(err);
  };

  const spawn = (): void => {
    const { size: _size, timeoutMs: _timeout, ...init } = cfg;
    const slot: Slot = {
      channel: openChannel(init, spares),
      inflight: new Set(),
      bytes: 0,
      ready: false,
      dead: false,
    };
    slots.add(slot);
    slot.channel.on({
      message: (m: FromWorker) => {
        if ('ready' in m) {
          if (!gotRules) ({ errors: out.ruleErrors, ruleCount: out.ruleCount } = m);
          gotRules = true;
          slot.ready = true;
        } else {
          for (const o of m.outputs) {
            for (const result of o.results) results.push({ job: o.id, seq: seq[o.id]++, result });
            out.skipped.push(...o.skipped);
            if (o.done) {
              slot.inflight.delete(o.id);
              slot.bytes -= sizes[o.id];
              finish(o.id);
            }
          }
        }
        pump(slot);
      },
      error: (err) => {
        if (!slot.ready)
          fail(err); // cannot start (missing worker file, tsx…): every worker would fail
        else retire(slot, `scan worker crashed: ${err.message}`);
      },
      exit: (how) => {
        if (slot.dead || failure) return;
        if (!slot.ready) fail(new Error(`scan worker exited during start-up (${how})`));
        else retire(slot, `scan worker exited (${how})`);
      },
    });
  };

  /** Ask a worker to finish and exit; it no longer holds this process open. */
  const release = (slot: Slot): void => {
    slot.dead = true;
    slots.delete(slot);
    slot.channel.release();
  };

  // Workers free their wasm objects and exit on their own; a worker's exit takes ~0.1 s, so we neither
  // wait for it nor let it hold the process open.
  const shutdown = (): void => {
    clearInterval(watchdog);
    results.sort((a, b) => a.job - b.job || a.seq - b.seq);
    out.files = results.map((r) => r.result);
    for (const s of slots) release(s);
    settle?.resolve(out);
  };

  const tick = Math.max(5, Math.min(200, cfg.timeoutMs / 5));
  const watchdog = setInterval(() => {
    const now = Date.now();
    for (const s of slots) {
      const p = s.channel.progress;
      if (p.current() >= 0 && now - p.startedAt() > cfg.timeoutMs) {
        retire(s, `YARA scan timed out after ${cfg.timeoutMs} ms`);
      }
    }
  }, tick);

  for (let i = 0; i < cfg.size; i++) spawn();

  return {
    run: (list) =>
      new Promise((resolve, reject) => {
        if (running) throw new Error('a pool runs its jobs once');
        running = true;
        if (failure) return reject(failure);
        settle = { resolve, reject };
        jobs = list;
        remaining = jobs.length;
        seq = new Uint32Array(jobs.length);
        done = new Uint8Array(jobs.length);
        sizes = Float64Array.from(jobs, jobBytes);
        order = dispatchOrder(sizes);
        if (remaining === 0) return shutdown();
        // fewer jobs than workers: the spare ones go; a worker lost before the jobs came is replaced
        for (const s of [...slots].slice(jobs.length)) release(s);
        for (let i = slots.size; i < Math.min(cfg.size, jobs.length); i++) spawn();
        for (const s of slots) pump(s);
      }),
    close: () => {
      clearInterval(watchdog);
      for (const s of slots) release(s);
    },
  };
}

/** Start a pool and run `jobs` on it. */
export function runPool(jobs: Job[], cfg: PoolConfig, spares: ChildProcess[] = []): Promise<PoolOutput> {
  return startPool(cfg, spares).run(jobs);
}
