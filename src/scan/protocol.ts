/** Messages between the pool (main thread) and scan workers. */
import type { EngineName } from './engines.js';
import type { MatchFilter } from './format.js';
import type { RuleSource } from './rules.js';
import type { ExpandLimits, FileResult, HashName, RuleError, Skipped } from './types.js';

/** One unit of work: a file path, a buffer (stdin), or a process's memory. */
export type Job =
  | { kind: 'file'; path: string }
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
  filter: MatchFilter;
  expand: boolean;
  limits: ExpandLimits;
  /** Worker threads: see JobState. Child processes report progress by message instead. */
  state?: SharedArrayBuffer;
}

export type ToWorker = { id: number; job: Job } | { stop: true } | { init: WorkerInit };

export type FromWorker = { ready: true; errors: RuleError[]; ruleCount: number } | JobOutput;

/**
 * What a job produced since its last message, in one message (a message round trip costs more than a
 * small file's scan). Sent when the job ends (`done`), and when an object inside it starts (`next`: its
 * name; a child process's progress, see MessageProgress), so the results of a job cut short by a crash
 * or a timeout are kept up to its last object.
 */
export interface JobOutput {
  id: number;
  results: FileResult[];
  skipped: Skipped[];
  next?: string;
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
 * A child process's progress, as the pool infers it: the child runs its jobs in the order sent, so a
 * job starts when it is sent to an idle child or when the job before it is done. An object that is
 * not the job itself (an archive member, a memory region) is announced by a `next` message.
 */
export class MessageProgress implements Progress {
  private readonly queue: number[] = [];
  private name = '';
  private started = 0;

  sent(id: number): void {
    this.queue.push(id);
    if (this.queue.length === 1) this.object('');
  }

  object(name: string): void {
    this.name = name;
    this.started = Date.now();
  }

  done(id: number): void {
    if (this.queue[0] !== id) return;
    this.queue.shift();
    if (this.queue.length > 0) this.object('');
  }

  current(): number {
    return this.queue.length > 0 ? this.queue[0] : -1;
  }

  currentName(): string {
    return this.name;
  }

  startedAt(): number {
    return this.started;
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
  private readonly nameLen: Int32Array;
  private readonly name: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(JobState.BYTES)) {
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
}
