/** Messages between the pool (main thread) and scan workers. */
import { readSync, writeSync } from 'node:fs';
import type { EngineName } from './engines.js';
import type { MatchFilter } from './format.js';
import type { RuleSource } from './rules.js';
import type { ExpandLimits, FileResult, HashName, RuleError, Skipped } from './types.js';

/** One unit of work: a file path, a buffer (stdin), or a process's memory. */
export type Job =
  | {
      kind: 'file';
      path: string;
      /** From the walk, for the pool's balance (the worker re-checks). */
      size?: number;
    }
  | { kind: 'buffer'; name: string; data: Uint8Array }
  | { kind: 'pid'; pid: number };

export function jobName(job: Job): string {
  return job.kind === 'file' ? job.path : job.kind === 'buffer' ? job.name : `pid:${job.pid}`;
}

export interface WorkerInit {
  engine: EngineName;
  /** WASM only: the compiled module, shared with worker threads (not with child processes). */
  module?: WebAssembly.Module;
  sources: RuleSource[];
  maxFileSize: number;
  maxRegionSize: number;
  hashes: HashName[];
  matchHashes: HashName[];
  filter: MatchFilter;
  expand: boolean;
  limits: ExpandLimits;
  /** Worker threads: see JobState. Child processes report progress by message instead. */
  state?: SharedArrayBuffer;
}

export interface JobMessage {
  id: number;
  job: Job;
}

/** Jobs go out in batches (one message per pump of the pool, not one per job). */
export type ToWorker = { jobs: JobMessage[] } | { stop: true } | { init: WorkerInit };

export type FromWorker = { ready: true; errors: RuleError[]; ruleCount: number } | { outputs: JobOutput[] };

/**
 * What a job produced since its last output. A worker batches the outputs of finished jobs into one
 * message (a message costs more than a small file's scan, and under load each one is a wake-up of both
 * processes): see Outbox in worker.ts. A job whose object inside (an archive member, a memory region)
 * starts sends its results so far at once, so the results of a job cut short by a crash or a timeout
 * are kept up to its last object.
 */
export interface JobOutput {
  id: number;
  results: FileResult[];
  skipped: Skipped[];
  done?: true;
}

/** What the watchdog needs to know: the job in progress, its current object, since when. */
export interface Progress {
  /** The job id in progress, or -1. */
  current(): number;
  currentName(): string;
  /** Date.now() when the current object (or job) started. */
  startedAt(): number;
}

/** The worker side: a job starts, an object starts, the job ends. */
export interface ProgressReporter {
  begin(id: number): void;
  object(name: string): void;
  end(): void;
}

/**
 * A child process's progress file: an unlinked temp file the pool opens and hands to the worker at
 * fork as this descriptor (channel.ts). The worker writes its JobState bytes over the file's start at
 * each change (one pwrite: no message, no wake-up of the pool); the watchdog reads them when it ticks
 * and when a worker dies, so a timeout or a crash is pinned on the exact object even while finished
 * jobs' outputs are still batched in the worker.
 */
export const PROGRESS_FD = 4;

/**
 * The worker side of the progress file. With `share` (the mmap addon) the JobState lives in a shared
 * mapping of the file, so a change is a store into memory that the pool's pread sees; without it each
 * change is one pwrite (~3 µs of CPU, two or three per job: a tenth of a small file's cost).
 */
export class ProgressFileWriter implements ProgressReporter {
  private readonly state: JobState;
  private readonly shared: boolean;

  constructor(
    private readonly fd: number,
    share?: (fd: number, size: number) => Buffer,
  ) {
    let mapped: Buffer | undefined;
    try {
      mapped = share?.(fd, JobState.BYTES);
    } catch {
      // no shared mapping here (a file system that cannot map it): pwrite as before
    }
    this.shared = mapped !== undefined;
    this.state = new JobState(mapped ? mapped.buffer : new ArrayBuffer(JobState.BYTES));
  }

  begin(id: number): void {
    this.state.begin(id);
    this.write();
  }

  object(name: string): void {
    this.state.object(name);
    this.write();
  }

  end(): void {
    this.state.end();
    this.write();
  }

  private write(): void {
    if (!this.shared) writeSync(this.fd, this.state.bytes, 0, this.state.used(), 0);
  }
}

/** The pool side: current() reads the file; currentName() and startedAt() describe that reading. */
export class ProgressFileReader implements Progress {
  private readonly snapshot = new JobState(new ArrayBuffer(JobState.BYTES));
  private readonly first = Buffer.from(this.snapshot.buffer);
  private readonly second = Buffer.alloc(JobState.BYTES);

  constructor(private readonly fd: number) {}

  current(): number {
    // The worker may be writing while we read: two equal readings in a row are a consistent one.
    for (let tries = 0; tries < 5; tries++) {
      this.read(this.first);
      this.read(this.second);
      if (this.first.equals(this.second)) break;
    }
    return this.snapshot.current();
  }

  currentName(): string {
    return this.snapshot.currentName();
  }

  startedAt(): number {
    return this.snapshot.startedAt();
  }

  private read(into: Buffer): void {
    into.fill(0);
    try {
      readSync(this.fd, into, 0, JobState.BYTES, 0);
    } catch {
      // closed: the worker is gone and its file with it; all zeros reads as "nothing in progress"
    }
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Shared between a worker and the pool's watchdog: the job in progress (id + 1, 0 = idle), when its
 * current object started, and that object's name (UTF-8), so a timeout names the object, not the job.
 */
export class JobState implements Progress, ProgressReporter {
  static readonly BYTES = 16 + 4 + 1024;
  readonly job: Int32Array;
  readonly started: Float64Array;
  /** All of it, as bytes (a child process writes them to its progress file). */
  readonly bytes: Uint8Array;
  private readonly nameLen: Int32Array;
  private readonly name: Uint8Array;

  /** Shared memory between threads; a plain ArrayBuffer for a progress file's copy. */
  constructor(readonly buffer: SharedArrayBuffer | ArrayBuffer = new SharedArrayBuffer(JobState.BYTES)) {
    this.bytes = new Uint8Array(buffer);
    this.job = new Int32Array(buffer, 0, 1);
    this.started = new Float64Array(buffer, 8, 1);
    this.nameLen = new Int32Array(buffer, 16, 1);
    this.name = new Uint8Array(buffer, 20, 1024);
  }

  begin(id: number): void {
    this.started[0] = Date.now();
    Atomics.store(this.job, 0, id + 1);
  }

  object(name: string): void {
    this.started[0] = Date.now();
    this.nameLen[0] = encoder.encodeInto(name, this.name).written;
  }

  end(): void {
    this.nameLen[0] = 0;
    Atomics.store(this.job, 0, 0);
  }

  /** The job id in progress, or -1. */
  current(): number {
    return Atomics.load(this.job, 0) - 1;
  }

  currentName(): string {
    return decoder.decode(this.name.slice(0, this.nameLen[0]));
  }

  startedAt(): number {
    return this.started[0];
  }

  /** Bytes in use: the fixed fields and the current name. */
  used(): number {
    return 20 + this.nameLen[0];
  }
}
